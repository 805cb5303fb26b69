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
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { freePort } from '../testbed/testbed.js';

const BUILD_SCRIPT = fileURLToPath(new URL('../testbed/build.sh', import.meta.url));

/** One request a component received. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly userAgent?: string;
}

/** The binary `build.sh WHAT` prints (building it once per machine), or undefined when it cannot be had. */
export function probeBinary(what: 'hollow-kubelet' | 'kubectl'): string | undefined {
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

/** SIGTERM by pid, SIGKILL after 5 s. */
async function stop(p: Proc): Promise<void> {
  if (p.exited || p.child.pid === undefined) return;
  const pid = p.child.pid;
  const gone = new Promise<void>((r) => p.child.once('exit', () => { r(); }));
  process.kill(pid, 'SIGTERM');
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

/** Wait until `ready()` or fail with the log's tail. */
async function waitUntil(what: string, p: Proc, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exited) throw new Error(`${what} exited during start-up:\n${tail(p.log)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${tail(p.log)}`);
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
