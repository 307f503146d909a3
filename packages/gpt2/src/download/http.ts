import * as http from 'node:http';
import * as https from 'node:https';
import { DownloadError } from './errors';

/** An HTTP response whose body has not been read yet. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  url: string;
  body: http.IncomingMessage;
  /** True once the idle timer fired: a body error after that is a stall, not a network failure. */
  stalled(): boolean;
}

/** Options of one request. */
export interface RequestOptions {
  headers?: Record<string, string>;
  /** Idle time (ms) with no byte on the socket before the request is abandoned as stalled. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One HTTP(S) request with no redirect handling. A socket that stays silent for `timeoutMs`
 * (while connecting, waiting for headers, or in the middle of the body) is destroyed; the promise
 * then rejects (or the body errors) with `E_DOWNLOAD_STALLED` naming the URL.
 */
export function request(method: 'GET' | 'HEAD', url: string, opts: RequestOptions): Promise<HttpResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DownloadError('E_DOWNLOAD_ARG', `invalid URL ${JSON.stringify(url)}`, url);
  }
  const lib = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
  if (lib === null) throw new DownloadError('E_DOWNLOAD_ARG', `${url}: only http: and https: URLs are supported`, url);
  return new Promise((resolvePromise, reject) => {
    let stalled = false;
    // agent: false = one connection per request, so a socket timeout never outlives its request
    const req = lib.request(u, { method, headers: opts.headers, agent: false, signal: opts.signal });
    req.setTimeout(opts.timeoutMs, () => {
      stalled = true;
      req.destroy(new DownloadError('E_DOWNLOAD_STALLED', `${url}: no data for ${opts.timeoutMs} ms (stalled connection); run again to resume`, url));
    });
    req.on('error', (err) => {
      if (err instanceof DownloadError) reject(err);
      else if (opts.signal?.aborted) reject(err);
      else reject(new DownloadError('E_DOWNLOAD_NETWORK', `${url}: ${(err as Error).message}`, url));
    });
    req.on('response', (res) => {
      resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, url, body: res, stalled: () => stalled });
    });
    req.end();
  });
}

function header(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** A response header by name (first value when repeated). */
export { header };

/**
 * {@link request} that follows up to 10 redirects for which `follow(from, to, location)` is true; the last
 * response is returned (a redirect that is not followed is returned as is). `Authorization` is
 * dropped when a redirect leaves the original host, so a token never reaches a CDN.
 * @throws DownloadError `E_DOWNLOAD_HTTP` on a redirect without `Location` or a redirect loop
 */
export async function requestFollowing(
  method: 'GET' | 'HEAD',
  url: string,
  opts: RequestOptions,
  follow: (from: URL, to: URL, location: string) => boolean = () => true,
): Promise<HttpResponse> {
  let current = url;
  let headers = { ...opts.headers };
  const origin = new URL(url).host;
  for (let hop = 0; hop <= 10; hop++) {
    const res = await request(method, current, { ...opts, headers });
    if (res.status < 300 || res.status >= 400 || res.status === 304) return res;
    const location = header(res.headers, 'location');
    if (location === undefined) {
      res.body.resume();
      throw new DownloadError('E_DOWNLOAD_HTTP', `${current}: HTTP ${res.status} redirect without a Location header`, current, res.status);
    }
    const next = new URL(location, current);
    if (!follow(new URL(current), next, location)) return res;
    res.body.resume();
    if (next.host !== origin) {
      const { Authorization: _drop, ...rest } = headers;
      headers = rest;
    }
    current = next.href;
  }
  throw new DownloadError('E_DOWNLOAD_HTTP', `${url}: more than 10 redirects`, url);
}
