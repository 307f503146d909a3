import type { FileProgress } from './transfer';

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}

/**
 * A one-line progress bar per file for a terminal (`\r` redraws, at most every 100 ms), used by
 * `downloadGPT2` when stderr is a TTY. `@gorch/cli` replaces it with cli-progress bars.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): { update(p: FileProgress): void; end(): void } {
  let last = 0;
  let current: string | undefined;
  const draw = (p: FileProgress) => {
    const width = 30;
    const frac = p.total ? Math.min(1, p.bytes / p.total) : 0;
    const bar = p.total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}% ` : '';
    stream.write(`\r${p.file} ${bar}${mb(p.bytes)}${p.total ? `/${mb(p.total)}` : ''} MB`);
  };
  let pending: FileProgress | undefined;
  return {
    update(p) {
      if (current !== undefined && current !== p.file) stream.write('\n');
      const now = Date.now();
      pending = p;
      if (current !== p.file || now - last >= 100 || p.bytes === p.total) {
        current = p.file;
        last = now;
        draw(p);
        pending = undefined;
      }
    },
    end() {
      if (pending) draw(pending);
      if (current !== undefined) stream.write('\n');
      current = undefined;
    },
  };
}
