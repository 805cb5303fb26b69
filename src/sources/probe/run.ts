/**
 * Probing endpoints: for each host:port, a TCP connect (open, closed, filtered or unreachable), then whether it
 * speaks TLS, then the fingerprint GETs, the follow-up GETs of the service they reveal, and for TLS endpoints the
 * `pki` endpoint probe (chain, protocol versions, cipher suites). Read-only: TLS handshakes and GET requests of
 * fixed paths, nothing else (see src/engines/probe/catalog.ts).
 *
 * Bounded: a pool of `concurrency` endpoints at a time, a per-connection timeout, a per-endpoint time budget, and
 * an endpoint that stays silent or times out twice is given up — so closed, filtered and hostile ports cost at most
 * about one timeout each, in parallel.
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readAnswer, safeExcerpt, safeText, type Answer } from '../../engines/probe/answers.js';
import { DEFAULT_PORTS, FINGERPRINT, followUps, type PlannedRequest } from '../../engines/probe/catalog.js';
import { identify, type Transport } from '../../engines/probe/identify.js';
import { endpointName, type PortState, type ProbedEndpointView, type TlsView } from '../../engines/probe/objects.js';
import { probeEndpoint } from '../tls.js';
import { get, oneLine as errorLine, type HttpLimits } from './http.js';
import type { Target } from './targets.js';

export interface ProbeRunOptions {
  /** Ports for targets that name none (default: the component ports of DEFAULT_PORTS). */
  readonly ports?: readonly number[];
  /** Per-connection timeout in ms (default 3000). */
  readonly timeoutMs?: number;
  /** Endpoints probed at once (default 64). */
  readonly concurrency?: number;
  /** Enumerate the cipher suites of TLS endpoints (default true). */
  readonly ciphers?: boolean;
  /** Caps on answers (bytes of headers and body). */
  readonly maxHeaderBytes?: number;
  readonly maxBodyBytes?: number;
  /** Called after each endpoint, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ProbeRunResult {
  readonly views: ProbedEndpointView[];
  /** One line per target that could not be probed at all (a name that does not resolve). */
  readonly problems: { readonly target: string; readonly message: string }[];
  /** Endpoints probed. */
  readonly endpoints: number;
}

interface Job {
  readonly host: string;
  readonly port: number;
  readonly label: string;
}

/** Run `fn` over `items`, at most `concurrency` at a time, keeping order of results. */
export async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

function oneLine(e: unknown): string {
  return safeText(errorLine(e), 200);
}

/** TCP connect: open, or why not. */
function tcp(host: string, port: number, timeoutMs: number): Promise<{ state: PortState; detail?: string }> {
  return new Promise((resolve) => {
    const sock = netConnect({ host, port });
    let settled = false;
    const done = (r: { state: PortState; detail?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => {
      done({ state: 'filtered', detail: `no answer to the connection within ${timeoutMs} ms` });
    }, timeoutMs);
    sock.on('connect', () => {
      done({ state: 'open' });
    });
    sock.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ECONNREFUSED') done({ state: 'closed', detail: 'connection refused' });
      else done({ state: 'unreachable', detail: oneLine(e) });
    });
  });
}

interface TlsProbe {
  readonly transport?: Transport;
  readonly silent?: boolean;
  readonly alert?: number;
  readonly error?: string;
}

/**
 * Does the port speak TLS? A ServerHello says yes; an HTTP answer to the ClientHello (OpenSSL's "wrong version
 * number") says no; silence says nothing, and the caller tries plain HTTP once.
 */
function detectTls(host: string, port: number, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve) => {
    let settled = false;
    const sock = tlsConnect({ host, port, rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0', ...(isIP(host) === 0 ? { servername: host } : {}) });
    const done = (r: TlsProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => {
      done({ silent: true, error: `no TLS handshake within ${timeoutMs} ms` });
    }, timeoutMs);
    sock.on('secureConnect', () => {
      done({ transport: 'tls' });
    });
    sock.on('error', (e: Error & { code?: string }) => {
      const msg = e.message;
      const alert = /alert number (\d{1,3})/.exec(msg)?.[1];
      if (/wrong version number|packet length too long|unknown protocol|http request|record layer failure/i.test(msg) || e.code === 'ERR_SSL_WRONG_VERSION_NUMBER') done({ transport: 'plain' });
      else if (/alert|handshake failure|certificate|unsupported protocol|no protocols available|no shared cipher/i.test(msg)) done({ transport: 'tls', error: oneLine(e), ...(alert !== undefined ? { alert: Number(alert) } : {}) });
      else done({ error: oneLine(e) });
    });
  });
}

const CLIENT_CERT_ALERTS = new Set([40, 42, 116]);

/** Probe one endpoint. Never throws. */
async function probeOne(job: Job, o: Required<Pick<ProbeRunOptions, 'timeoutMs' | 'ciphers'>> & Pick<ProbeRunOptions, 'maxHeaderBytes' | 'maxBodyBytes'>): Promise<ProbedEndpointView> {
  const base = { endpoint: endpointName(job.host, job.port), host: job.host, port: job.port, target: job.label };
  const T = o.timeoutMs;
  const budgetEnds = Date.now() + T * 16;
  const conn = await tcp(job.host, job.port, T);
  if (conn.state !== 'open') return { ...base, state: conn.state, ...(conn.detail !== undefined ? { stateDetail: conn.detail } : {}), answers: [] };

  const tls = await detectTls(job.host, job.port, T);
  const limits: HttpLimits = { timeoutMs: T, ...(o.maxHeaderBytes !== undefined ? { maxHeaderBytes: o.maxHeaderBytes } : {}), ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}) };
  const answers: Answer[] = [];
  let transport: Transport | undefined = tls.transport;
  let clientCertRequired = tls.alert !== undefined && CLIENT_CERT_ALERTS.has(tls.alert) && /certificate|handshake failure/i.test(tls.error ?? '');
  let timeouts = 0;
  let stop = clientCertRequired;

  const send = async (req: PlannedRequest): Promise<void> => {
    if (stop || Date.now() > budgetEnds || answers.some((a) => a.path === req.path)) return;
    const r = await get({ host: job.host, port: job.port, tls: transport === 'tls' }, req, limits);
    if (r.ok) {
      const read = readAnswer(r);
      // Where a redirect pointed, without its query (OAuth redirects carry state there).
      const location = r.status >= 300 && r.status < 400 && r.location !== undefined ? r.location.split(/[?#]/, 1)[0] : undefined;
      answers.push({ method: 'GET', path: req.path, status: r.status, shape: read.shape, ...(read.detail !== undefined ? { detail: read.detail } : {}), ...(r.headers.server !== undefined && safeExcerpt(r.headers.server) !== undefined ? { server: safeText(r.headers.server, 80) } : {}), ...(location !== undefined ? { location: safeText(location, 120) } : {}) });
      return;
    }
    answers.push({ method: 'GET', path: req.path, error: safeText(r.error, 200) });
    if (r.tlsAlert !== undefined && CLIENT_CERT_ALERTS.has(r.tlsAlert)) {
      clientCertRequired = true;
      stop = true;
    }
    if (r.code === 'ETIMEDOUT' && ++timeouts >= 2) stop = true;
  };

  if (transport === undefined) {
    // Neither a TLS answer nor a clear "not TLS": try plain HTTP once.
    transport = 'plain';
    await send(FINGERPRINT[0] as PlannedRequest);
    if (!answers.some((a) => a.status !== undefined)) {
      const why = tls.silent === true ? `accepted the connection but answered neither a TLS ClientHello nor an HTTP request within ${T} ms` : `answered neither TLS nor HTTP: ${tls.error ?? answers[0]?.error ?? 'no answer'}`;
      return { ...base, state: 'open', stateDetail: why, answers };
    }
  }
  for (const req of FINGERPRINT) await send(req);
  let id = identify(job.port, transport, answers, clientCertRequired);
  for (const req of followUps(id.service)) await send(req);
  if (id.service === undefined) {
    // The generic follow-ups (/pods, the Dashboard's API) may have told; then ask what that service gets asked.
    id = identify(job.port, transport, answers, clientCertRequired);
    for (const req of followUps(id.service)) await send(req);
  }

  let tlsView: TlsView | undefined;
  if (transport === 'tls') {
    const remaining = budgetEnds - Date.now();
    const p = await probeEndpoint(job.host, job.port, { timeoutMs: T, ciphers: o.ciphers, deadline: Date.now() + Math.max(remaining, T) });
    tlsView = {
      protocols: p.protocols,
      ciphers: p.ciphers,
      ...(p.clientCertRequested !== undefined ? { clientCertRequested: p.clientCertRequested } : {}),
      chain: p.chain.map((der) => Buffer.from(der).toString('base64')),
      ...(p.error !== undefined ? { error: p.error } : {}),
    };
  }
  const stateDetail = stop && !clientCertRequired && timeouts >= 2 ? 'gave up after two requests timed out' : Date.now() > budgetEnds ? `time budget of ${T * 16} ms used up` : undefined;
  return {
    ...base,
    state: 'open',
    ...(stateDetail !== undefined ? { stateDetail } : {}),
    transport,
    ...(transport === 'tls' ? { clientCertRequired } : {}),
    ...(id.service !== undefined ? { service: id.service } : {}),
    ...(id.because !== undefined ? { identifiedBy: id.because } : {}),
    answers,
    ...(tlsView ? { tls: tlsView } : {}),
  };
}

/** Probe every target: explicit ports, or the default component ports. */
export async function probeTargets(targets: readonly Target[], options: ProbeRunOptions = {}): Promise<ProbeRunResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const concurrency = options.concurrency ?? 64;
  const ports = options.ports ?? DEFAULT_PORTS.map((p) => p.port);
  const problems: { target: string; message: string }[] = [];
  // Resolve each name once: a name that does not resolve is one problem, not one per port.
  const resolvable = new Map<string, boolean>();
  await pool([...new Set(targets.map((t) => t.host))], concurrency, async (host) => {
    if (isIP(host) !== 0) {
      resolvable.set(host, true);
      return;
    }
    try {
      await lookup(host);
      resolvable.set(host, true);
    } catch (e) {
      resolvable.set(host, false);
      const label = targets.find((t) => t.host === host)?.label ?? host;
      problems.push({ target: label, message: `cannot resolve ${host}: ${oneLine(e)}` });
    }
  });
  const seen = new Set<string>();
  const jobs: Job[] = [];
  for (const t of targets) {
    if (resolvable.get(t.host) !== true) continue;
    for (const port of t.port !== undefined ? [t.port] : ports) {
      const key = endpointName(t.host, port);
      if (seen.has(key)) continue;
      seen.add(key);
      jobs.push({ host: t.host, port, label: t.label });
    }
  }
  let done = 0;
  const views = await pool(jobs, concurrency, async (job) => {
    const v = await probeOne(job, { timeoutMs, ciphers: options.ciphers ?? true, ...(options.maxHeaderBytes !== undefined ? { maxHeaderBytes: options.maxHeaderBytes } : {}), ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}) });
    options.onProgress?.(++done, jobs.length);
    return v;
  });
  return { views, problems, endpoints: jobs.length };
}
