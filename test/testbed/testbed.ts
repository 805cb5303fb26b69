/**
 * The testbed: a real etcd and a real kube-apiserver on loopback, started by the tests and stopped by process id.
 *
 * - Binaries come from `KUBEBUILDER_ASSETS` (envtest layout) or from the per-machine cache filled by
 *   test/testbed/build.sh (pinned kube-apiserver and etcd built from Go modules). Nothing is downloaded here.
 * - Certificates are generated with openssl for every start: a CA, etcd's serving certificate, the API server's
 *   etcd client certificate and serving certificate, an admin client certificate (O=system:masters) and
 *   certificates for other users the tests need.
 * - etcd listens on loopback with TLS and client-certificate auth (plus a plaintext metrics listener, which
 *   `kspect etcd check` should flag); kube-apiserver on loopback with RBAC+Node authorization, an audit policy
 *   and log, and an EncryptionConfiguration that the tests can rewrite and apply by restarting the API server.
 * - Everything started is stopped by pid in `stop()`, and killed on process exit if a test forgot to.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('./build.sh', import.meta.url));

export interface Binaries {
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
}

let cachedBinaries: Binaries | null | undefined;

/**
 * The folder with kube-apiserver and etcd: KUBEBUILDER_ASSETS, else the cache filled by build.sh (which builds
 * them if Go is there and they are missing). Undefined when there are none (no Go, no assets, KSPECT_TESTBED=off).
 */
export function findBinaries(): Binaries | undefined {
  if (cachedBinaries !== undefined) return cachedBinaries ?? undefined;
  let dir: string;
  try {
    dir = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch {
    dir = '';
  }
  const etcd = join(dir, 'etcd');
  const kubeApiserver = join(dir, 'kube-apiserver');
  cachedBinaries = dir !== '' && existsSync(etcd) && existsSync(kubeApiserver) ? { dir, etcd, kubeApiserver } : null;
  return cachedBinaries ?? undefined;
}

/** Why cluster tests are skipped, or undefined when the testbed can run. In CI a missing testbed is a failure. */
export function testbedUnavailable(): string | undefined {
  if (process.env.KSPECT_TESTBED === 'off') return 'KSPECT_TESTBED=off';
  if (findBinaries()) return undefined;
  const why = 'no kube-apiserver/etcd: install Go (test/testbed/build.sh builds them once) or set KUBEBUILDER_ASSETS';
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error(`testbed: ${why}`);
  return why;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// PKI

export interface CertPair {
  readonly cert: string;
  readonly key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA that signs leaf certificates in `dir`. EC P-256 keys: fast to generate, accepted by etcd and Kubernetes. */
export class TestCA {
  readonly cert: string;
  readonly key: string;
  private serial = 1;
  constructor(readonly dir: string, name = 'ca') {
    this.cert = join(dir, `${name}.crt`);
    this.key = join(dir, `${name}.key`);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.key, '-out', this.cert, '-days', '2', '-subj', `/CN=kspect-testbed-${name}`], dir);
  }

  /** Issue a certificate: `cn` and `orgs` become the Kubernetes user and groups of a client certificate. */
  issue(name: string, opts: { cn: string; orgs?: readonly string[]; server?: boolean; client?: boolean; sans?: readonly string[] }): CertPair {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const cert = join(this.dir, `${name}.crt`);
    const ext = join(this.dir, `${name}.ext`);
    const subj = `${(opts.orgs ?? []).map((o) => `/O=${o}`).join('')}/CN=${opts.cn}`;
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', subj], this.dir);
    const usages = [...(opts.server ? ['serverAuth'] : []), ...(opts.client !== false ? ['clientAuth'] : [])];
    const lines = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usages.join(',')}`];
    if (opts.sans && opts.sans.length > 0) lines.push(`subjectAltName=${opts.sans.join(',')}`);
    writeFileSync(ext, `${lines.join('\n')}\n`);
    openssl(['x509', '-req', '-in', csr, '-CA', this.cert, '-CAkey', this.key, '-set_serial', String(this.serial++), '-days', '2', '-extfile', ext, '-out', cert], this.dir);
    return { cert, key };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  exited: boolean;
}

const running = new Set<Proc>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const p of running) {
      if (!p.exited && p.child.pid !== undefined) {
        try {
          process.kill(p.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

function startProc(name: string, bin: string, args: string[], dir: string): Proc {
  installExitHook();
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const p: Proc = { name, child, log, exited: false };
  running.add(p);
  child.on('exit', () => {
    p.exited = true;
    running.delete(p);
  });
  return p;
}

async function stopProc(p: Proc): Promise<void> {
  if (p.exited || p.child.pid === undefined) return;
  const pid = p.child.pid;
  const gone = new Promise<void>((resolve) => p.child.once('exit', () => {
    resolve();
  }));
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (!p.exited) process.kill(pid, 'SIGKILL');
  }, 5000);
  await gone;
  clearTimeout(timer);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** GET over TLS with a client certificate; resolves to the status code (0 when the connection fails). */
export function httpsStatus(url: string, tls: { ca: string; cert?: string; key?: string }, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        ca: readFileSync(tls.ca),
        ...(tls.cert !== undefined ? { cert: readFileSync(tls.cert) } : {}),
        ...(tls.key !== undefined ? { key: readFileSync(tls.key) } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      resolve({ status: 0, body: '' });
    });
    req.end();
  });
}

async function waitFor(what: string, p: Proc, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  while (Date.now() < deadline) {
    if (p.exited) throw new Error(`testbed: ${what} exited during start-up:\n${tail(p.log)}`);
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  throw new Error(`testbed: ${what} not ready after ${timeoutMs} ms:\n${tail(p.log)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// etcd

export interface EtcdOptions {
  /** Require client certificates (default true). */
  readonly clientCertAuth?: boolean;
  /** Serve clients over plain HTTP instead of TLS (default false). */
  readonly plaintext?: boolean;
  /** Also serve /metrics on a separate plaintext listener (default true). */
  readonly metricsListener?: boolean;
}

export interface Etcd {
  readonly endpoint: string;
  /** Plaintext metrics URL, when started with one. */
  readonly metricsUrl?: string;
  readonly ca: string;
  /** A client certificate etcd accepts. */
  readonly client: CertPair;
  readonly dataDir: string;
  readonly log: string;
  stop(): Promise<void>;
}

/** Start etcd; a free port can be taken by another process before etcd binds it, so start-up is tried three times. */
export async function startEtcd(bins: Binaries, dir: string, ca: TestCA, opts: EtcdOptions = {}): Promise<Etcd> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdOnce(bins, dir, ca, opts, attempt);
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

async function startEtcdOnce(bins: Binaries, dir: string, ca: TestCA, opts: EtcdOptions, attempt: number): Promise<Etcd> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const metricsPort = await freePort();
  const server = ca.issue('etcd-server', { cn: 'etcd', server: true, sans: ['IP:127.0.0.1', 'DNS:localhost'] });
  const client = ca.issue('etcd-client', { cn: 'kube-apiserver-etcd-client' });
  const scheme = opts.plaintext ? 'http' : 'https';
  const endpoint = `${scheme}://127.0.0.1:${clientPort}`;
  const dataDir = join(dir, attempt === 1 ? 'etcd-data' : `etcd-data-${attempt}`);
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=testbed',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=testbed=${peer}`,
    '--initial-cluster-state=new',
    '--log-level=warn',
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=4294967296',
  ];
  if (!opts.plaintext) {
    args.push(`--cert-file=${server.cert}`, `--key-file=${server.key}`);
    // etcd asks for client certificates whenever it has a trusted CA, so leave it out to disable client-cert auth.
    if (opts.clientCertAuth !== false) args.push(`--trusted-ca-file=${ca.cert}`, '--client-cert-auth=true');
  }
  const metricsUrl = opts.metricsListener !== false ? `http://127.0.0.1:${metricsPort}` : undefined;
  if (metricsUrl) args.push(`--listen-metrics-urls=${metricsUrl}`);
  const p = startProc('etcd', bins.etcd, args, dir);
  await waitFor('etcd', p, async () => {
    if (opts.plaintext) return (await plainStatus(`${endpoint}/health`)) === 200;
    return (await httpsStatus(`${endpoint}/health`, { ca: ca.cert, cert: client.cert, key: client.key })).status === 200;
  }, 30_000);
  return {
    endpoint,
    ...(metricsUrl ? { metricsUrl } : {}),
    ca: ca.cert,
    client,
    dataDir,
    log: p.log,
    stop: () => stopProc(p),
  };
}

async function plainStatus(url: string): Promise<number> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// kube-apiserver

/** An audit policy that records every request kspect could make, at Metadata level (never bodies). */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

/** Identity first: Secrets are written in plaintext until a test changes the configuration. */
export const IDENTITY_ENCRYPTION = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - identity: {}
`;

export interface TestbedOptions {
  /** EncryptionConfiguration YAML (default: identity for secrets). */
  readonly encryptionConfig?: string;
  /** Users to issue client certificates for: name → groups. */
  readonly users?: Readonly<Record<string, readonly string[]>>;
  /** Audit Policy YAML (default: AUDIT_POLICY, everything at Metadata). */
  readonly auditPolicy?: string;
  /** More kube-apiserver flags; a flag given here replaces the default of the same name. */
  readonly extraArgs?: readonly string[];
  /** kube-apiserver --anonymous-auth (default false). */
  readonly anonymousAuth?: boolean;
}

export interface Testbed {
  readonly dir: string;
  readonly url: string;
  readonly ca: string;
  /** Kubeconfig of a system:masters admin. */
  readonly kubeconfig: string;
  readonly auditLog: string;
  readonly encryptionConfigFile: string;
  readonly etcd: Etcd;
  /** Kubeconfig for a user issued at start (`users` option), or issue one now. */
  kubeconfigFor(user: string, groups?: readonly string[]): string;
  /** Rewrite the EncryptionConfiguration and restart kube-apiserver so it takes effect. */
  setEncryptionConfig(yaml: string): Promise<void>;
  /** Restart kube-apiserver with anonymous authentication on or off. */
  setAnonymousAuth(on: boolean): Promise<void>;
  /** Stop kube-apiserver and etcd, then remove the folder (unless KSPECT_TESTBED_KEEP is set). */
  stop(): Promise<void>;
  /** Milliseconds the start took. */
  readonly startMs: number;
}

export async function startTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const t0 = Date.now();
  const bins = findBinaries();
  if (!bins) throw new Error('testbed: no kube-apiserver/etcd binaries (see test/testbed/build.sh)');
  const dir = mkdtempSync(join(tmpdir(), 'kspect-testbed-'));
  let etcd: Etcd | undefined;
  let api: Proc | undefined;
  try {
    const ca = new TestCA(dir);
    etcd = await startEtcd(bins, dir, ca);
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const serving = ca.issue('apiserver', {
      cn: 'kube-apiserver',
      server: true,
      client: false,
      sans: ['IP:127.0.0.1', 'IP:10.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc'],
    });
    const saKey = join(dir, 'sa.key');
    const saPub = join(dir, 'sa.pub');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', saKey], dir);
    openssl(['pkey', '-in', saKey, '-pubout', '-out', saPub], dir);
    const auditPolicy = join(dir, 'audit-policy.yaml');
    writeFileSync(auditPolicy, opts.auditPolicy ?? AUDIT_POLICY);
    const auditLog = join(dir, 'audit.log');
    const encryptionConfigFile = join(dir, 'encryption-config.yaml');
    writeFileSync(encryptionConfigFile, opts.encryptionConfig ?? IDENTITY_ENCRYPTION, { mode: 0o600 });

    const kubeconfigFor = (user: string, groups: readonly string[] = []): string => {
      const file = join(dir, `kubeconfig-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
      if (existsSync(file)) return file;
      const pair = ca.issue(`user-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}`, { cn: user, orgs: groups });
      writeFileSync(file, kubeconfigYaml(url, ca.cert, pair, user));
      return file;
    };
    const admin = kubeconfigFor('testbed-admin', ['system:masters']);
    for (const [user, groups] of Object.entries(opts.users ?? {})) kubeconfigFor(user, groups);

    const args = [
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--client-ca-file=${ca.cert}`,
      `--etcd-servers=${etcd.endpoint}`,
      `--etcd-cafile=${ca.cert}`,
      `--etcd-certfile=${etcd.client.cert}`,
      `--etcd-keyfile=${etcd.client.key}`,
      '--authorization-mode=Node,RBAC',
      `--anonymous-auth=${opts.anonymousAuth === true ? 'true' : 'false'}`,
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      `--service-account-issuer=https://kubernetes.default.svc`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      `--audit-policy-file=${auditPolicy}`,
      `--audit-log-path=${auditLog}`,
      '--audit-log-mode=blocking',
      `--encryption-provider-config=${encryptionConfigFile}`,
      '--profiling=false',
      '--v=0',
    ];
    for (const extra of opts.extraArgs ?? []) {
      const name = extra.split('=')[0] ?? extra;
      const i = args.findIndex((a) => a.split('=')[0] === name);
      if (i >= 0) args.splice(i, 1, extra);
      else args.push(extra);
    }
    const startApi = async (): Promise<Proc> => {
      const p = startProc('kube-apiserver', bins.kubeApiserver, args, dir);
      await waitFor('kube-apiserver', p, async () => (await httpsStatus(`${url}/readyz`, { ca: ca.cert, cert: join(dir, 'user-testbed-admin.crt'), key: join(dir, 'user-testbed-admin.key') })).status === 200, 120_000);
      return p;
    };
    api = await startApi();
    const startMs = Date.now() - t0;
    const etcdRef = etcd;
    let apiRef: Proc = api;
    return {
      dir,
      url,
      ca: ca.cert,
      kubeconfig: admin,
      auditLog,
      encryptionConfigFile,
      etcd: etcdRef,
      kubeconfigFor,
      startMs,
      async setAnonymousAuth(on: boolean) {
        await stopProc(apiRef);
        const i = args.findIndex((a) => a.startsWith('--anonymous-auth='));
        args[i] = `--anonymous-auth=${on ? 'true' : 'false'}`;
        apiRef = await startApi();
      },
      async setEncryptionConfig(yaml: string) {
        await stopProc(apiRef);
        writeFileSync(encryptionConfigFile, yaml, { mode: 0o600 });
        apiRef = await startApi();
      },
      async stop() {
        await stopProc(apiRef);
        await etcdRef.stop();
        if (process.env.KSPECT_TESTBED_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (api) await stopProc(api);
    if (etcd) await etcd.stop();
    throw e;
  }
}

function kubeconfigYaml(server: string, ca: string, pair: CertPair, user: string): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: testbed
    cluster:
      server: ${server}
      certificate-authority: ${ca}
users:
  - name: ${JSON.stringify(user)}
    user:
      client-certificate: ${pair.cert}
      client-key: ${pair.key}
contexts:
  - name: testbed
    context:
      cluster: testbed
      user: ${JSON.stringify(user)}
current-context: testbed
`;
}

/** A random 32-byte key, base64, as an EncryptionConfiguration wants it. */
export function randomKey(): string {
  return randomBytes(32).toString('base64');
}
