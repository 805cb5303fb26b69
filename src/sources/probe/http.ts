/**
 * The probe's HTTP client: GET only, one request per connection, and hard caps so a hostile server cannot hang or
 * exhaust kspect — a deadline on the whole exchange (connect, TLS, headers and body: a slow drip cannot stretch it),
 * a cap on header bytes, a cap on body bytes (an endless body is cut), and no redirect followed off the origin.
 * TLS certificates are not verified here (the probe looks at servers it does not trust); the `pki` endpoint probe
 * judges them separately. No credentials are ever sent.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PlannedRequest } from '../../engines/probe/catalog.js';
import type { RawResponse } from '../../engines/probe/answers.js';

export interface HttpLimits {
  /** Deadline for one whole exchange, in ms. */
  readonly timeoutMs: number;
  /** Most header bytes accepted (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** Most body bytes read (default 64 KiB); the rest is not read. */
  readonly maxBodyBytes?: number;
  /** Same-origin redirects followed (default 2). Off-origin ones never are. */
  readonly maxRedirects?: number;
}

export interface HttpTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

export type HttpOutcome =
  | ({ readonly ok: true; readonly location?: string } & RawResponse)
  | { readonly ok: false; readonly error: string; readonly code?: string; readonly tlsAlert?: number };

export const USER_AGENT = 'kspect-probe';

/** The TLS alert number in an OpenSSL error message (`… alert number 116`, `tlsv13 alert certificate required`). */
function alertOf(e: Error & { code?: string }): number | undefined {
  const n = /alert number (\d{1,3})/.exec(e.message)?.[1];
  if (n !== undefined) return Number(n);
  if (/alert certificate required/i.test(e.message)) return 116;
  if (/alert bad certificate/i.test(e.message)) return 42;
  if (/alert handshake failure/i.test(e.message)) return 40;
  return undefined;
}

/** One short line: OpenSSL's `…:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:…` becomes its reason. */
export function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const ssl = /SSL routines:[^:]{0,64}:([^:]{1,120})/.exec(m)?.[1];
  const alert = /SSL alert number (\d{1,3})/.exec(m)?.[1];
  if (ssl !== undefined) return `TLS: ${ssl}${alert !== undefined ? ` (alert ${alert})` : ''}`;
  return (m.split('\n')[0] ?? m).slice(0, 200);
}

function headerMap(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** One GET, within the limits. Never throws. */
function once(t: HttpTarget, path: string, accept: string | undefined, limits: HttpLimits): Promise<HttpOutcome> {
  const maxBody = limits.maxBodyBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const hostHeader = `${isIP(t.host) === 6 ? `[${t.host}]` : t.host}:${t.port}`;
    const options = {
      host: t.host,
      port: t.port,
      method: 'GET' as const,
      path,
      agent: false as const,
      headers: { host: hostHeader, accept: accept ?? 'application/json, */*', 'user-agent': USER_AGENT, connection: 'close' },
      maxHeaderSize: limits.maxHeaderBytes ?? 16 * 1024,
      insecureHTTPParser: false,
      ...(t.tls ? { rejectUnauthorized: false, minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0', ...(isIP(t.host) === 0 ? { servername: t.host } : {}) } : {}),
    };
    const finish = (o: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(o);
    };
    const req = (t.tls ? httpsRequest : httpRequest)(options, (res) => {
      const status = res.statusCode ?? 0;
      const headers = headerMap(res);
      const done = (truncated: boolean): void => {
        finish({ ok: true, path, status, headers, body: Buffer.concat(chunks).toString('utf8'), truncated, ...(headers.location !== undefined ? { location: headers.location } : {}) });
      };
      res.on('data', (c: Buffer) => {
        if (settled) return;
        const room = maxBody - size;
        if (c.length >= room) {
          chunks.push(c.subarray(0, room));
          size = maxBody;
          done(true);
          return;
        }
        chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        done(false);
      });
      res.on('error', (e) => {
        finish({ ok: false, error: oneLine(e) });
      });
    });
    const deadline = setTimeout(() => {
      finish({ ok: false, error: `no complete answer within ${limits.timeoutMs} ms`, code: 'ETIMEDOUT' });
    }, limits.timeoutMs);
    req.on('error', (e: Error & { code?: string }) => {
      const alert = alertOf(e);
      const code = e.code;
      const error = code === 'HPE_HEADER_OVERFLOW' ? `headers larger than ${limits.maxHeaderBytes ?? 16 * 1024} bytes` : oneLine(e);
      finish({ ok: false, error, ...(code !== undefined ? { code } : {}), ...(alert !== undefined ? { tlsAlert: alert } : {}) });
    });
    req.end();
  });
}

/** True when `location` stays on the same scheme, host and port. */
export function sameOrigin(t: HttpTarget, location: string): string | undefined {
  let u: URL;
  try {
    u = new URL(location, `${t.tls ? 'https' : 'http'}://${isIP(t.host) === 6 ? `[${t.host}]` : t.host}:${t.port}/`);
  } catch {
    return undefined;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  if (u.protocol !== (t.tls ? 'https:' : 'http:') || host.toLowerCase() !== t.host.toLowerCase() || port !== t.port) return undefined;
  return `${u.pathname}${u.search}`;
}

/** GET `req.path`, following at most `maxRedirects` same-origin redirects. */
export async function get(t: HttpTarget, req: PlannedRequest, limits: HttpLimits): Promise<HttpOutcome> {
  let path = req.path;
  for (let hop = 0; ; hop++) {
    const r = await once(t, path, req.accept, limits);
    if (!r.ok || r.status < 300 || r.status >= 400 || r.location === undefined) return r.ok ? { ...r, path: req.path } : r;
    const next = sameOrigin(t, r.location);
    if (next === undefined || hop >= (limits.maxRedirects ?? 2)) return { ...r, path: req.path };
    path = next;
  }
}
