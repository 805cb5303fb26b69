/**
 * The HTTPS server of `kspect webhook serve` (node:https and node:tls only): AdmissionReviews at
 * `/validate/enforce|warn|audit`, ImageReviews at `/imagereview`, `/healthz` and `/readyz`. It owns everything that
 * touches the outside — the body (capped, JSON only), the API server's `?timeout=`, how many requests wait, the
 * serving certificate (reloaded from disk when it changes), structured JSON logs on stderr, graceful shutdown — and
 * leaves the decision to review.ts and imagereview.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { admissionResponse, failureDecision, judgePrepared, parseAdmissionReview, prepareReview, reviewUid, WEBHOOK_MODES, type ReviewContext, type ReviewDecision, type WebhookMode } from './review.js';
import { judgeImageReview, parseImageReview, type ImageReviewContext } from './imagereview.js';
import type { NamespaceSource } from './namespaces.js';
import { admissionImages, coveredImages, pullSecretNames, signatureCheck, type AdmissionImages } from './admission-images.js';
import type { ImageVerifier } from './signatures.js';
import type { K8sObject } from '../../model/object.js';

/** Largest request body read (the API server sends at most 3 MiB objects in a review). */
export const MAX_BODY = 3 * 1024 * 1024;

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface WebhookServerOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly review: ReviewContext;
  readonly images?: ImageReviewContext;
  /**
   * Image signatures from the registries (the signature rules of `.kspect.yaml`): Pods under review and ImageReviews
   * are verified within the API server's deadline. Without it, signature rules are not evaluated at admission.
   */
  readonly verifier?: ImageVerifier;
  readonly namespaces: NamespaceSource;
  /** Requests judged or waiting at once; more are answered 429 (the API server then applies its failurePolicy). */
  readonly maxInFlight?: number;
  /** How often the certificate files are looked at (ms). */
  readonly certPollMs?: number;
  readonly log?: LogFn;
  /** The answer time budget when the API server sends no `?timeout=` (ms). */
  readonly defaultTimeoutMs?: number;
}

export interface WebhookServer {
  readonly port: number;
  readonly url: string;
  /** Stop taking requests, let those in flight finish (up to `graceMs`), then close. */
  close(graceMs?: number): Promise<void>;
  /** Times the serving certificate was reloaded. */
  reloads(): number;
}

/** A JSON log line on stderr, one per event. */
export function jsonLogger(write: (line: string) => void, clock: () => Date = () => new Date(), base: Record<string, unknown> = {}): LogFn {
  return (level, msg, fields = {}) => {
    write(`${JSON.stringify({ time: clock().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
}

/** Go's duration syntax as the API server writes `?timeout=10s` (also `500ms`, `1m30s`); ms or undefined. */
export function parseGoDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let i = 0;
  if (s === '') return undefined;
  while (i < s.length) {
    let j = i;
    while (j < s.length && ((s[j] ?? '') >= '0' && (s[j] ?? '') <= '9' || s[j] === '.')) j++;
    if (j === i) return undefined;
    const n = Number(s.slice(i, j));
    let k = j;
    while (k < s.length && !((s[k] ?? '') >= '0' && (s[k] ?? '') <= '9')) k++;
    const unit = units[s.slice(j, k)];
    if (unit === undefined || !Number.isFinite(n)) return undefined;
    total += n * unit;
    i = k;
  }
  return total;
}

async function loadContext(certFile: string, keyFile: string): Promise<{ ctx: SecureContext; cert: Buffer; key: Buffer }> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { ctx: createSecureContext({ cert, key, minVersion: 'TLSv1.2' }), cert, key };
}

/** Start the server; resolves once it listens. */
export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const log = opts.log ?? (() => undefined);
  const maxInFlight = opts.maxInFlight ?? 256;
  const initial = await loadContext(opts.certFile, opts.keyFile);
  let reloads = 0;
  let inFlight = 0;
  let closing = false;

  const server: Server = createServer({ cert: initial.cert, key: initial.key, minVersion: 'TLSv1.2' }, (req, res) => {
    void handle(req, res);
  });
  // Slow or idle clients cannot hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 30_000;

  const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): boolean => {
    if (res.headersSent || res.destroyed) return false;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text), ...extra });
    res.end(text);
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', 'https://webhook');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok');
    if (req.method === 'GET' && path === '/readyz') return closing ? send(res, 503, 'shutting down') : opts.namespaces.ready() ? send(res, 200, 'ok') : send(res, 503, 'namespaces not listed yet');
    const mode = path.startsWith('/validate/') ? (WEBHOOK_MODES as readonly string[]).includes(path.slice(10)) ? (path.slice(10) as WebhookMode) : undefined : undefined;
    const image = path === '/imagereview';
    if (!mode && !image) {
      req.resume();
      log('warn', 'unknown path', { path: path.slice(0, 200) });
      return send(res, 404, 'not found: POST /validate/enforce, /validate/warn, /validate/audit or /imagereview');
    }
    if (req.method !== 'POST') {
      req.resume();
      return send(res, 405, 'POST only', { allow: 'POST' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      log('warn', 'refused: content type is not application/json', { path, contentType: (req.headers['content-type'] ?? '').slice(0, 100) });
      return send(res, 400, 'only application/json is accepted');
    }
    if (inFlight >= maxInFlight || closing) {
      req.resume();
      log('warn', closing ? 'refused: shutting down' : 'refused: too many requests in flight', { path, inFlight });
      return send(res, closing ? 503 : 429, closing ? 'shutting down' : 'too many requests', { 'retry-after': '1' });
    }
    inFlight++;
    try {
      const timeout = parseGoDuration(url.searchParams.get('timeout') ?? '') ?? opts.defaultTimeoutMs ?? 10_000;
      // Answer before the API server gives up (then its failurePolicy, not ours, would decide): a tenth of the
      // budget, 50 ms to 1 s, is kept for judging and sending.
      const deadline = t0 + timeout - Math.min(1_000, Math.max(50, timeout / 10));
      const body = await readBody(req, MAX_BODY);
      if (body === 'too-large') {
        log('warn', 'refused: body over 3 MiB', { path });
        return send(res, 413, 'the request body is over 3 MiB', { connection: 'close' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        log('warn', 'refused: body is not JSON', { path });
        return send(res, 400, 'the body is not JSON');
      }
      if (image) {
        const q = parseImageReview(parsed);
        if (!q.ok) {
          log('warn', 'refused: not an ImageReview', { path, error: q.error });
          return send(res, 400, q.error);
        }
        const ictx = opts.images ?? {};
        const failOn = ictx.failOn ?? 'medium';
        const covered = ictx.review ? await verifyImages(q.pod, ictx.review, { kind: 'severity', threshold: failOn, text: failOn }, deadline, timeout) : undefined;
        const r = judgeImageReview(q, ictx, covered);
        log('info', 'imagereview', { namespace: r.namespace, images: r.images, allowed: r.response.status.allowed, ...(covered ? { signatures: covered.failure ?? 'read' } : {}), ms: round(performance.now() - t0) });
        return send(res, 200, r.response);
      }
      if (!mode) return false;
      const p = parseAdmissionReview(parsed);
      if (!p.ok) {
        log('warn', 'refused: not an admission.k8s.io/v1 AdmissionReview', { path, error: p.error, uid: reviewUid(parsed) });
        return send(res, 400, p.error);
      }
      const rq = p.request;
      // The namespace read is the only wait; the judging itself is synchronous.
      let ns: Awaited<ReturnType<NamespaceSource['get']>> | 'timeout' | Error;
      try {
        ns = rq.namespace !== undefined ? await withDeadline(opts.namespaces.get(rq.namespace), deadline - performance.now()) : undefined;
      } catch (e) {
        ns = e instanceof Error ? e : new Error(String(e));
      }
      let decision: ReviewDecision;
      if (ns === 'timeout' || ns instanceof Error) decision = failureDecision(mode, opts.review, `namespace ${rq.namespace ?? ''} could not be read${ns instanceof Error ? `: ${ns.message}` : ' in time'}`);
      else {
        const prepared = prepareReview(rq, mode, ns, opts.review);
        if ('allowed' in prepared) decision = prepared;
        else {
          // A Pod's images under a signature rule: their signatures are read from the registries (cached per digest).
          const images = await verifyImages(prepared.object, opts.review, prepared.policy, deadline, timeout);
          decision = judgePrepared(prepared, opts.review, images);
        }
      }
      const sent = send(res, 200, admissionResponse(rq.uid, decision));
      log('info', 'admission', {
        uid: rq.uid,
        mode,
        operation: rq.operation,
        kind: rq.kind.kind,
        ...(rq.subResource !== undefined ? { subResource: rq.subResource } : {}),
        ...(rq.namespace !== undefined ? { namespace: rq.namespace } : {}),
        name: rq.name ?? '',
        ...(rq.username !== undefined ? { user: rq.username } : {}),
        dryRun: rq.dryRun,
        allowed: decision.allowed,
        outcome: decision.outcome,
        checks: decision.checks,
        ms: round(performance.now() - t0),
      });
      return sent;
    } catch (e) {
      log('error', 'request failed', { path, error: e instanceof Error ? e.message : String(e) });
      return send(res, 500, 'internal error');
    } finally {
      inFlight--;
    }
  }

  /**
   * The registry evidence of a Pod's images that a signature rule covers and the mode's policy could act on; undefined
   * when there are none (nothing is read). Waits at most until the deadline: then the images are not evaluated, and
   * the answer says why (the gathering goes on and fills the cache for the next review).
   */
  async function verifyImages(pod: K8sObject, review: ReviewContext, policy: Parameters<typeof signatureCheck>[1], deadline: number, timeout: number): Promise<AdmissionImages | undefined> {
    const v = opts.verifier;
    if (!v || !signatureCheck(review.checks, policy)) return undefined;
    const covered = coveredImages(pod, (ref, ns) => v.covers(ref, ns));
    if (covered.length === 0) return undefined;
    const secrets = pullSecretNames(pod);
    const ns = pod.metadata.namespace;
    let ev;
    try {
      ev = await withDeadline(v.evidence(covered.map((c) => ({ ref: c.ref, ...(ns !== undefined ? { namespace: ns } : {}), pullSecrets: secrets }))), deadline - performance.now());
    } catch (e) {
      return { objects: [], failure: `the registries could not be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (ev === 'timeout') return { objects: [], failure: `the registries did not answer within the API server's timeout (${round(timeout)} ms)` };
    return admissionImages(pod, covered, ev, v.rules);
  }

  // Reload the serving certificate when its files change (cert-manager rotates them in place).
  let lastStamp = await stamp(opts.certFile, opts.keyFile);
  const poll = setInterval(() => {
    void (async () => {
      try {
        const now = await stamp(opts.certFile, opts.keyFile);
        if (now === lastStamp) return;
        const next = await loadContext(opts.certFile, opts.keyFile);
        server.setSecureContext({ cert: next.cert, key: next.key, minVersion: 'TLSv1.2' });
        lastStamp = now;
        reloads++;
        log('info', 'serving certificate reloaded', { cert: opts.certFile });
      } catch (e) {
        // A half-written pair (certificate renewed, key not yet): keep serving the old one, try again next time.
        log('warn', 'serving certificate not reloaded', { error: e instanceof Error ? e.message : String(e) });
      }
    })();
  }, opts.certPollMs ?? 5_000);
  poll.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log('info', 'listening', { url: `https://${host}:${addr.port}` });

  return {
    port: addr.port,
    url: `https://${host}:${addr.port}`,
    reloads: () => reloads,
    async close(graceMs = 10_000) {
      closing = true;
      log('info', 'stopping', { inFlight });
      clearInterval(poll);
      opts.namespaces.stop();
      const closed = new Promise<void>((r) => server.close(() => { r(); }));
      server.closeIdleConnections();
      const end = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      log('info', 'stopped', {});
    },
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

async function stamp(certFile: string, keyFile: string): Promise<string> {
  const [a, b] = await Promise.all([stat(certFile), stat(keyFile)]);
  return `${a.mtimeMs}:${a.size}:${a.ino}:${b.mtimeMs}:${b.size}:${b.ino}`;
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  if (ms <= 0) return Promise.resolve('timeout');
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { resolve('timeout'); }, ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

/** The body, or 'too-large' once it passes `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
