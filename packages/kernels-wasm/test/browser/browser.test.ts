// @gorch/tensor + @gorch/kernels-wasm in a real browser (Debian's Chromium, driven by
// playwright-core). The page (page.ts) is bundled from the packages' TypeScript sources the way an
// application bundles them: by Vite, whose emitted assets are the .wasm files loader.ts names with
// `new URL('../wasm/…', import.meta.url)`, and by esbuild, which emits no assets, so that page
// passes the folder where the files are served as `wasmPaths`. It is served from 127.0.0.1 with
// and without cross-origin isolation (COOP/COEP). The page's results must equal,
// bit for bit, the same workload (workload.ts) run here in Node on the single-threaded wasm
// backend, whose kernels the other kernels-wasm tests check against JS loops and PyTorch goldens.
// Skips only when Chromium is missing outside CI; in CI (.ci/steps/browser.sh installs it) that fails.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities, initWasmBackend } from '../../src/index';
import { randn, refGemm, rng } from '../reference';
import type { PageReport } from './page';
import { startStaticServer, type StaticServer } from './static_server';
import { runWorkload, type BitsResult } from './workload';

const CHROMIUM = process.env.GORCH_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && !process.env.CI;
if (skip) console.warn(`kernels-wasm browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set GORCH_CHROMIUM)`);

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));

/** One page load: what the page reported, and every request that went wrong on the way. */
interface Visit { report: PageReport; requests: string[]; failures: string[] }

/** Count of differing bits patterns, and the largest relative difference, between two results. */
function compare(a: BitsResult, b: BitsResult): { differing: number; maxRel: number } {
  const fa = new Float32Array(Uint32Array.from(a.bits).buffer), fb = new Float32Array(Uint32Array.from(b.bits).buffer);
  let differing = 0, maxRel = 0;
  for (let i = 0; i < a.bits.length; i++) {
    if (a.bits[i] === b.bits[i]) continue;
    differing++;
    maxRel = Math.max(maxRel, Math.abs(fa[i] - fb[i]) / Math.max(Math.abs(fb[i]), 1e-30));
  }
  return { differing, maxRel };
}

function expectSameBits(got: Record<string, BitsResult>, want: Record<string, BitsResult>, what: string): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const name of Object.keys(want)) {
    expect(got[name].shape, `${what}: ${name} shape`).toEqual(want[name].shape);
    expect(compare(got[name], want[name]), `${what}: ${name}`).toEqual({ differing: 0, maxRel: 0 });
  }
}

// In CI a missing browser is a failure, not a skip.
it.skipIf(!process.env.CI)('CI has Chromium (.ci/steps/browser.sh installs it)', () => {
  expect(hasChromium, `no Chromium at ${CHROMIUM}`).toBe(true);
});

describe.skipIf(!hasChromium)(`kernels-wasm in Chromium${skip ? ` (skipped: no ${CHROMIUM})` : ''}`, () => {
  let out = '';
  let browser: Browser | undefined;
  const servers: StaticServer[] = [];
  let plain: StaticServer, isolated: StaticServer, esbuilt: StaticServer, noBlobWorkers: StaticServer;
  let node: Record<string, BitsResult>;

  beforeAll(async () => {
    // The Node reference first, single-threaded, before anything else loads this machine.
    const caps = await initWasmBackend({ threads: false });
    expect(caps.simd).toBe(true);
    node = runWorkload();

    out = await mkdtemp(join(tmpdir(), 'gorch-browser-'));
    const { build } = await import('vite');
    // The same aliases as vitest.config.ts: the page runs exactly the source this process runs.
    await build({
      root: here,
      base: './',
      configFile: false,
      logLevel: 'warn',
      cacheDir: join(out, 'vite-cache'),
      resolve: {
        alias: ['tensor', 'kernels-wasm'].map((p) => ({ find: new RegExp(`^@gorch/${p}$`), replacement: join(packagesDir, p, 'src/index.ts') })),
      },
      build: { outDir: join(out, 'site'), emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    });
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [join(here, 'page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(out, 'esbuild', 'page.js'),
      alias: Object.fromEntries(['tensor', 'kernels-wasm'].map((p) => [`@gorch/${p}`, join(packagesDir, p, 'src/index.ts')])),
      logLevel: 'warning',
    });
    await writeFile(join(out, 'esbuild', 'index.html'), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./page.js"></script>\n');
    plain = await startStaticServer(join(out, 'site'), { isolated: false });
    isolated = await startStaticServer(join(out, 'site'), { isolated: true });
    // The esbuild user's deployment: the package's wasm/ folder copied to /wasm/ of the site.
    esbuilt = await startStaticServer(join(out, 'esbuild'), { isolated: false, mounts: { '/wasm/': join(pkg, 'wasm') } });
    noBlobWorkers = await startStaticServer(join(out, 'site'), { isolated: true, headers: { 'Content-Security-Policy': "worker-src 'self'" } });
    servers.push(plain, isolated, esbuilt, noBlobWorkers);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  async function visit(server: StaticServer, query = ''): Promise<Visit> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const requests: string[] = [], failures: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) failures.push(`${r.url()}: HTTP ${r.status()}`); });
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') failures.push(`console error: ${m.text()}`); });
    try {
      await page.goto(`${server.origin}/${query}`);
      await page.waitForFunction(() => window.__gorch !== undefined, null, { timeout: 120_000 });
      const r = await page.evaluate(() => window.__gorch!);
      if ('error' in r) throw new Error(`the page failed: ${r.error}`);
      return { report: r, requests, failures: [...failures, ...server.notFound.map((p) => `server 404: ${p}`)] };
    } finally {
      await context.close();
    }
  }

  let a: Visit;
  it('the Node reference is right (matmul against a float64 loop, softmax rows sum to 1)', () => {
    expect(capabilities().threads).toBe(false);
    const r = (name: string): Float32Array => new Float32Array(Uint32Array.from(node[name].bits).buffer);
    // Same inputs as workload.ts: the first two tensors it draws.
    const mm = r('matmul 37x53 @ 53x29');
    const g = rng(20261130);
    const A = randn(37 * 53, g), B = randn(53 * 29, g);
    const ref = refGemm(37, 29, 53, A, 53, 1, B, 29, 1);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(mm[i] - ref[i])).toBeLessThan(1e-5 * (1 + Math.abs(ref[i])));
    const sm = r('softmax [7,33]');
    for (let row = 0; row < 7; row++) expect(sm.subarray(row * 33, row * 33 + 33).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });

  it('(a) without COOP/COEP: SIMD, single-threaded with the reason, bundled .wasm asset, same bits as Node', async () => {
    a = await visit(plain);
    const { caps } = a.report;
    expect(a.report.crossOriginIsolated).toBe(false);
    expect(a.report.backend).toBe('wasm');
    expect(caps).toMatchObject({ loaded: true, simd: true, threads: false, threadCount: 1 });
    expect(caps.threadsReason).toMatch(/SharedArrayBuffer.*cross-origin isolation/);
    // The kernels came from the asset Vite emitted for `new URL('../wasm/…', import.meta.url)`.
    expect(caps.source).toMatch(new RegExp(`^${plain.origin}/assets/gorch-kernels-simd-[\\w-]+\\.wasm$`));
    expect(a.requests.filter((u) => u.endsWith('.wasm'))).toEqual([caps.source]);
    expect(a.failures).toEqual([]);
    expectSameBits(a.report.results, node, 'browser (no isolation) vs Node');
  }, 180_000);

  it('(b) with COOP/COEP: worker threads from the Blob URL compute, same bits as (a)', async () => {
    const b = await visit(isolated);
    const { caps } = b.report;
    expect(b.report.crossOriginIsolated).toBe(true);
    expect(caps).toMatchObject({ loaded: true, simd: true, threads: true });
    expect(caps.threadCount).toBeGreaterThanOrEqual(2);
    expect(caps.threadsReason).toMatch(/threads .* over a shared WebAssembly\.Memory/);
    expect(caps.source).toMatch(new RegExp(`^${isolated.origin}/assets/gorch-kernels-simd-threads-[\\w-]+\\.wasm$`));
    // Some output columns of the pooled products were computed by the workers, not the page thread.
    expect(b.report.columns.workers).toBeGreaterThan(0);
    expect(b.failures).toEqual([]);
    expect(a, 'test (a) ran first').toBeDefined();
    expectSameBits(b.report.results, a.report.results, 'browser (isolated, threads) vs browser (no isolation)');
  }, 180_000);

  it('isolated, but a Content-Security-Policy forbids blob: workers: single-threaded, saying why, same bits', async () => {
    const d = await visit(noBlobWorkers);
    expect(d.report.crossOriginIsolated).toBe(true);
    expect(d.report.caps).toMatchObject({ loaded: true, simd: true, threads: false, threadCount: 1 });
    expect(d.report.caps.threadsReason).toMatch(/single-threaded: .*Web Worker from a Blob URL did not start .*Content-Security-Policy/);
    // Chromium reports the blocked worker on the console; nothing else may go wrong.
    expect(d.failures.filter((f) => !/^console error: Creating a worker from 'blob:.*violates .*Content Security Policy/.test(f))).toEqual([]);
    expectSameBits(d.report.results, node, 'browser (isolated, blob: workers blocked) vs Node');
  }, 180_000);

  it('esbuild bundle + wasmPaths: the .wasm file comes from the folder the caller names, same bits as Node', async () => {
    const c = await visit(esbuilt, '?wasmPaths=/wasm/');
    expect(c.report.caps).toMatchObject({ loaded: true, simd: true, threads: false, source: `${esbuilt.origin}/wasm/gorch-kernels-simd.wasm` });
    expect(c.requests.filter((u) => u.endsWith('.wasm'))).toEqual([`${esbuilt.origin}/wasm/gorch-kernels-simd.wasm`]);
    expect(c.failures).toEqual([]);
    expectSameBits(c.report.results, node, 'browser (esbuild, wasmPaths) vs Node');
  }, 180_000);
});
