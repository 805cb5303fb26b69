/**
 * `kspect probe` against real components on loopback, all started here and stopped by pid: the testbed
 * kube-apiserver (anonymous authentication on, then off; a ClusterRoleBinding that lets system:unauthenticated list
 * namespaces), the testbed etcd (client certificates required, plaintext metrics listener) and a second etcd without
 * client-certificate auth, three hollow kubelets (anonymous off → 401; anonymous on with Webhook authorization → 403
 * decided by a real SubjectAccessReview; AlwaysAllow → 200, plus its read-only port), podman's Docker API (plain, and
 * behind TLS with and without client-certificate verification), a kubectl proxy, and — the one fake — a Dashboard.
 *
 * Safety is proven from the servers' side: every request each of them received is read back (the API server's audit
 * log, the kubelets' httplog lines, podman's access log, etcd's gRPC counters, the terminators' and the fake's own
 * records) and must be a GET (or HEAD) of a path that is not exec, attach, run or port-forward.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/index.js';
import { runCli } from './support/cli.js';
import { allStarted, auditRequests, hasCommand, probeBinary, startFakeDashboard, startHollowKubelet, startKubectlProxy, startPodman, probeReport, startTlsTerminator, tracker, type Component, type Kubelet, type Recorded } from './support/probe-components.js';
import { findBinaries, startEtcd, startTestbed, TestCA, testbedUnavailable, type Etcd, type Testbed } from './testbed/testbed.js';

const kubeletBin = probeBinary('hollow-kubelet');
const kubectlBin = probeBinary('kubectl');
const skip = testbedUnavailable() ?? (kubeletBin === undefined ? 'no hollow kubelet (Go is needed to build it)' : kubectlBin === undefined ? 'no kubectl' : !hasCommand('podman') ? 'no podman (scripts/test-deps.sh installs it)' : undefined);

describe.skipIf(skip !== undefined)('kspect probe against real components', () => {
  let dir: string;
  let tb: Testbed;
  let openEtcd: Etcd;
  let k401: Kubelet;
  let k403: Kubelet;
  let k200: Kubelet;
  let podman: Component;
  let dockerTls: Component;
  let dockerMtls: Component;
  let probeCa: string;
  let proxy: Component;
  let dashboard: Component;
  let report: Report;
  const { track, stopAll } = tracker();
  let exit: number;
  let stderr: string;
  let etcdRpcsBefore: number;

  const port = (url: string): number => Number(new URL(url).port);
  const at = (hp: string): Finding[] => report.findings.filter((f) => f.source?.uri === hp || f.resource?.name === hp || f.source?.uri.includes(`//${hp}`));
  const ids = (hp: string): string[] => [...new Set(at(hp).map((f) => f.checkId))].sort();
  const endpoint = (hp: string) => report.probe?.endpoints.find((e) => e.endpoint === hp);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-probe-'));
    tb = await track(startTestbed({ anonymousAuth: true }));
    const kc = ['--kubeconfig', tb.kubeconfig];
    execFileSync(kubectlBin as string, [...kc, 'create', 'clusterrole', 'namespace-lister', '--verb=list', '--resource=namespaces'], { stdio: 'ignore' });
    execFileSync(kubectlBin as string, [...kc, 'create', 'clusterrolebinding', 'anyone-lists-namespaces', '--clusterrole=namespace-lister', '--group=system:unauthenticated'], { stdio: 'ignore' });
    // Canaries: a Secret value and a pod's environment value that must never reach any output.
    execFileSync(kubectlBin as string, [...kc, 'create', 'secret', 'generic', 'probe-canary', `--from-literal=token=${CANARY}`], { stdio: 'ignore' });
    const ca = new TestCA(dir, 'probe-ca');
    probeCa = ca.cert;
    const serving = ca.issue('docker-tls', { cn: 'docker', server: true, client: false, sans: ['IP:127.0.0.1', 'DNS:localhost'] });
    const bins = findBinaries();
    if (!bins) throw new Error('no etcd');
    const openDir = join(dir, 'etcd-open');
    mkdirSync(openDir);
    const openCa = new TestCA(openDir);
    const kubelet = (name: string, anonymous: boolean, authorization: 'Webhook' | 'AlwaysAllow', readOnlyPort = false) =>
      startHollowKubelet({ bin: kubeletBin as string, dir, name, kubeconfig: tb.kubeconfig, clientCa: tb.ca, anonymous, authorization, readOnlyPort });
    [openEtcd, k401, k403, k200, podman, proxy, dashboard] = await allStarted([
      track(startEtcd(bins, openDir, openCa, { clientCertAuth: false })),
      track(kubelet('hollow-401', false, 'Webhook')),
      track(kubelet('hollow-403', true, 'Webhook')),
      track(kubelet('hollow-200', true, 'AlwaysAllow', true)),
      track(startPodman(dir)),
      track(startKubectlProxy(kubectlBin as string, tb.kubeconfig, dir)),
      track(startFakeDashboard({ skippable: true, namespaces: ['default', 'kube-system'] })),
    ]);
    [dockerTls, dockerMtls] = await Promise.all([
      track(startTlsTerminator({ upstreamPort: podman.port, cert: serving.cert, key: serving.key })),
      track(startTlsTerminator({ upstreamPort: podman.port, cert: serving.cert, key: serving.key, clientCa: ca.cert })),
    ]);
    // A pod bound to the AlwaysAllow kubelet, with the canary in its environment: /pods serves it. (The testbed runs
    // no controller-manager, so the default ServiceAccount is created here.)
    execFileSync(kubectlBin as string, [...kc, 'create', 'serviceaccount', 'default'], { stdio: 'ignore' });
    execFileSync(kubectlBin as string, [...kc, 'apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'canary', namespace: 'default' }, spec: { nodeName: 'hollow-200', automountServiceAccountToken: false, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', env: [{ name: 'TOKEN', value: CANARY }] }] } }),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    await waitForPods(k200.readOnlyPort ?? 0);
    etcdRpcsBefore = await etcdKvRpcs(openEtcd);
    const targets = [
      `127.0.0.1:${port(tb.url)}`,
      `127.0.0.1:${port(tb.etcd.endpoint)}`,
      `127.0.0.1:${port(tb.etcd.metricsUrl ?? '')}`,
      `127.0.0.1:${port(openEtcd.endpoint)}`,
      `127.0.0.1:${k401.port}`,
      `127.0.0.1:${k403.port}`,
      `127.0.0.1:${k200.port}`,
      `127.0.0.1:${k200.readOnlyPort ?? 0}`,
      `127.0.0.1:${podman.port}`,
      `127.0.0.1:${dockerTls.port}`,
      `127.0.0.1:${dockerMtls.port}`,
      `127.0.0.1:${proxy.port}`,
      `127.0.0.1:${dashboard.port}`,
    ];
    // --cluster adds the API server (kubeconfig, the kubernetes Service) and reads RBAC; --ports keeps its port-less
    // targets to the API server's port, so nothing else listening on this shared machine is probed.
    ({ code: exit, stderr, report } = await probeReport([...targets, '--request-timeout', '5', '--cluster', '--kubeconfig', tb.kubeconfig, '--ports', String(port(tb.url))]));
    // KSPECT_PROBE_DEBUG=FILE also keeps the ports' roles (docs/probe.md shows them).
    if (process.env.KSPECT_PROBE_DEBUG !== undefined) {
      const fs = await import('node:fs');
      const names = { tb: port(tb.url), etcd: port(tb.etcd.endpoint), etcdMetrics: port(tb.etcd.metricsUrl ?? ''), openEtcd: port(openEtcd.endpoint), k401: k401.port, k403: k403.port, k200: k200.port, ro: k200.readOnlyPort, podman: podman.port, dockerTls: dockerTls.port, dockerMtls: dockerMtls.port, proxy: proxy.port, dashboard: dashboard.port };
      fs.writeFileSync(`${process.env.KSPECT_PROBE_DEBUG}.ports`, JSON.stringify(names));
    }
  }, 600_000);

  afterAll(async () => {
    await stopAll();
    if (process.env.KSPECT_TESTBED_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 for the findings, with no input problem', () => {
    expect(exit, stderr).toBe(1);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('kubelet 401: anonymous authentication off, nothing to report but its TLS', () => {
    const hp = `127.0.0.1:${k401.port}`;
    expect(endpoint(hp)).toMatchObject({ state: 'open', transport: 'tls', service: 'kubelet' });
    expect(endpoint(hp)?.answers).toContain('GET /pods → 401');
    expect(ids(hp).filter((id) => id.startsWith('exposed-'))).toEqual([]);
  });

  it('kubelet 403: anonymous on, the API server refuses system:anonymous through a real SubjectAccessReview', () => {
    const hp = `127.0.0.1:${k403.port}`;
    expect(endpoint(hp)?.answers.some((a) => a.startsWith('GET /pods → 403 (Forbidden (user=system:anonymous, verb=get, resource=nodes'))).toBe(true);
    expect(ids(hp).filter((id) => id.startsWith('exposed-'))).toEqual(['exposed-kubelet-anonymous-auth']);
  });

  it('kubelet 200: AlwaysAllow opens /pods (and so exec), /configz and /metrics; its read-only port answers', () => {
    const hp = `127.0.0.1:${k200.port}`;
    const kubelet = at(hp).filter((f) => f.checkId === 'exposed-kubelet-api');
    expect(kubelet.map((f) => [f.path, f.severity]).sort()).toEqual([['/configz', 'medium'], ['/metrics', 'medium'], ['/pods', 'critical']]);
    const ro = `127.0.0.1:${k200.readOnlyPort ?? 0}`;
    expect(endpoint(ro)).toMatchObject({ transport: 'plain', service: 'kubelet read-only port' });
    expect(ids(ro)).toEqual(['exposed-kubelet-readonly-port']);
  });

  it("kubelet TLS goes through the pki checks: the kubelet's self-signed certificate names the node, not the address", () => {
    for (const k of [k401, k403, k200]) {
      const [f] = at(`127.0.0.1:${k.port}`).filter((x) => x.checkId === 'tls-hostname-mismatch');
      expect(f?.message).toMatch(/serves "CN=hollow-\d{3}@\d+" whose SANs \(DNS:hollow-\d{3}\) do not match 127\.0\.0\.1/);
      // Go's defaults: TLS 1.2 and 1.3 only.
      expect(ids(`127.0.0.1:${k.port}`)).not.toContain('tls-old-protocol');
    }
  });

  it('API server: anonymous auth on, the binding lets system:unauthenticated list namespaces — named from the live RBAC', () => {
    const hp = `127.0.0.1:${port(tb.url)}`;
    expect(endpoint(hp)).toMatchObject({ transport: 'tls', service: 'kube-apiserver' });
    expect(ids(hp)).toContain('exposed-apiserver-anonymous-auth');
    const read = at(hp).filter((f) => f.checkId === 'exposed-apiserver-anonymous-read');
    expect(read.map((f) => f.path)).toEqual(['/api/v1/namespaces?limit=1']);
    expect(read[0]?.message).toContain('granted by ClusterRoleBinding anyone-lists-namespaces → ClusterRole namespace-lister');
    // Secrets and pods stay refused.
    expect(endpoint(hp)?.answers.some((a) => a.startsWith('GET /api/v1/secrets?limit=1 → 403'))).toBe(true);
  });

  it('etcd: one accepts clients without a certificate; the testbed one requires them; its plaintext metrics are open', () => {
    const open = `https://127.0.0.1:${port(openEtcd.endpoint)}`;
    expect(report.findings.filter((f) => f.checkId === 'etcd-client-cert-auth-disabled').map((f) => f.resource?.name)).toEqual([open]);
    expect(report.findings.filter((f) => f.checkId === 'etcd-metrics-unauthenticated').map((f) => f.source?.uri)).toContain(`${tb.etcd.metricsUrl ?? ''}/metrics`);
    expect(endpoint(`127.0.0.1:${port(openEtcd.endpoint)}`)).toMatchObject({ transport: 'tls', service: 'etcd client listener' });
    // The testbed etcd's client port refuses TLS without a certificate; off 2379, nothing else says it is etcd, so
    // it is listed as not judged rather than passed.
    const tbEtcd = `127.0.0.1:${port(tb.etcd.endpoint)}`;
    expect(endpoint(tbEtcd)).toMatchObject({ transport: 'tls', clientCertRequired: true });
    expect(endpoint(tbEtcd)?.answers).toEqual(['GET /version → failed: TLS: tlsv13 alert certificate required (alert 116)']);
    expect(report.notEvaluated.map((n) => n.message)).toContain(`${tbEtcd} (unidentified service) was not judged: TLS requires a client certificate, and the port is not one kspect knows`);
  });

  it('Docker API (podman): open in plain HTTP and behind TLS without client verification; closed with it', () => {
    expect(ids(`127.0.0.1:${podman.port}`)).toEqual(['exposed-docker-api']);
    expect(ids(`127.0.0.1:${dockerTls.port}`).filter((id) => id.startsWith('exposed-'))).toEqual(['exposed-docker-api']);
    const mtls = `127.0.0.1:${dockerMtls.port}`;
    expect(endpoint(mtls)).toMatchObject({ transport: 'tls', clientCertRequired: true });
    expect(ids(mtls).filter((id) => id.startsWith('exposed-'))).toEqual([]);
    expect(dockerMtls.requests()).toEqual([]);
  });

  it('kubectl proxy: the API over plain HTTP, listing with the admin rights of whoever started it', () => {
    const hp = `127.0.0.1:${proxy.port}`;
    expect(endpoint(hp)).toMatchObject({ transport: 'plain', service: 'Kubernetes API over plain HTTP' });
    const [f] = at(hp).filter((x) => x.checkId === 'exposed-apiserver-plain-http');
    expect(f?.severity).toBe('critical');
    expect(f?.message).toContain('anyone can list namespaces, pods, secrets');
  });

  it('Dashboard (a stand-in, see startFakeDashboard): skip login and data without a token', () => {
    const hp = `127.0.0.1:${dashboard.port}`;
    expect(at(hp).filter((f) => f.checkId === 'exposed-dashboard').map((f) => [f.path, f.severity]).sort()).toEqual([['/api/v1/login/skippable', 'high'], ['/api/v1/namespace', 'critical']]);
  });

  it('--cluster adds the API server from the kubeconfig and the kubernetes Service, and reads RBAC without writing', () => {
    expect(report.inputs).toContain('cluster:testbed');
    const api = endpoint(`127.0.0.1:${port(tb.url)}`);
    expect(api?.target).toBe(`127.0.0.1:${port(tb.url)}`);
    // Reading the cluster was GETs only (the audit log of the admin's requests from kspect).
    const cluster = auditRequests(tb.auditLog, 'kspect');
    expect(cluster.length).toBeGreaterThan(0);
    for (const r of cluster) expect(['GET', 'LIST']).toContain(r.method);
  });

  it('never copies a Secret value or a pod environment value into any output', async () => {
    expect(endpoint(`127.0.0.1:${k200.readOnlyPort ?? 0}`)?.answers).toContain('GET /pods → 200 (PodList with 1 item)');
    expect(JSON.stringify(report)).not.toContain(CANARY);
    const targets = [`127.0.0.1:${k200.port}`, `127.0.0.1:${k200.readOnlyPort ?? 0}`, `127.0.0.1:${proxy.port}`];
    for (const f of ['table', 'json', 'sarif', 'markdown', 'junit']) {
      const r = await runCli(['probe', ...targets, '-f', f, '--no-ciphers'], { timeoutMs: 60_000 });
      expect(r.stdout.length, f).toBeGreaterThan(100);
      expect(r.stdout + r.stderr, f).not.toContain(CANARY);
    }
  });

  it('verifies served chains against --ca, and says when it could not', async () => {
    // Eight TLS endpoints: the API server, both etcds, three kubelets and both terminators.
    expect(report.notEvaluated.map((n) => n.message)).toContain('no --ca bundle: the chains served by 8 TLS endpoints were not verified');
    const targets = [`127.0.0.1:${dockerTls.port}`, `127.0.0.1:${port(tb.url)}`];
    const chainFindings = async (ca: string): Promise<string[]> => {
      const r = await runCli(['probe', ...targets, '-f', 'json', '--no-ciphers', '--ca', ca, '--checks', 'cert-chain-unverified'], { timeoutMs: 60_000 });
      return (JSON.parse(r.stdout) as Report).findings.map((f) => f.resource?.name ?? '').sort();
    };
    // The terminator's certificate is signed by the probe CA, the API server's by the testbed CA.
    expect(await chainFindings(probeCa)).toEqual([`127.0.0.1:${port(tb.url)}`]);
    expect(await chainFindings(tb.ca)).toEqual([`127.0.0.1:${dockerTls.port}`]);
  });

  it('every server received only GETs of harmless paths', async () => {
    const all: [string, Recorded[]][] = [
      ['kube-apiserver (audit log)', auditRequests(tb.auditLog, 'kspect-probe')],
      ['kubelet 401', k401.requests()],
      ['kubelet 403', k403.requests()],
      ['kubelet 200', k200.requests()],
      ['podman', podman.requests()],
      ['TLS terminator', dockerTls.requests()],
      ['TLS terminator with client verification', dockerMtls.requests()],
      ['Dashboard stand-in', dashboard.requests()],
    ];
    for (const [name, reqs] of all) {
      for (const r of reqs) {
        expect(['GET', 'HEAD', 'LIST'], `${name}: ${r.method} ${r.path}`).toContain(r.method);
        expect(r.path, name).not.toMatch(/\/(exec|attach|run|portforward|port-forward)\b/i);
      }
    }
    // Each component saw the probe (so the records are not vacuous).
    expect(auditRequests(tb.auditLog, 'kspect-probe').length).toBeGreaterThan(5);
    for (const k of [k401, k403, k200]) expect(k.requests().filter((r) => r.userAgent === 'kspect-probe').length).toBeGreaterThan(2);
    expect(podman.requests().filter((r) => r.userAgent === 'kspect-probe').length).toBeGreaterThan(2);
    expect(dockerTls.requests().length).toBeGreaterThan(2);
    expect(dashboard.requests().length).toBeGreaterThan(2);
    // etcd: no KV or auth RPC at all reached the etcd no API server uses — only HTTP GETs of /version and /metrics.
    expect(await etcdKvRpcs(openEtcd)).toBe(etcdRpcsBefore);
    // The API server audited the probe's requests as what they were: reads by system:anonymous.
    const verbs = new Set(readFileSync(tb.auditLog, 'utf8').split('\n').filter((l) => l.includes('"kspect-probe"')).map((l) => (JSON.parse(l) as { verb: string }).verb));
    for (const v of verbs) expect(['get', 'list']).toContain(v);
  });

  it('with anonymous authentication off, the API server refuses everything with 401 and only TLS findings remain', async () => {
    await tb.setAnonymousAuth(false);
    try {
      const hp = `127.0.0.1:${port(tb.url)}`;
      const r = await runCli(['probe', hp, '-f', 'json', '--no-ciphers'], { timeoutMs: 60_000 });
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.probe?.endpoints[0]?.answers).toContain('GET /version → 401 (Unauthorized: Unauthorized)');
      expect(rep.findings.filter((f) => f.checkId.startsWith('exposed-'))).toEqual([]);
    } finally {
      await tb.setAnonymousAuth(true);
    }
  }, 180_000);
});

const CANARY = `kspect-canary-${randomBytes(12).toString('hex')}`;

/** Wait until the kubelet's read-only port lists a pod (the canary bound to it). */
async function waitForPods(port: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/pods`);
      const body = (await r.json()) as { items?: unknown[] | null };
      if ((body.items ?? []).length > 0) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the canary pod never reached the hollow kubelet');
}

/** Sum of etcd's gRPC calls to its KV, Auth and Maintenance services, from its own metrics. */
async function etcdKvRpcs(etcd: Etcd): Promise<number> {
  const url = etcd.metricsUrl ?? '';
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^grpc_server_started_total\{[^}]*grpc_service="etcdserverpb\.(KV|Auth|Maintenance)"[^}]*\} (\d+)/.exec(line);
    if (m) n += Number(m[2]);
  }
  return n;
}
