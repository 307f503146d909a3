// downloadGPT2 against a fake Hugging Face hub on 127.0.0.1 (download_fake_hub.ts) serving the real
// arcsf-cities/base checkpoint from ../shared/fixtures: cache layout, reuse, resume, and each failure.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadGPT2, DownloadError, hubCacheDir, type FileProgress } from '../src/download/index';
import { COMMIT, FakeHub, gitBlobSha1, sha256, type HubFile } from './download_fake_hub';

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
const base = join(fixtures, 'arcsf-cities/base');
const has = existsSync(base);
const REPO = 'arc/cities-base';

function cityFiles(): Record<string, HubFile> {
  const out: Record<string, HubFile> = {};
  for (const f of readdirSync(base)) out[f] = { content: readFileSync(join(base, f)), lfs: f.endsWith('.safetensors') };
  return out;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DownloadError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DownloadError);
  expect((e as DownloadError).code).toBe(code);
  return e as DownloadError;
}

describe.skipIf(!has)('downloadGPT2 (fake hub serving ../shared/fixtures/arcsf-cities/base)', () => {
  let hub: FakeHub;
  let cacheDir: string;
  const opts = () => ({ endpoint: hub.hubOrigin, cacheDir, progress: false as const, timeoutMs: 2000, token: '' });

  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.addRepo(REPO, cityFiles());
    cacheDir = mkdtempSync(join(tmpdir(), 'gorch-hf-'));
  });
  afterEach(async () => {
    await hub.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('writes the huggingface_hub cache layout: blobs/<etag>, snapshots/<commit>/<file> symlinks, refs/main', async () => {
    const dir = await downloadGPT2(REPO, undefined, opts());
    const repoDir = join(cacheDir, 'models--arc--cities-base');
    expect(dir).toBe(join(repoDir, 'snapshots', COMMIT));
    expect(readFileSync(join(repoDir, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    for (const f of readdirSync(base)) {
      const content = readFileSync(join(base, f));
      const etag = f.endsWith('.safetensors') ? sha256(content) : gitBlobSha1(content);
      expect(lstatSync(join(dir, f)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, f))).toBe(`../../blobs/${etag}`);
      expect(readFileSync(join(dir, f)).equals(content)).toBe(true);
    }
    // the token is never sent to the CDN host, the LFS bytes came from there
    expect(hub.gets('cdn').map((r) => r.path)).toEqual([`/cdn/${sha256(readFileSync(join(base, 'model.safetensors')))}`]);
    expect(readdirSync(join(repoDir, 'blobs')).some((n) => n.endsWith('.incomplete'))).toBe(false);
  });

  it('does not fetch complete files again: a second call only asks HEADs, a commit revision asks nothing', async () => {
    await downloadGPT2(REPO, undefined, opts());
    const firstGets = hub.gets().length;
    const statuses: string[] = [];
    await downloadGPT2(REPO, undefined, { ...opts(), onFile: (_f, s) => statuses.push(s) });
    expect(hub.gets().length).toBe(firstGets);
    expect(new Set(statuses)).toEqual(new Set(['cached', 'absent']));
    const before = hub.log.length;
    await downloadGPT2(REPO, undefined, { ...opts(), revision: COMMIT });
    expect(hub.log.slice(before)).toEqual([]); // present files and the .no_exist markers of absent ones
    expect(existsSync(join(cacheDir, 'models--arc--cities-base', '.no_exist', COMMIT, 'tokenizer.json'))).toBe(true);
  });

  it('reuses a cache laid out by Python tools (hand-made blobs, snapshot symlinks and refs/main)', async () => {
    const repoDir = join(cacheDir, 'models--arc--cities-base');
    mkdirSync(join(repoDir, 'blobs'), { recursive: true });
    mkdirSync(join(repoDir, 'snapshots', COMMIT), { recursive: true });
    mkdirSync(join(repoDir, 'refs'), { recursive: true });
    writeFileSync(join(repoDir, 'refs', 'main'), COMMIT);
    for (const f of readdirSync(base)) {
      const content = readFileSync(join(base, f));
      const etag = f.endsWith('.safetensors') ? sha256(content) : gitBlobSha1(content);
      writeFileSync(join(repoDir, 'blobs', etag), content);
      symlinkSync(`../../blobs/${etag}`, join(repoDir, 'snapshots', COMMIT, f));
    }
    const dir = await downloadGPT2(REPO, undefined, opts());
    expect(dir).toBe(join(repoDir, 'snapshots', COMMIT));
    expect(hub.gets()).toEqual([]);
  });

  it('works offline from the cache (and says which file is missing when it is not there)', async () => {
    await expectCode(downloadGPT2(REPO, undefined, { ...opts(), offline: true }), 'E_DOWNLOAD_OFFLINE');
    await downloadGPT2(REPO, undefined, opts());
    await hub.close();
    const dir = await downloadGPT2(REPO, undefined, { ...opts(), offline: true });
    expect(readFileSync(join(dir, 'model.safetensors')).equals(readFileSync(join(base, 'model.safetensors')))).toBe(true);
    // the hub is down (connection refused): refs/main and the snapshot are used
    expect(await downloadGPT2(REPO, undefined, opts())).toBe(dir);
  });

  it('404: names the file and the repository', async () => {
    const files = cityFiles();
    delete files['config.json'];
    hub.addRepo('arc/no-config', files);
    const e = await expectCode(downloadGPT2('arc/no-config', undefined, opts()), 'E_DOWNLOAD_NOT_FOUND');
    expect(e.message).toContain('config.json');
    expect(e.message).toContain('arc/no-config');
    expect(e.status).toBe(404);
    hub.addRepo('arc/no-weights', { 'config.json': files['vocab.json'] });
    const w = await expectCode(downloadGPT2('arc/no-weights', undefined, opts()), 'E_DOWNLOAD_NOT_FOUND');
    expect(w.message).toMatch(/no weights.*model\.safetensors/);
  });

  it('401: names HF_TOKEN; the token goes to the hub and never to the CDN', async () => {
    hub.requiredToken = 'hf_secret';
    const e = await expectCode(downloadGPT2(REPO, undefined, opts()), 'E_DOWNLOAD_AUTH');
    expect(e.message).toContain('HF_TOKEN');
    expect(e.status).toBe(401);
    expect(e.url).toBe(`${hub.hubOrigin}/${REPO}/resolve/main/config.json`);
    const old = process.env.HF_TOKEN;
    process.env.HF_TOKEN = 'hf_secret';
    try {
      const { token: _t, ...noToken } = opts();
      await downloadGPT2(REPO, undefined, noToken);
    } finally {
      if (old === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = old;
    }
    expect(hub.log.filter((r) => r.server === 'hub').at(-1)?.authorization).toBe('Bearer hf_secret');
    expect(hub.log.filter((r) => r.server === 'cdn').every((r) => r.authorization === undefined)).toBe(true);
  });

  it('truncated body: keeps blobs/<etag>.incomplete, and the next call resumes it with Range', async () => {
    const weights = readFileSync(join(base, 'model.safetensors'));
    const blob = join(cacheDir, 'models--arc--cities-base', 'blobs', sha256(weights));
    hub.fault = 'truncate';
    hub.faultCount = 1;
    const e = await expectCode(downloadGPT2(REPO, undefined, { ...opts(), retries: 0 }), 'E_DOWNLOAD_TRUNCATED');
    expect(e.message).toContain('model.safetensors');
    expect(existsSync(blob)).toBe(false);
    // every byte the hub sent before closing is kept, even when the close arrived before the client
    // read any of them (Node's stream iterator drops what a destroyed stream still buffers)
    const kept = readFileSync(`${blob}.incomplete`);
    expect(kept.length).toBe(Math.floor(weights.length / 2));
    expect(kept.equals(weights.subarray(0, kept.length))).toBe(true);
    const dir = await downloadGPT2(REPO, undefined, { ...opts(), retries: 0 });
    expect(hub.gets('cdn').at(-1)?.range).toBe(`bytes=${kept.length}-`);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(weights)).toBe(true);
    expect(existsSync(`${blob}.incomplete`)).toBe(false);
  });

  it('retries a truncated transfer within one call, resuming from the bytes received', async () => {
    const weights = readFileSync(join(base, 'model.safetensors'));
    hub.fault = 'truncate';
    hub.faultCount = 2;
    const dir = await downloadGPT2(REPO, undefined, { ...opts(), retries: 2 });
    // each truncated answer carries half of what was asked; each retry asks from the sum received so far
    const first = Math.floor(weights.length / 2);
    const second = Math.floor((weights.length - first) / 2);
    expect(hub.gets('cdn').map((r) => r.range)).toEqual([undefined, `bytes=${first}-`, `bytes=${first + second}-`]);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(weights)).toBe(true);
  });

  it('a server that stalls: E_DOWNLOAD_STALLED naming the URL after timeoutMs, then resumes', async () => {
    hub.fault = 'stall';
    hub.faultCount = 1;
    const t0 = Date.now();
    const e = await expectCode(downloadGPT2(REPO, undefined, { ...opts(), timeoutMs: 300, retries: 0 }), 'E_DOWNLOAD_STALLED');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.url).toMatch(new RegExp(`^${hub.cdnOrigin}/cdn/`));
    expect(e.message).toContain(e.url);
    const dir = await downloadGPT2(REPO, undefined, opts());
    expect(hub.gets('cdn').at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(readFileSync(join(base, 'model.safetensors')))).toBe(true);
  });

  it('a hub that never answers: E_DOWNLOAD_STALLED for the first request, the cache serves when it can', async () => {
    hub.silent = true;
    const t0 = Date.now();
    const e = await expectCode(downloadGPT2(REPO, undefined, { ...opts(), timeoutMs: 300 }), 'E_DOWNLOAD_STALLED');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.url).toBe(`${hub.hubOrigin}/${REPO}/resolve/main/config.json`);
    hub.silent = false;
    const dir = await downloadGPT2(REPO, undefined, opts());
    hub.silent = true;
    expect(await downloadGPT2(REPO, undefined, { ...opts(), timeoutMs: 300 })).toBe(dir);
  });

  it('bytes that do not match the LFS sha256 are refused and deleted', async () => {
    hub.fault = 'corrupt';
    hub.faultCount = 1;
    await expectCode(downloadGPT2(REPO, undefined, opts()), 'E_DOWNLOAD_INTEGRITY');
    const blobs = join(cacheDir, 'models--arc--cities-base', 'blobs');
    expect(readdirSync(blobs).filter((n) => n.startsWith(sha256(readFileSync(join(base, 'model.safetensors')))))).toEqual([]);
  });

  it('rejects model names and revisions that escape the cache folder, before any request', async () => {
    for (const bad of ['../evil', '..', 'a/../../b', '/abs', 'a/b/c', 'org/..', 'a--b', 'a\\b', '', '.hidden', 'x/y.']) {
      await expectCode(downloadGPT2(bad, undefined, opts()), 'E_DOWNLOAD_ARG');
    }
    await expectCode(downloadGPT2(REPO, undefined, { ...opts(), revision: '../../x' }), 'E_DOWNLOAD_ARG');
    expect(hub.log).toEqual([]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('refuses a hostile ETag or shard name from the server', async () => {
    hub.etagOverride = '"../../../escape"';
    await expectCode(downloadGPT2(REPO, undefined, opts()), 'E_DOWNLOAD_HTTP');
    hub.etagOverride = undefined;
    const index = Buffer.from(JSON.stringify({ weight_map: { 'transformer.wte.weight': '../../../../evil.safetensors' } }));
    hub.addRepo('arc/evil', { 'config.json': { content: Buffer.from('{}'), lfs: false }, 'model.safetensors.index.json': { content: index, lfs: false } });
    const e = await expectCode(downloadGPT2('arc/evil', undefined, opts()), 'E_DOWNLOAD_ARG');
    expect(e.message).toContain('evil.safetensors');
  });

  it('falls back to pytorch_model.bin and follows a sharded index', async () => {
    const bin = fileURLToPath(new URL('./golden/parity-gpt2/pytorch_model.bin', import.meta.url));
    hub.addRepo('arc/bin-only', { 'config.json': { content: Buffer.from('{}'), lfs: false }, 'pytorch_model.bin': { content: readFileSync(bin), lfs: true } });
    const dir = await downloadGPT2('arc/bin-only', undefined, opts());
    expect(readFileSync(join(dir, 'pytorch_model.bin')).equals(readFileSync(bin))).toBe(true);
    const weights = readFileSync(join(base, 'model.safetensors'));
    const index = Buffer.from(JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors', c: 'model-00001-of-00002.safetensors' } }));
    hub.addRepo('arc/sharded', {
      'config.json': { content: Buffer.from('{}'), lfs: false },
      'model.safetensors.index.json': { content: index, lfs: false },
      'model-00001-of-00002.safetensors': { content: weights, lfs: true },
      'model-00002-of-00002.safetensors': { content: weights.subarray(0, 100), lfs: true },
    });
    const sharded = await downloadGPT2('arc/sharded', undefined, opts());
    expect(statSync(join(sharded, 'model-00002-of-00002.safetensors')).size).toBe(100);
    expect(existsSync(join(sharded, 'pytorch_model.bin'))).toBe(false);
  });

  it('with a dir: plain files there, not fetched again while their ETag is unchanged', async () => {
    const out = join(cacheDir, 'plain');
    expect(await downloadGPT2(REPO, out, opts())).toBe(out);
    for (const f of readdirSync(base)) expect(readFileSync(join(out, f)).equals(readFileSync(join(base, f)))).toBe(true);
    const gets = hub.gets().length;
    await downloadGPT2(REPO, out, opts());
    expect(hub.gets().length).toBe(gets);
    writeFileSync(join(out, 'vocab.json'), 'changed locally'); // size no longer matches: fetched again
    await downloadGPT2(REPO, out, opts());
    expect(readFileSync(join(out, 'vocab.json')).equals(readFileSync(join(base, 'vocab.json')))).toBe(true);
    expect(hub.gets().length).toBe(gets + 1);
  });

  it('reports progress up to the announced size and reads HF_ENDPOINT', async () => {
    const seen: FileProgress[] = [];
    const old = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = hub.hubOrigin;
    try {
      await downloadGPT2(REPO, undefined, { cacheDir, progress: (p) => seen.push({ ...p }), token: '' });
    } finally {
      if (old === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = old;
    }
    const w = seen.filter((p) => p.file === 'model.safetensors');
    expect(w.at(-1)).toEqual({ file: 'model.safetensors', bytes: 49624, total: 49624 });
    expect(w.every((p, i) => i === 0 || p.bytes >= w[i - 1].bytes)).toBe(true);
  });
});

describe('hubCacheDir', () => {
  it('follows huggingface_hub precedence: HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' })).toBe('/a');
    expect(hubCacheDir({ HF_HOME: '/b', XDG_CACHE_HOME: '/c' })).toBe('/b/hub');
    expect(hubCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/huggingface/hub');
    expect(hubCacheDir({})).toMatch(/\.cache\/huggingface\/hub$/);
  });
});
