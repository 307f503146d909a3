// The cache downloadGPT2 writes, read back by a peer implementation of the same layout:
// @huggingface/hub's scanCacheDir (the JS port of huggingface_hub's `scan_cache_dir`).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanCacheDir } from '@huggingface/hub';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadGPT2 } from '../src/download/index';
import { COMMIT, FakeHub, type HubFile } from './download_fake_hub';

const base = fileURLToPath(new URL('../../../../shared/fixtures/arcsf-cities/base', import.meta.url));

describe.skipIf(!existsSync(base))('downloadGPT2 cache read by @huggingface/hub scanCacheDir', () => {
  let hub: FakeHub;
  let cacheDir: string;
  beforeEach(async () => {
    hub = await FakeHub.start();
    const files: Record<string, HubFile> = {};
    for (const f of readdirSync(base)) files[f] = { content: readFileSync(join(base, f)), lfs: f.endsWith('.safetensors') };
    hub.addRepo('arc/cities-base', files);
    cacheDir = mkdtempSync(join(tmpdir(), 'gorch-hf-peer-'));
  });
  afterEach(async () => {
    await hub.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('sees one model repo, one revision at the commit with ref "main", every file with its size', async () => {
    await downloadGPT2('arc/cities-base', undefined, { endpoint: hub.hubOrigin, cacheDir, progress: false, token: '' });
    const info = await scanCacheDir(cacheDir);
    expect(info.warnings).toEqual([]);
    expect(info.repos.length).toBe(1);
    const repo = info.repos[0];
    expect(repo.id).toEqual({ name: 'arc/cities-base', type: 'model' });
    expect(repo.revisions.length).toBe(1);
    const rev = repo.revisions[0];
    expect(rev.commitOid).toBe(COMMIT);
    expect(rev.refs).toEqual(['main']);
    const sizes = Object.fromEntries(rev.files.map((f) => [basename(f.path), f.blob.size]));
    expect(sizes).toEqual(Object.fromEntries(readdirSync(base).map((f) => [f, statSync(join(base, f)).size])));
  });
});
