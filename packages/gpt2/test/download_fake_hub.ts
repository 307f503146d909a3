// A minimal Hugging Face hub for download tests: `resolve` URLs on one 127.0.0.1 server (HEAD and
// GET, X-Repo-Commit, ETag / X-Linked-Etag / X-Linked-Size, 302 to a second "CDN" server for LFS
// files), Range support, and switchable faults (truncated body, stall, corrupted bytes).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubFile {
  content: Buffer;
  /** Served through the CDN with X-Linked-Etag = sha256 (as the Hub serves weights). */
  lfs: boolean;
}

export type Fault = 'none' | 'truncate' | 'stall' | 'corrupt';

export interface LoggedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function parseRange(range: string | undefined, size: number): number {
  const m = range === undefined ? null : /^bytes=(\d+)-$/.exec(range);
  return m ? Math.min(Number(m[1]), size) : 0;
}

export class FakeHub {
  readonly log: LoggedRequest[] = [];
  /** repo id -> file name -> file */
  repos = new Map<string, Map<string, HubFile>>();
  /** Token the hub demands (401 without it) when set. */
  requiredToken: string | undefined;
  /** Fault applied to the next `faultCount` CDN GETs (the LFS weights). */
  fault: Fault = 'none';
  faultCount = 0;
  /** When true the hub accepts connections but never answers (a stalled server). */
  silent = false;
  /** Custom header overrides for HEAD answers (e.g. a hostile ETag). */
  etagOverride: string | undefined;
  hubOrigin = '';
  cdnOrigin = '';
  private servers: Server[] = [];
  private byHash = new Map<string, Buffer>();

  static async start(): Promise<FakeHub> {
    const hub = new FakeHub();
    const a = await listen((req, res) => hub.onHub(req, res));
    const b = await listen((req, res) => hub.onCdn(req, res));
    hub.servers = [a.server, b.server];
    hub.hubOrigin = a.origin;
    hub.cdnOrigin = b.origin;
    return hub;
  }

  addRepo(repoId: string, files: Record<string, HubFile>): void {
    this.repos.set(repoId, new Map(Object.entries(files)));
    for (const f of Object.values(files)) if (f.lfs) this.byHash.set(sha256(f.content), f.content);
  }

  gets(server?: 'hub' | 'cdn'): LoggedRequest[] {
    return this.log.filter((r) => r.method === 'GET' && (server === undefined || r.server === server));
  }

  async close(): Promise<void> {
    for (const s of this.servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }

  private record(server: 'hub' | 'cdn', req: IncomingMessage): void {
    this.log.push({ server, method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), range: req.headers.range, authorization: req.headers.authorization });
  }

  private onHub(req: IncomingMessage, res: ServerResponse): void {
    this.record('hub', req);
    if (this.silent) return;
    const m = /^\/(.+)\/resolve\/([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(400).end();
    const [repoId, revision, file] = [m[1], decodeURIComponent(m[2]), m[3].split('/').map(decodeURIComponent).join('/')];
    const repo = this.repos.get(repoId);
    if (this.requiredToken !== undefined && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
      return void res.writeHead(401, { 'X-Error-Code': 'GatedRepo' }).end('unauthorized');
    }
    if (repo === undefined) return void res.writeHead(401, { 'X-Error-Code': 'RepoNotFound' }).end();
    if (revision !== 'main' && revision !== COMMIT) return void res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' }).end();
    const f = repo.get(file);
    if (f === undefined) return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': COMMIT }).end();
    if (f.lfs) {
      const hash = sha256(f.content);
      return void res
        .writeHead(302, {
          Location: `${this.cdnOrigin}/cdn/${hash}`,
          'X-Repo-Commit': COMMIT,
          'X-Linked-Etag': this.etagOverride ?? `"${hash}"`,
          'X-Linked-Size': String(f.content.length),
          ETag: `"${gitBlobSha1(Buffer.from('pointer'))}"`,
        })
        .end();
    }
    const headers = { 'X-Repo-Commit': COMMIT, ETag: this.etagOverride ?? `"${gitBlobSha1(f.content)}"` };
    this.serveBytes(req, res, f.content, headers, false);
  }

  private onCdn(req: IncomingMessage, res: ServerResponse): void {
    this.record('cdn', req);
    const m = /^\/cdn\/([0-9a-f]{64})$/.exec(req.url ?? '');
    const content = m ? this.byHash.get(m[1]) : undefined;
    if (content === undefined) return void res.writeHead(404).end();
    this.serveBytes(req, res, content, {}, true);
  }

  private serveBytes(req: IncomingMessage, res: ServerResponse, content: Buffer, headers: Record<string, string>, faultable: boolean): void {
    const start = parseRange(req.headers.range, content.length);
    const body = content.subarray(start);
    const status = req.headers.range ? 206 : 200;
    const h: Record<string, string> = { ...headers, 'Content-Length': String(body.length), 'Accept-Ranges': 'bytes' };
    if (status === 206) h['Content-Range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
    res.writeHead(status, h);
    if (req.method === 'HEAD') return void res.end();
    let fault: Fault = 'none';
    if (faultable && this.faultCount > 0) {
      this.faultCount--;
      fault = this.fault;
    }
    const half = Math.floor(body.length / 2);
    if (fault === 'truncate') {
      // fewer bytes than Content-Length, then the connection drops. The callback runs once the kernel
      // holds the bytes, and destroy() closes (FIN, not RST: the request was read in full), so the
      // client always receives exactly `half` bytes, though maybe in the same read as the close.
      res.write(body.subarray(0, half), () => res.destroy());
    } else if (fault === 'stall') {
      res.write(body.subarray(0, half)); // ...and nothing more until the client gives up
    } else if (fault === 'corrupt') {
      const bad = Buffer.from(body);
      bad[bad.length - 1] ^= 0xff;
      res.end(bad);
    } else {
      res.end(body);
    }
  }
}
