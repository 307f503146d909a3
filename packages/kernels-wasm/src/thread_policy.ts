/**
 * Decides per call whether a product runs on the worker pool or on the calling thread alone, from
 * timings of both paths on this machine, now. Whether two threads win depends less on the size than
 * on what else the machine runs: on the 2-vCPU development VM they gave 1.4–1.9× while it was quiet
 * and 0.4–0.9× while other jobs kept a vCPU busy (README, "Threads"). Both paths give bit-identical
 * results, so switching between them changes only speed.
 *
 * Calls are grouped by kind and size (power of two of the multiply-adds). Each group first times
 * both paths a few times, then takes the faster one by a moving average of time per multiply-add,
 * and still times the other path on one call in `EXPLORE_EVERY` so that a change of load is noticed.
 * The first call of each path in a group is not counted: it may run code the engine has not
 * optimised yet (V8 tiers wasm functions up after their first calls, in every worker), which once
 * kept the first 128-token prefill on panel weights single-threaded (the pool looked 0.5-0.8x as
 * fast from cold samples; 849 vs 642 ms against float32 rows, whose gemm the short prompt had
 * already warmed up).
 */
const WARMUP = 3; // timed calls of each path before choosing
const EXPLORE_EVERY = 24;
const ALPHA = 0.3; // weight of a new timing in the moving average

interface GroupStats { calls: number; pooled: number; single: number; nPooled: number; nSingle: number; warmPooled: boolean; warmSingle: boolean }

export class SplitPolicy {
  private readonly groups = new Map<string, GroupStats>();
  /** `'adaptive'` (default) times both paths; `'always'` / `'never'` force one (tests, benchmarks). */
  mode: 'adaptive' | 'always' | 'never' = 'adaptive';

  /** True when the next call of this kind and size should use the pool. */
  usePool(kind: string, macs: number): boolean {
    if (this.mode !== 'adaptive') return this.mode === 'always';
    const g = this.group(kind, macs);
    g.calls++;
    if (g.nPooled < WARMUP || g.nSingle < WARMUP) return g.nPooled <= g.nSingle;
    const best = g.pooled < g.single;
    return g.calls % EXPLORE_EVERY === 0 ? !best : best;
  }

  /** Records how long a call took (`ms`) on the path that {@link usePool} chose. */
  record(kind: string, macs: number, pooled: boolean, ms: number): void {
    const g = this.group(kind, macs);
    const perMac = ms / macs;
    if (pooled ? !g.warmPooled : !g.warmSingle) {
      if (pooled) g.warmPooled = true;
      else g.warmSingle = true;
      return;
    }
    if (pooled) {
      g.pooled = g.nPooled === 0 ? perMac : g.pooled + ALPHA * (perMac - g.pooled);
      g.nPooled++;
    } else {
      g.single = g.nSingle === 0 ? perMac : g.single + ALPHA * (perMac - g.single);
      g.nSingle++;
    }
  }

  /** Per group: the current choice and the speed-up of the pool over one thread (for benchmarks). */
  summary(): { group: string; pool: boolean; speedup: number }[] {
    return [...this.groups].map(([group, g]) => ({ group, pool: g.pooled < g.single, speedup: g.single / g.pooled }));
  }

  private group(kind: string, macs: number): GroupStats {
    const key = `${kind}:2^${Math.round(Math.log2(macs))}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { calls: 0, pooled: 0, single: 0, nPooled: 0, nSingle: 0, warmPooled: false, warmSingle: false };
      this.groups.set(key, g);
    }
    return g;
  }
}
