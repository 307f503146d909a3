// A minimal static file server for the browser smoke test, on 127.0.0.1 at a random port. With
// `isolated` every response carries COOP same-origin + COEP require-corp, which makes the page
// cross-origin isolated (SharedArrayBuffer, hence wasm threads); without it the page is not.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A running server: its origin, the paths it answered with 404, and how to stop it. */
export interface StaticServer { origin: string; notFound: string[]; close(): Promise<void> }

/**
 * Serves `root`, plus each `mounts` entry (URL prefix ending in `/` -> folder), adding `headers` to
 * every response. Only GET/HEAD of files inside the served folders; anything else is a 404 (and
 * recorded).
 */
export async function startStaticServer(root: string, options: { isolated: boolean; mounts?: Record<string, string>; headers?: Record<string, string> }): Promise<StaticServer> {
  const notFound: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let base = resolve(root), rel = path;
    for (const [prefix, dir] of Object.entries(options.mounts ?? {})) {
      if (path.startsWith(prefix)) { base = resolve(dir); rel = path.slice(prefix.length); break; }
    }
    if (rel === '/' || rel === '') rel = 'index.html';
    const file = normalize(join(base, rel));
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...options.headers };
    if (options.isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const miss = (): void => {
      notFound.push(path);
      res.writeHead(404, headers).end('not found');
    };
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(base + sep)) return miss();
    readFile(file).then(
      (body) => res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body),
      miss,
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    notFound,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
