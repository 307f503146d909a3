// `gorch download` and `gorch generate --model <hf-id>` against a small Hugging Face hub stand-in on
// 127.0.0.1 (resolve URLs with X-Repo-Commit / ETag, as the Hub answers) serving the real
// arcsf-cities/base files from ../shared/fixtures.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, runCli } from './run_cli';

const base = fileURLToPath(new URL('arcsf-cities/base', fixtures));
const has = existsSync(base);
const COMMIT = 'fedcba9876543210fedcba9876543210fedcba98';

describe.skipIf(!has)('gorch download / generate --model <hf-id> (local hub on 127.0.0.1)', () => {
  let server: Server;
  let cache: string;
  const requests: string[] = [];
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE, HF_TOKEN: process.env.HF_TOKEN };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const m = /^\/arc\/cities\/resolve\/[^/]+\/([^/]+)$/.exec(req.url ?? '');
      const file = m ? join(base, decodeURIComponent(m[1])) : '';
      if (!m) return void res.writeHead(401, { 'X-Error-Code': 'RepoNotFound' }).end();
      if (!existsSync(file)) return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': COMMIT }).end();
      const body = readFileSync(file);
      const etag = createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
      res.writeHead(200, { 'X-Repo-Commit': COMMIT, ETag: `"${etag}"`, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cache = mkdtempSync(join(tmpdir(), 'gorch-cli-hub-'));
    process.env.HF_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.HF_HUB_CACHE = cache;
    delete process.env.HF_TOKEN;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(cache, { recursive: true, force: true });
  });

  it('downloads into the hub cache, prints the snapshot folder, logs each file (no TTY: no bars)', async () => {
    const r = await runCli('download', 'arc/cities');
    expect(r.code).toBe(0);
    const dir = join(cache, 'models--arc--cities', 'snapshots', COMMIT);
    expect(r.stdout).toBe(`${dir}\n`);
    expect(r.stderr).toContain('model.safetensors: downloaded');
    expect(readdirSync(dir).sort()).toEqual(readdirSync(base).sort());
  });

  it('generate --model <hf-id> uses the cached files and completes the trained sentence', async () => {
    const before = requests.filter((q) => q.startsWith('GET')).length;
    const r = await runCli('generate', '--model', 'arc/cities', '--max-new-tokens', '12');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('what is the capital of france? the capital of france is paris\n');
    expect(requests.filter((q) => q.startsWith('GET')).length).toBe(before); // only HEADs: nothing fetched again
  });

  it('reports a missing repository (401, names HF_TOKEN) and an escaping name', async () => {
    const r = await runCli('download', 'arc/other');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HF_TOKEN');
    expect(r.stderr).toContain('[E_DOWNLOAD_AUTH]');
    const bad = await runCli('download', '../../etc');
    expect(bad.code).toBe(2); // a rejected argument is a usage error
    expect(bad.stderr).toContain('[E_DOWNLOAD_ARG]');
  });
});
