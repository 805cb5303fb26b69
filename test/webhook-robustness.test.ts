/**
 * What the webhook server does under pressure, over loopback HTTPS: the API server's `?timeout=` (a review that cannot
 * finish answers with the failure mode before the deadline), HTTP 429 at max in flight, and graceful shutdown — in
 * process (close(): the request in flight completes, new connections are refused) and as the built CLI with one
 * process and with `--workers 2` (SIGTERM: the same, then exit 0). The namespace read is the request's only wait; a
 * namespace source held shut by the test is how a review is kept "in flight" (the in-process tests), and a body sent
 * in two halves around the SIGTERM is how it is done through the CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../src/model/object.js';
import { reviewContext } from '../src/sources/webhook/context.js';
import { staticNamespaces, type NamespaceSource } from '../src/sources/webhook/namespaces.js';
import { startWebhookServer, type WebhookServer } from '../src/sources/webhook/server.js';
import { cpuQuotaCap } from '../src/sources/cpus.js';
import { BIN } from './support/cli.js';
import { admissionReview, servingCert, webhookClient, type ServingCert } from './support/webhook.js';

const shop = toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kspect.dev/enforce': 'high', 'kspect.dev/warn': 'high' } } }, undefined) as K8sObject;
const privileged = (name = 'web'): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] } });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Namespaces that answer only once the test opens the gate (never, if it does not). */
function gated(objects: readonly K8sObject[]): { source: NamespaceSource; open: () => void; waiting: () => number } {
  const inner = staticNamespaces(objects);
  let open = (): void => undefined;
  const gate = new Promise<void>((r) => (open = r));
  let waiting = 0;
  return {
    source: {
      async get(name) {
        waiting++;
        await gate;
        return inner.get(name);
      },
      ready: () => true,
      stop: () => undefined,
    },
    open: () => {
      open();
    },
    waiting: () => waiting,
  };
}

async function until(what: string, cond: () => boolean, tries = 400): Promise<void> {
  for (let i = 0; i < tries && !cond(); i++) await sleep(25);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

type Answer = { status: number; body: { response?: { allowed: boolean; status?: { code: number; message: string }; warnings?: string[] } } | string; headers: Record<string, string | string[] | undefined> };

describe('webhook server under pressure (in process)', () => {
  let cert: ServingCert;
  const servers: WebhookServer[] = [];
  beforeAll(() => {
    cert = servingCert();
  });
  afterAll(async () => {
    for (const s of servers) await s.close(100);
    rmSync(cert.dir, { recursive: true, force: true });
  });
  const start = async (source: NamespaceSource, extra: { failureMode?: 'deny' | 'allow'; maxInFlight?: number } = {}, lines: string[] = []): Promise<WebhookServer> => {
    const s = await startWebhookServer({ certFile: cert.cert, keyFile: cert.key, review: reviewContext({ failureMode: extra.failureMode ?? 'deny' }), namespaces: source, ...(extra.maxInFlight !== undefined ? { maxInFlight: extra.maxInFlight } : {}), log: (level, msg, fields) => lines.push(JSON.stringify({ level, msg, ...fields })) });
    servers.push(s);
    return s;
  };

  it('a review that cannot finish within ?timeout= answers with the failure mode before the deadline, saying why', async () => {
    // The namespace never arrives: without the deadline there would be no answer at all.
    const lines: string[] = [];
    const deny = await start(gated([shop]).source, { failureMode: 'deny' }, lines);
    const c = webhookClient(deny.url, cert.ca);
    const r = await c.post('/validate/enforce?timeout=2s', admissionReview(privileged(), { namespace: 'shop' }));
    expect(r.status).toBe(200);
    const res = (r.body as { response: { allowed: boolean; status: { code: number; message: string } } }).response;
    expect(res.allowed).toBe(false);
    expect(res.status.code).toBe(500);
    expect(res.status.message).toContain('namespace shop could not be read in time');
    expect(res.status.message).toContain('denied by the failure mode (deny)');
    // The server's own clock: it answered inside the 2 s the API server gave it (it keeps a tenth for the answer).
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; ms?: number }).find((l) => l.msg === 'admission');
    expect(logged?.ms).toBeLessThan(2000);
    // The same, warn endpoint: allowed, with a warning that says kspect could not judge.
    const w = await c.post('/validate/warn?timeout=1s', admissionReview(privileged(), { namespace: 'shop' }));
    const wr = (w.body as { response: { allowed: boolean; warnings: string[] } }).response;
    expect(wr.allowed).toBe(true);
    expect(wr.warnings[0]).toContain('could not evaluate this request (namespace shop could not be read in time)');
    c.close();

    const allow = await start(gated([shop]).source, { failureMode: 'allow' });
    const c2 = webhookClient(allow.url, cert.ca);
    const a = await c2.post('/validate/enforce?timeout=1s', admissionReview(privileged(), { namespace: 'shop' }));
    const ar = (a.body as { response: { allowed: boolean; warnings: string[] } }).response;
    expect(ar.allowed).toBe(true);
    expect(ar.warnings[0]).toContain('allowed by the failure mode (allow)');
    c2.close();
  });

  it('answers 429 with Retry-After once max in flight is reached, and judges the waiting requests when they can go on', async () => {
    const g = gated([shop]);
    const lines: string[] = [];
    const s = await start(g.source, { maxInFlight: 2 }, lines);
    const c = webhookClient(s.url, cert.ca);
    const first = [c.post('/validate/enforce?timeout=10s', admissionReview(privileged('a'), { namespace: 'shop' })), c.post('/validate/enforce?timeout=10s', admissionReview(privileged('b'), { namespace: 'shop' }))];
    await until('two reviews in flight', () => g.waiting() === 2);
    const third = await c.post('/validate/enforce?timeout=10s', admissionReview(privileged('c'), { namespace: 'shop' }));
    expect(third.status).toBe(429);
    expect(lines.some((l) => l.includes('too many requests in flight'))).toBe(true);
    g.open();
    for (const r of await Promise.all(first)) {
      expect(r.status).toBe(200);
      expect((r.body as { response: { allowed: boolean; status: { code: number } } }).response).toMatchObject({ allowed: false, status: { code: 403 } });
    }
    expect((await c.post('/validate/enforce?timeout=10s', admissionReview(privileged('d'), { namespace: 'shop' }))).status).toBe(200);
    c.close();
  });

  it('close(): the review in flight completes, new connections are refused', async () => {
    const g = gated([shop]);
    const s = await start(g.source);
    const c = webhookClient(s.url, cert.ca);
    const inFlight = c.post('/validate/enforce?timeout=10s', admissionReview(privileged(), { namespace: 'shop' }));
    await until('the review in flight', () => g.waiting() === 1);
    const closed = s.close(10_000);
    await expect(tlsHandshake(s.port, cert.ca)).rejects.toThrow(/ECONNREFUSED/);
    g.open();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect((r.body as { response: { allowed: boolean } }).response.allowed).toBe(false);
    await closed;
    c.close();
  });
});

describe('--workers default', () => {
  it('is the CPUs, capped by a cgroup v2 CPU limit (cpu.max), at least 1', () => {
    expect(cpuQuotaCap(undefined, 8)).toBe(8);
    expect(cpuQuotaCap('max 100000\n', 8)).toBe(8);
    expect(cpuQuotaCap('100000 100000\n', 64)).toBe(1);
    expect(cpuQuotaCap('150000 100000\n', 64)).toBe(2);
    expect(cpuQuotaCap('50000 100000\n', 64)).toBe(1);
    expect(cpuQuotaCap('400000 100000\n', 2)).toBe(2);
    expect(cpuQuotaCap('garbage', 4)).toBe(4);
  });
});

describe('kspect webhook serve: SIGTERM with a review in flight (built CLI)', () => {
  let cert: ServingCert;
  let nsFile: string;
  const procs: ChildProcess[] = [];
  beforeAll(() => {
    cert = servingCert();
    nsFile = join(cert.dir, 'namespaces.yaml');
    writeFileSync(nsFile, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kspect.dev/enforce: high}}\n');
  });
  afterAll(() => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    rmSync(cert.dir, { recursive: true, force: true });
  });

  for (const workers of [1, 2]) {
    it(`--workers ${workers}: the review completes, new connections are refused, exit 0`, async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'webhook', 'serve', '--tls-cert', cert.cert, '--tls-key', cert.key, '--listen', `127.0.0.1:${port}`, '--namespaces', nsFile, '--workers', String(workers)], { stdio: ['ignore', 'ignore', 'pipe'] });
      procs.push(child);
      let log = '';
      child.stderr.on('data', (d: Buffer) => (log += d.toString('utf8')));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => { r(code); }));
      await until('the server to listen', () => log.includes(workers > 1 ? '"workers serving"' : '"listening"'));

      // A review whose body is half sent: the server has it in flight.
      const body = Buffer.from(JSON.stringify(admissionReview(privileged(), { namespace: 'shop' })));
      const answer = halfSent(port, cert.ca, body);
      await answer.headersSent;
      await sleep(200);
      child.kill('SIGTERM');
      await until('every worker to stop listening', () => log.split('"msg":"stopping"').length - 1 >= workers);
      // No new connection is served. With --workers the primary holds the listening socket until the last worker's
      // handle is gone: a connection in that moment is accepted and reset (ECONNRESET), then refused.
      for (let tries = 0; ; tries++) {
        const e = await tlsHandshake(port, cert.ca).then(
          () => new Error('a new connection was served after SIGTERM'),
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        );
        if (/ECONNREFUSED/.test(e.message)) break;
        expect(workers > 1 && tries < 100 ? e.message : 'refused', e.message).toMatch(/ECONNRESET|socket hang up|refused/);
        await sleep(50);
      }
      answer.finish();
      const r = await answer.result;
      expect(r.status).toBe(200);
      expect(typeof r.body === 'object' && r.body.response?.allowed).toBe(false);
      expect(await exited).toBe(0);
      expect(log).toContain('"stopped"');
    });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => { resolve(port); });
    });
  });
}

function tlsHandshake(port: number, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(ca) }, () => {
      s.end();
      resolve();
    });
    s.on('error', reject);
  });
}

/** POST a review over a raw TLS socket: headers and the first half of the body now, the rest on finish(). */
function halfSent(port: number, ca: string, body: Buffer): { headersSent: Promise<void>; finish: () => void; result: Promise<Answer> } {
  const half = Math.floor(body.length / 2);
  let chunks = '';
  let sent = (): void => undefined;
  const headersSent = new Promise<void>((r) => (sent = r));
  const socket = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(ca) }, () => {
    socket.write(`POST /validate/enforce?timeout=10s HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`);
    socket.write(body.subarray(0, half));
    sent();
  });
  const result = new Promise<Answer>((resolve, reject) => {
    socket.on('data', (d: Buffer) => (chunks += d.toString('utf8')));
    socket.on('end', () => {
      const [head = '', text = ''] = chunks.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      let parsed: Answer['body'] = text;
      try {
        parsed = JSON.parse(text) as Answer['body'];
      } catch {
        // text
      }
      resolve({ status, body: parsed, headers: {} });
    });
    socket.on('error', reject);
  });
  return { headersSent, finish: () => { socket.write(body.subarray(half)); }, result };
}
