/**
 * Real components for `kspect probe`'s tests, on loopback, started by the tests and stopped by process id, each
 * with a record of every request it received, taken from the component's own log where it keeps one:
 *
 * - kubemark's hollow kubelet (test/testbed/cmd/hollow-kubelet): the kubelet's own HTTP server and auth filter;
 *   its requests from its httplog lines (klog -vmodule=httplog=3: `"HTTP" verb="GET" URI="/pods"`);
 * - Debian's podman (`podman system service tcp:…`, storage in a temp dir): its requests from its access log;
 * - a TLS terminator in front of podman (with or without client-certificate verification), which records the
 *   request line of every connection it forwards;
 * - `kubectl proxy` against the testbed API server (whose audit log records what went through it);
 * - kube-apiserver's audit log, read back for the requests kspect made.
 * A fake server is used only for the Kubernetes Dashboard, which cannot run here; see startFakeDashboard.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/index.js';
import { runCli } from './cli.js';
import { freePort } from '../testbed/testbed.js';

const BUILD_SCRIPT = fileURLToPath(new URL('../testbed/build.sh', import.meta.url));

/** One request a component received. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly userAgent?: string;
}

/** The binary (or, for `control-plane`, the folder) `build.sh WHAT` prints, building it once per machine; undefined when it cannot be had. */
export function probeBinary(what: 'hollow-kubelet' | 'kubectl' | 'control-plane'): string | undefined {
  if (process.env.KSPECT_TESTBED === 'off') return undefined;
  try {
    const out = execFileSync('bash', [BUILD_SCRIPT, what], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    return out !== '' && existsSync(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

export function hasCommand(name: string): boolean {
  try {
    execFileSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Proc {
  readonly child: ChildProcess;
  readonly log: string;
  exited: boolean;
}

const running = new Set<Proc>();
let hooked = false;

function start(bin: string, args: readonly string[], log: string, env?: NodeJS.ProcessEnv): Proc {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const p of running) if (!p.exited && p.child.pid !== undefined) try { process.kill(p.child.pid, 'SIGKILL'); } catch { /* gone */ }
    });
  }
  const fd = openSync(log, 'a');
  const child = spawn(bin, [...args], { stdio: ['ignore', fd, fd], ...(env ? { env } : {}) });
  closeSync(fd);
  const p: Proc = { child, log, exited: false };
  running.add(p);
  child.on('exit', () => {
    p.exited = true;
    running.delete(p);
  });
  return p;
}

/** SIGTERM by pid (or `signal`), SIGKILL after 5 s. */
async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exited || p.child.pid === undefined) return;
  const pid = p.child.pid;
  const gone = new Promise<void>((r) => p.child.once('exit', () => { r(); }));
  process.kill(pid, signal);
  const t = setTimeout(() => { if (!p.exited) process.kill(pid, 'SIGKILL'); }, 5000);
  await gone;
  clearTimeout(t);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** Wait until `ready()`, or stop the process and fail with its log's tail (so a failed start leaves nothing running). */
async function waitUntil(what: string, p: Proc, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exited) throw new Error(`${what} exited during start-up:\n${tail(p.log)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop(p);
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${tail(p.log)}`);
}

/**
 * Promise.all for starting components: waits for every start to settle before failing with the first error, so
 * each component that did start has been tracked by its caller (and is stopped in afterAll).
 */
export async function allStarted<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const settled = await Promise.allSettled(values);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [P in keyof T]: Awaited<T[P]> };
}

/**
 * What a test file started, to stop it all at the end: `track(start(...))` remembers each component once it is up;
 * `stopAll()` stops them last to first.
 */
export function tracker(): { track: <T extends { stop(): Promise<void> }>(p: Promise<T>) => Promise<T>; stopAll: () => Promise<void> } {
  const started: (() => Promise<void>)[] = [];
  return {
    async track(p) {
      const c = await p;
      started.push(() => c.stop());
      return c;
    },
    async stopAll() {
      for (const stop of started.splice(0).reverse()) await stop();
    },
  };
}

/**
 * `kspect probe ARGS -f json` from the built CLI: its exit code, stderr and Report. KSPECT_PROBE_DEBUG=FILE also keeps
 * the JSON report in FILE and the table output in FILE.txt (docs/probe.md shows them).
 */
export async function probeReport(args: readonly string[]): Promise<{ code: number; stderr: string; report: Report }> {
  const r = await runCli(['probe', ...args, '-f', 'json'], { timeoutMs: 180_000 });
  const debug = process.env.KSPECT_PROBE_DEBUG;
  if (debug !== undefined) {
    writeFileSync(debug, r.stdout);
    const t = await runCli(['probe', ...args], { timeoutMs: 180_000, env: { NO_COLOR: '1' } });
    writeFileSync(`${debug}.txt`, `$ kspect probe ${args.join(' ')}\n${t.stdout}\n---stderr---\n${t.stderr}\nexit ${t.code}\n`);
  }
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
}

/** Does something accept TCP connections on the port? */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { resolve(false); });
  });
}

export interface Component {
  readonly port: number;
  /** Every request the component received so far. */
  requests(): Recorded[];
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------

export interface KubeletOptions {
  readonly bin: string;
  readonly dir: string;
  readonly name: string;
  readonly kubeconfig: string;
  readonly clientCa: string;
  readonly anonymous: boolean;
  readonly authorization: 'Webhook' | 'AlwaysAllow';
  readonly readOnlyPort?: boolean;
}

export interface Kubelet extends Component {
  readonly readOnlyPort?: number;
}

/** A hollow kubelet; its requests come from its own httplog lines. */
export async function startHollowKubelet(o: KubeletOptions): Promise<Kubelet> {
  const port = await freePort();
  const readOnlyPort = o.readOnlyPort === true ? await freePort() : undefined;
  const tmp = join(o.dir, `kubelet-${o.name}`);
  mkdirSync(tmp, { recursive: true });
  const log = join(o.dir, `kubelet-${o.name}.log`);
  const p = start(
    o.bin,
    [
      `--kubeconfig=${o.kubeconfig}`,
      `--name=${o.name}`,
      `--port=${port}`,
      `--read-only-port=${readOnlyPort ?? 0}`,
      `--client-ca-file=${o.clientCa}`,
      `--anonymous=${o.anonymous}`,
      `--authorization=${o.authorization}`,
      '-vmodule=httplog=3',
    ],
    log,
    { ...process.env, TMPDIR: tmp },
  );
  await waitUntil(`hollow kubelet ${o.name}`, p, async () => (await listening(port)) && (readOnlyPort === undefined || (await listening(readOnlyPort))));
  const line = /"HTTP" verb="([A-Z]+)" URI="([^"]*)".*?userAgent="([^"]*)"/;
  return {
    port,
    ...(readOnlyPort !== undefined ? { readOnlyPort } : {}),
    requests: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .flatMap((l) => {
          const m = line.exec(l);
          return m ? [{ method: m[1] ?? '', path: m[2] ?? '', userAgent: m[3] ?? '' }] : [];
        }),
    stop: () => stop(p),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** `podman system service tcp:127.0.0.1:PORT` with its storage in `dir`; requests from its access log. */
export async function startPodman(dir: string): Promise<Component> {
  const port = await freePort();
  const root = join(dir, 'podman');
  mkdirSync(root, { recursive: true });
  const log = join(dir, 'podman.log');
  const p = start(
    'podman',
    [
      '--log-level=debug',
      `--root=${join(root, 'storage')}`,
      `--runroot=${join(root, 'run')}`,
      `--tmpdir=${join(root, 'tmp')}`,
      '--storage-driver=vfs',
      '--cgroup-manager=cgroupfs',
      '--events-backend=file',
      'system',
      'service',
      '--time=0',
      `tcp:127.0.0.1:${port}`,
    ],
    log,
  );
  await waitUntil('podman system service', p, () => listening(port));
  const line = /"([A-Z]+) (\S+) HTTP\/1\.[01]" \d{3} \S+ "[^"]*" "([^"]*)"/;
  return {
    port,
    requests: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .flatMap((l) => {
          const m = line.exec(l);
          return m ? [{ method: m[1] ?? '', path: m[2] ?? '', userAgent: m[3] ?? '' }] : [];
        }),
    stop: () => stop(p),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A TLS terminator in front of a plain TCP service (as stunnel or a load balancer would be), recording the request
 * line of every connection it forwards. With `clientCa`, it requires and verifies client certificates.
 */
export async function startTlsTerminator(o: { upstreamPort: number; cert: string; key: string; clientCa?: string }): Promise<Component> {
  const port = await freePort();
  const seen: Recorded[] = [];
  const server = createTlsServer(
    {
      cert: readFileSync(o.cert),
      key: readFileSync(o.key),
      ...(o.clientCa !== undefined ? { ca: readFileSync(o.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
    },
    (tls) => {
      const up = netConnect({ host: '127.0.0.1', port: o.upstreamPort });
      let head = '';
      let recorded = false;
      tls.on('data', (d: Buffer) => {
        if (!recorded) {
          head += d.toString('latin1');
          const nl = head.indexOf('\r\n');
          if (nl >= 0) {
            recorded = true;
            const [method = '', path = ''] = head.slice(0, nl).split(' ');
            const ua = /\r\nuser-agent: ([^\r]*)/i.exec(head)?.[1];
            seen.push({ method, path, ...(ua !== undefined ? { userAgent: ua } : {}) });
          }
        }
        up.write(d);
      });
      up.pipe(tls);
      tls.on('end', () => up.end());
      tls.on('error', () => up.destroy());
      up.on('error', () => tls.destroy());
    },
  );
  server.on('tlsClientError', () => {
    // Handshakes without a certificate are refused: that is the point.
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, requests: () => [...seen], stop: () => closeServer(server) };
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise((r) => {
    server.close(() => { r(); });
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

// ---------------------------------------------------------------------------------------------------------------

/** `kubectl proxy` (or kubectl proxy's own server package where there is no kubectl) against the testbed. */
export async function startKubectlProxy(bin: string, kubeconfig: string, dir: string): Promise<Component> {
  const port = await freePort();
  const log = join(dir, 'kubectl-proxy.log');
  const p = start(bin, ['proxy', `--kubeconfig=${kubeconfig}`, '--address=127.0.0.1', `--port=${port}`], log);
  await waitUntil('kubectl proxy', p, () => listening(port));
  // What went through it is in the API server's audit log.
  return { port, requests: () => [], stop: () => stop(p) };
}

// ---------------------------------------------------------------------------------------------------------------

/** The requests kube-apiserver's audit log holds for a user agent (ResponseComplete or Panic stages). */
export function auditRequests(auditLog: string, userAgent: string): Recorded[] {
  const out: Recorded[] = [];
  for (const line of readFileSync(auditLog, 'utf8').split('\n')) {
    if (line === '') continue;
    const e = JSON.parse(line) as { stage?: string; verb?: string; requestURI?: string; userAgent?: string };
    if (e.userAgent !== userAgent || (e.stage !== 'ResponseComplete' && e.stage !== 'Panic' && e.stage !== 'ResponseStarted')) continue;
    out.push({ method: (e.verb ?? '').toUpperCase(), path: e.requestURI ?? '', userAgent });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * A stand-in Kubernetes Dashboard. FAKE: the Dashboard (Angular front end, Go API module, Kong gateway) cannot run
 * here, so this server answers the three paths kspect reads with the shapes of kubernetes/dashboard v2's API
 * (`src/app/backend/auth/api/types.go` LoginSkippableResponse, the namespace list of its resource API) and records
 * every request. The probe's judgement of a real Dashboard rests on those shapes.
 */
export async function startFakeDashboard(o: { skippable: boolean; namespaces: readonly string[] }): Promise<Component> {
  const port = await freePort();
  const seen: Recorded[] = [];
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers['user-agent'] !== undefined ? { userAgent: req.headers['user-agent'] } : {}) });
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') { json(405, { error: 'method not allowed' }); return; }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kubernetes Dashboard</title></head><body><kd-root></kd-root></body></html>');
    }
    if (req.url === '/api/v1/login/skippable') { json(200, { skippable: o.skippable }); return; }
    if (req.url === '/api/v1/login/modes') { json(200, { modes: ['token'] }); return; }
    if (req.url === '/api/v1/namespace') { json(200, { listMeta: { totalItems: o.namespaces.length }, namespaces: o.namespaces.map((n) => ({ objectMeta: { name: n }, typeMeta: { kind: 'namespace' }, phase: 'Active' })), errors: [] }); return; }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, requests: () => [...seen], stop: () => closeServer(server) };
}

// ---------------------------------------------------------------------------------------------------------------
// kube-controller-manager, kube-scheduler and kube-proxy (test/testbed/build.sh control-plane)

/** The three binaries, from the folder `build.sh control-plane` prints. */
export interface ControlPlaneBinaries {
  readonly controllerManager: string;
  readonly scheduler: string;
  readonly proxy: string;
}

export function controlPlaneBinaries(): ControlPlaneBinaries | undefined {
  const dir = probeBinary('control-plane');
  if (dir === undefined) return undefined;
  const bins = { controllerManager: join(dir, 'kube-controller-manager'), scheduler: join(dir, 'kube-scheduler'), proxy: join(dir, 'kube-proxy') };
  return Object.values(bins).every((b) => existsSync(b)) ? bins : undefined;
}

/** Whether a TCP port can be bound on an address. */
function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.once('error', () => { resolve(false); });
    s.listen(port, host, () => s.close(() => { resolve(true); }));
  });
}

/**
 * A loopback address (127.x.y.z: all of 127/8 reaches the loopback interface) on which every one of `ports` is free,
 * so components can listen on their default ports — the ports kspect's identification relies on — without meeting
 * anything else on a shared machine.
 */
export async function freeLoopbackAddress(ports: readonly number[]): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const host = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    let ok = true;
    for (const port of ports) if (!(await bindable(host, port))) { ok = false; break; }
    if (ok) return host;
  }
  throw new Error(`no loopback address with ports ${ports.join(', ')} free`);
}

/** Requests from the generic API server's httplog lines (klog -vmodule=httplog=3), as the kubelet writes them too. */
function httplogRequests(log: string): Recorded[] {
  const line = /"HTTP" verb="([A-Z]+)" URI="([^"]*)".*?userAgent="([^"]*)"/;
  return readFileSync(log, 'utf8')
    .split('\n')
    .flatMap((l) => {
      const m = line.exec(l);
      return m ? [{ method: m[1] ?? '', path: m[2] ?? '', userAgent: m[3] ?? '' }] : [];
    });
}

export interface SecureComponentOptions {
  readonly bin: string;
  readonly kind: 'kube-controller-manager' | 'kube-scheduler';
  readonly dir: string;
  readonly name: string;
  /** The address to bind. */
  readonly host: string;
  /** The secure port (default: the component's own, 10257 or 10259). */
  readonly port?: number;
  /** Kubeconfig for the component's client, and for delegated authentication and authorization. */
  readonly kubeconfig: string;
  /** Leave out --authentication-kubeconfig (delegated authentication cannot reach the API server). */
  readonly withoutAuthenticationKubeconfig?: boolean;
  /** --authorization-always-allow-paths (default: the component's own, /healthz,/readyz,/livez). */
  readonly alwaysAllowPaths?: readonly string[];
}

export interface SecureComponent extends Component {
  readonly host: string;
  readonly log: string;
}

/**
 * kube-controller-manager or kube-scheduler, unmodified, on `host` (at its default secure port unless told): leader election
 * off, the controller-manager with one cheap controller (ttl-controller), delegated authentication and
 * authorization against the API server of `kubeconfig`. Its requests come from its own httplog lines.
 */
export async function startSecureComponent(o: SecureComponentOptions): Promise<SecureComponent> {
  const port = o.port ?? (o.kind === 'kube-controller-manager' ? 10257 : 10259);
  const log = join(o.dir, `${o.name}.log`);
  const args = [
    `--kubeconfig=${o.kubeconfig}`,
    ...(o.withoutAuthenticationKubeconfig === true ? [] : [`--authentication-kubeconfig=${o.kubeconfig}`]),
    `--authorization-kubeconfig=${o.kubeconfig}`,
    ...(o.alwaysAllowPaths !== undefined ? [`--authorization-always-allow-paths=${o.alwaysAllowPaths.join(',')}`] : []),
    `--bind-address=${o.host}`,
    `--secure-port=${port}`,
    '--leader-elect=false',
    ...(o.kind === 'kube-controller-manager' ? ['--controllers=ttl-controller'] : []),
    '--vmodule=httplog=3',
  ];
  const p = start(o.bin, args, log);
  // Ready when its /healthz answers (always allowed); until then it refuses connections or is still loading the CA.
  await waitUntil(`${o.kind} ${o.name}`, p, async () => (await insecureGet(o.host, port, '/healthz')) === 200, 90_000);
  return { port, host: o.host, log, requests: () => httplogRequests(log), stop: () => stop(p) };
}

/** A status of GET over TLS without verifying the server (readiness only); 0 when it fails. */
function insecureGet(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host, port, path, rejectUnauthorized: false, timeout: 2000, headers: { 'user-agent': 'kspect-test-readiness' } }, (res) => {
      res.resume();
      res.on('end', () => { resolve(res.statusCode ?? 0); });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => { resolve(0); });
    req.end();
  });
}

/**
 * Record the HTTP requests in a client-to-server byte stream: each request line, the body skipped by its
 * Content-Length. A stream that does not parse as HTTP/1 requests is recorded as what it starts with (a TLS
 * ClientHello, or `NOT-HTTP`), so nothing passes unseen.
 */
function requestRecorder(seen: Recorded[]): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  let skip = 0;
  let done = false;
  return (chunk) => {
    if (done) return;
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (skip > 0) {
        const n = Math.min(skip, buf.length);
        buf = buf.subarray(n);
        skip -= n;
        if (skip > 0) return;
      }
      if (buf.length === 0) return;
      if (buf[0] === 0x16) { seen.push({ method: 'TLS-HANDSHAKE', path: '' }); done = true; return; }
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 65536) { seen.push({ method: 'NOT-HTTP', path: '' }); done = true; }
        return;
      }
      const head = buf.subarray(0, end).toString('latin1');
      buf = buf.subarray(end + 4);
      const [requestLine = '', ...headers] = head.split('\r\n');
      const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
      if (!m) { seen.push({ method: 'NOT-HTTP', path: requestLine.slice(0, 80) }); done = true; return; }
      const header = (name: string): string | undefined => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      const ua = header('user-agent');
      seen.push({ method: m[1] ?? '', path: m[2] ?? '', ...(ua !== undefined ? { userAgent: ua } : {}) });
      if (header('transfer-encoding') !== undefined) { seen.push({ method: 'CHUNKED-BODY', path: m[2] ?? '' }); done = true; return; }
      skip = Number(header('content-length') ?? '0') || 0;
    }
  };
}

function pipeSockets(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

export interface KubeProxy {
  readonly host: string;
  /** The metrics port (10249) and the health-check port (10256) on `host`. */
  readonly metrics: Component;
  readonly healthz: Component;
  readonly log: string;
  stop(): Promise<void>;
}

/** Why kube-proxy cannot run in its own namespace here, or undefined when it can (`unshare -Urn` works). */
export function kubeProxyUnavailable(): string | undefined {
  if (!hasCommand('unshare') || !hasCommand('ip')) return 'no unshare or ip (util-linux, iproute2) to give kube-proxy its own network namespace';
  try {
    execFileSync('unshare', ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'unshare --user --map-root-user --net --pid fails here (no unprivileged user namespaces), so kube-proxy has no network namespace of its own to program';
  }
}

/**
 * kube-proxy, unmodified, in nftables mode, in its own user + network namespace (see netns-bridge.js): kube-proxy
 * refuses to start without CAP_NET_ADMIN, and on the shared machine's namespace it would rewrite the machine's
 * rules; in its own it is root over nothing but itself. Its metrics (10249) and health (10256) ports are served on
 * `host` outside by forwarders that record every request they carry (kube-proxy logs none).
 */
export async function startKubeProxy(o: { bin: string; dir: string; host: string; kubeconfig: string; apiPort: number; nodeName: string }): Promise<KubeProxy> {
  const sock = (n: string): string => join(o.dir, `kube-proxy-${n}.sock`);
  const log = join(o.dir, 'kube-proxy.log');
  const servers: NetServer[] = [];
  const listen = (s: NetServer, ...at: [string] | [number, string]): Promise<void> => new Promise((r, j) => { s.once('error', j); s.listen(...(at as [number, string]), () => { r(); }); servers.push(s); });
  // The API server, reached from inside through a Unix socket.
  await listen(createNetServer((c) => { pipeSockets(c, netConnect({ host: '127.0.0.1', port: o.apiPort })); }), sock('api'));
  const exposed = async (port: number, name: string): Promise<Component> => {
    const seen: Recorded[] = [];
    await listen(createNetServer((c) => {
      const record = requestRecorder(seen);
      c.on('data', (d: Buffer) => { record(d); });
      pipeSockets(c, netConnect(sock(name)));
    }), port, o.host);
    return { port, requests: () => [...seen], stop: async () => { /* stopped with kube-proxy */ } };
  };
  const metrics = await exposed(10249, 'metrics');
  const healthz = await exposed(10256, 'healthz');
  const config = {
    into: [{ port: o.apiPort, socket: sock('api') }],
    outOf: [{ socket: sock('metrics'), port: 10249 }, { socket: sock('healthz'), port: 10256 }],
    command: [
      o.bin,
      `--kubeconfig=${o.kubeconfig}`,
      `--hostname-override=${o.nodeName}`,
      '--proxy-mode=nftables',
      // kube-proxy's defaults are 127.0.0.1:10249 and 0.0.0.0:10256; metrics on all addresses, as a Prometheus
      // set-up has them, and as the forwarders outside expose them.
      '--metrics-bind-address=0.0.0.0:10249',
      '--healthz-bind-address=0.0.0.0:10256',
      // Leave the kernel's conntrack settings alone (nf_conntrack_max is not the namespace's to set).
      '--conntrack-max-per-core=0',
      '--conntrack-tcp-timeout-established=0',
      '--conntrack-tcp-timeout-close-wait=0',
    ],
  };
  const bridge = fileURLToPath(new URL('./netns-bridge.js', import.meta.url));
  // The bridge runs as PID 1 of its own PID namespace too, killed with unshare (--kill-child): when it dies, the
  // kernel kills kube-proxy and the namespaces go with it — so SIGKILL to unshare's pid stops all of it, and nothing
  // outlives a test process that dies.
  const p = start('unshare', ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', process.execPath, bridge, JSON.stringify(config)], log);
  const stopAll = async (): Promise<void> => {
    await stop(p, 'SIGKILL');
    for (const s of servers) await closeServer(s);
  };
  try {
    // Ready when its health check reports a sync (200); before the first sync it answers 503.
    await waitUntil('kube-proxy', p, async () => (await plainGet(o.host, 10256, '/healthz')) === 200, 90_000);
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { host: o.host, metrics, healthz, log, stop: stopAll };
}

function plainGet(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host, port, path, timeout: 2000, headers: { 'user-agent': 'kspect-test-readiness' } }, (res) => {
      res.resume();
      res.on('end', () => { resolve(res.statusCode ?? 0); });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => { resolve(0); });
    req.end();
  });
}
