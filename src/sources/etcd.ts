/**
 * Reading etcd v3 through its gRPC JSON gateway (`POST /v3/kv/range`), which every etcd ≥ 3.4 serves on its client
 * listener: plain HTTPS with the client certificate, no gRPC stack, no extra dependency. Ranges are paginated by key
 * and read at one revision so a listing is a consistent snapshot.
 * Also probes etcd's posture: does the client listener speak plaintext, does it accept a client without a
 * certificate, does a metrics URL answer without authentication.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { readErrorText, readRegularFile } from './safe-read.js';

export interface EtcdTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface EtcdConnection {
  /** e.g. `https://10.0.0.1:2379`. */
  readonly endpoint: string;
  readonly tls: EtcdTls;
  readonly timeoutMs?: number;
}

export interface EtcdKv {
  readonly key: string;
  readonly value: Uint8Array;
}

export class EtcdError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EtcdError';
  }
}

/** Largest certificate bundle or key file read. */
const MAX_TLS_FILE = 16 * 1024 * 1024;

export async function loadTls(files: { cacert?: string; cert?: string; key?: string }): Promise<EtcdTls> {
  const read = async (f: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (f === undefined) return undefined;
    try {
      return await readRegularFile(f, { max: MAX_TLS_FILE });
    } catch (e) {
      throw new EtcdError(`cannot read ${what} ${f}: ${readErrorText(e)}`);
    }
  };
  const [ca, cert, key] = await Promise.all([read(files.cacert, '--cacert'), read(files.cert, '--cert'), read(files.key, '--key')]);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** POST a JSON body to the gateway and parse the JSON answer. */
function post(conn: EtcdConnection, path: string, body: unknown): Promise<unknown> {
  const url = new URL(path, conn.endpoint);
  const data = Buffer.from(JSON.stringify(body));
  const secure = url.protocol === 'https:';
  const options: RequestOptions = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': data.length },
    timeout: conn.timeoutMs ?? 15_000,
    ...(secure ? { ...(conn.tls.ca ? { ca: conn.tls.ca } : {}), ...(conn.tls.cert ? { cert: conn.tls.cert } : {}), ...(conn.tls.key ? { key: conn.tls.key } : {}) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 300) {
          reject(new EtcdError(`${url.origin}${path} answered HTTP ${res.statusCode}: ${gatewayMessage(text)}`, res.statusCode));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new EtcdError(`${url.origin}${path} did not answer JSON (is this an etcd ≥ 3.4 client URL?)`));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new EtcdError(`${url.origin}: no answer within ${options.timeout}ms`)));
    req.on('error', (e) => {
      reject(e instanceof EtcdError ? e : new EtcdError(`${url.origin}: ${e.message}`));
    });
    req.end(data);
  });
}

function gatewayMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = typeof j.message === 'string' ? j.message : typeof j.error === 'string' ? j.error : undefined;
    if (m !== undefined) return m;
  } catch {
    // not JSON
  }
  return text.slice(0, 200).replace(/\s+/g, ' ');
}

const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');

/** The range end that covers every key starting with `prefix`. */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if ((b[i] as number) < 0xff) {
      const end = Buffer.from(b.subarray(0, i + 1));
      end[i] = (b[i] as number) + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

/**
 * Every key/value under `prefix`, `pageSize` at a time, at the revision of the first page.
 * `onPage` is told how many were read so far (for progress).
 */
export async function* rangePrefix(conn: EtcdConnection, prefix: string, opts: { pageSize?: number; keysOnly?: boolean } = {}): AsyncGenerator<EtcdKv> {
  const end = prefixEnd(prefix);
  let start: Buffer = Buffer.from(prefix);
  let revision: string | undefined;
  const limit = opts.pageSize ?? 500;
  for (;;) {
    const res = await post(conn, '/v3/kv/range', {
      key: b64(start),
      range_end: end.toString('base64'),
      limit: String(limit),
      ...(revision !== undefined ? { revision } : {}),
      ...(opts.keysOnly ? { keys_only: true } : {}),
    });
    const r = res as { header?: { revision?: unknown }; kvs?: unknown; more?: unknown };
    if (revision === undefined && typeof r.header?.revision === 'string') revision = r.header.revision;
    const kvs = Array.isArray(r.kvs) ? (r.kvs as unknown[]) : [];
    let last: Buffer | undefined;
    for (const kv of kvs) {
      const k = kv as { key?: unknown; value?: unknown };
      if (typeof k.key !== 'string') continue;
      const keyBytes = Buffer.from(k.key, 'base64');
      last = keyBytes;
      yield { key: keyBytes.toString('utf8'), value: typeof k.value === 'string' ? new Uint8Array(Buffer.from(k.value, 'base64')) : new Uint8Array() };
    }
    if (r.more !== true || !last) return;
    start = Buffer.concat([last, Buffer.from([0])]);
  }
}

export type ProbeOutcome = 'yes' | 'no' | 'unknown';

export interface EtcdPosture {
  readonly endpoint: string;
  /** The client URL is plain HTTP. */
  readonly plaintextListener: boolean;
  /** A client without a certificate could read through the client listener. */
  readonly unauthenticatedAccess: ProbeOutcome;
  readonly unauthenticatedDetail: string;
  /** Metrics URLs that answered `GET /metrics` without a client certificate. */
  readonly metrics: readonly { readonly url: string; readonly open: ProbeOutcome; readonly detail: string }[];
  /** Version reported by `/version`, when readable. */
  readonly version?: string;
}

function get(url: string, tls: EtcdTls, timeoutMs: number): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(u, { timeout: timeoutMs, ...(secure ? { ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size < 1 << 20) chunks.push(c);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Probe etcd's own posture. Only reads: a version query and a one-key range without a certificate. */
export async function probePosture(conn: EtcdConnection, metricsUrls: readonly string[]): Promise<EtcdPosture> {
  const timeout = Math.min(conn.timeoutMs ?? 5000, 5000);
  const plaintextListener = new URL(conn.endpoint).protocol === 'http:';
  let version: string | undefined;
  try {
    const v = await get(new URL('/version', conn.endpoint).toString(), conn.tls, timeout);
    const j = JSON.parse(v.body) as { etcdserver?: unknown };
    if (typeof j.etcdserver === 'string') version = j.etcdserver;
  } catch {
    // version is informational
  }
  // Without a client certificate (but trusting the CA, so only the certificate is missing).
  const anonymous: EtcdConnection = { endpoint: conn.endpoint, tls: conn.tls.ca ? { ca: conn.tls.ca } : {}, timeoutMs: timeout };
  let unauthenticatedAccess: ProbeOutcome;
  let unauthenticatedDetail: string;
  try {
    await post(anonymous, '/v3/kv/range', { key: b64('/'), range_end: b64('0'), limit: '1', keys_only: true });
    unauthenticatedAccess = 'yes';
    unauthenticatedDetail = 'a range request without a client certificate succeeded';
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/certificate|handshake|alert|ECONNRESET|socket hang up|EPIPE/i.test(msg) || (e instanceof EtcdError && (e.status === 401 || e.status === 403))) {
      unauthenticatedAccess = 'no';
      unauthenticatedDetail = 'a request without a client certificate was refused';
    } else {
      unauthenticatedAccess = 'unknown';
      unauthenticatedDetail = `could not tell: ${msg}`;
    }
  }
  const metrics: { url: string; open: ProbeOutcome; detail: string }[] = [];
  for (const m of metricsUrls) {
    const url = new URL('/metrics', m).toString();
    try {
      const r = await get(url, conn.tls.ca ? { ca: conn.tls.ca } : {}, timeout);
      const open = r.status === 200 && /etcd_/.test(r.body);
      metrics.push({ url, open: open ? 'yes' : 'no', detail: open ? 'GET /metrics without a client certificate returned etcd metrics' : `GET /metrics answered HTTP ${r.status}` });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      metrics.push({ url, open: /certificate|handshake|alert|ECONNRESET|socket hang up/i.test(msg) ? 'no' : 'unknown', detail: msg });
    }
  }
  return { endpoint: conn.endpoint, plaintextListener, unauthenticatedAccess, unauthenticatedDetail, metrics, ...(version !== undefined ? { version } : {}) };
}
