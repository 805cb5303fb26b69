/**
 * `kspect probe` against the real kube-controller-manager, kube-scheduler and kube-proxy, built unmodified from the
 * same pinned k8s.io/kubernetes module as the testbed's kube-apiserver (`test/testbed/build.sh control-plane`), all
 * started here on loopback against the testbed and stopped by pid:
 *
 * - controller-manager and scheduler in three configurations, each pair on its own loopback address at the default
 *   ports 10257 and 10259 (so identification by port is exercised too): delegated authentication and authorization
 *   working (anonymous requests are authorized by a SubjectAccessReview and refused); `--authorization-always-allow-paths`
 *   widened to /metrics; and without `--authentication-kubeconfig`;
 * - kube-proxy in nftables mode, in its own user + network namespace (it needs CAP_NET_ADMIN over a namespace, and
 *   must not program the shared machine's), its plaintext metrics (10249) and health check (10256) bridged out.
 *
 * Safety from the servers' side: the controller-manager's and scheduler's own httplog lines, and for kube-proxy (which
 * logs no requests) the forwarders in front of its ports, record every request, and all must be GETs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/index.js';
import { allStarted, controlPlaneBinaries, freeLoopbackAddress, kubeProxyUnavailable, startKubeProxy, startSecureComponent, probeReport, tracker, type KubeProxy, type Recorded, type SecureComponent } from './support/probe-components.js';
import { mustKube } from './testbed/kube.js';
import { freePort, startTestbed, testbedUnavailable, type Testbed } from './testbed/testbed.js';

const bins = testbedUnavailable() === undefined ? controlPlaneBinaries() : undefined;
const skip = testbedUnavailable() ?? (bins === undefined ? 'no kube-controller-manager, kube-scheduler and kube-proxy (Go is needed to build them: test/testbed/build.sh control-plane)' : undefined);
const proxySkip = skip ?? kubeProxyUnavailable();
if (skip === undefined && proxySkip !== undefined) console.warn(`probe-control-plane: kube-proxy is skipped: ${proxySkip}`);

type Setup = 'delegated' | 'widened' | 'no-authn-kubeconfig';
const SETUPS: readonly Setup[] = ['delegated', 'widened', 'no-authn-kubeconfig'];

describe.skipIf(skip !== undefined)(`kspect probe against the real controller-manager, scheduler and kube-proxy${skip !== undefined ? ` (skipped: ${skip})` : ''}`, () => {
  let dir = '';
  let tb: Testbed;
  const hosts = new Map<Setup, string>();
  const cms = new Map<Setup, SecureComponent>();
  const schedulers = new Map<Setup, SecureComponent>();
  let proxy: KubeProxy | undefined;
  let elsewhere: SecureComponent | undefined;
  let report: Report;
  let exit: number;
  let stderr: string;
  const { track, stopAll } = tracker();

  const at = (hp: string): Finding[] => report.findings.filter((f) => f.resource?.name === hp || f.source?.uri === hp || f.source?.uri.includes(`//${hp}`));
  const exposures = (hp: string): [string, string, string][] => at(hp).filter((f) => f.checkId.startsWith('exposed-')).map((f): [string, string, string] => [f.checkId, f.path ?? '', f.severity]).sort();
  const endpoint = (hp: string) => report.probe?.endpoints.find((e) => e.endpoint === hp);
  const cm = (s: Setup): string => `${hosts.get(s) ?? ''}:10257`;
  const sched = (s: Setup): string => `${hosts.get(s) ?? ''}:10259`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-probe-cp-'));
    const b = bins as NonNullable<typeof bins>;
    const kubeProxyHost = freeLoopbackAddress([10249, 10256]);
    for (const s of SETUPS) hosts.set(s, await freeLoopbackAddress([10257, 10259]));
    tb = await track(startTestbed());
    // kube-proxy waits up to 30 s for its Node to have addresses: register one (no kubelet runs here).
    await mustKube(tb, 'POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kp-node' } });
    const node = (await mustKube(tb, 'GET', '/api/v1/nodes/kp-node')) as { status?: Record<string, unknown> };
    await mustKube(tb, 'PUT', '/api/v1/nodes/kp-node/status', { ...node, status: { ...node.status, addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] } });
    const secure = (kind: 'kube-controller-manager' | 'kube-scheduler', s: Setup) =>
      track(startSecureComponent({
        bin: kind === 'kube-controller-manager' ? b.controllerManager : b.scheduler,
        kind,
        dir,
        name: `${kind}-${s}`,
        host: hosts.get(s) ?? '',
        kubeconfig: tb.kubeconfig,
        ...(s === 'widened' ? { alwaysAllowPaths: ['/healthz', '/readyz', '/livez', '/metrics'] } : {}),
        ...(s === 'no-authn-kubeconfig' ? { withoutAuthenticationKubeconfig: true } : {}),
      }));
    await allStarted([
      ...SETUPS.map(async (s) => { cms.set(s, await secure('kube-controller-manager', s)); }),
      ...SETUPS.map(async (s) => { schedulers.set(s, await secure('kube-scheduler', s)); }),
      // One more controller-manager, delegated, on a port that is not 10257.
      track(startSecureComponent({ bin: b.controllerManager, kind: 'kube-controller-manager', dir, name: 'kube-controller-manager-elsewhere', host: '127.0.0.1', port: await freePort(), kubeconfig: tb.kubeconfig })).then((c) => { elsewhere = c; }),
      proxySkip === undefined
        ? track(startKubeProxy({ bin: b.proxy, dir, host: await kubeProxyHost, kubeconfig: tb.kubeconfig, apiPort: Number(new URL(tb.url).port), nodeName: 'kp-node' })).then((p) => { proxy = p; })
        : Promise.resolve(),
    ]);
    const targets = [...SETUPS.flatMap((s) => [cm(s), sched(s)]), `127.0.0.1:${elsewhere?.port ?? 0}`, ...(proxy ? [`${proxy.host}:10249`, `${proxy.host}:10256`] : [])];
    ({ code: exit, stderr, report } = await probeReport([...targets, '--request-timeout', '5']));
  }, 600_000);

  afterAll(async () => {
    await stopAll();
    if (process.env.KSPECT_TESTBED_KEEP === undefined && dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('reports nothing but the exposures below, with no problem; the TLS chains are not evaluated without --ca', () => {
    // Medium at most: the default --fail-on (high) lets it pass.
    expect(exit, stderr).toBe(0);
    expect(report.problems).toEqual([]);
    expect([...new Set(report.findings.map((f) => f.checkId))]).toEqual(['exposed-component-endpoints']);
    // Seven TLS endpoints: three controller-managers on 10257, one elsewhere, three schedulers.
    expect(report.notEvaluated).toEqual([{ checkId: 'cert-chain-unverified', reason: 'missing-input', message: 'no --ca bundle: the chains served by 7 TLS endpoints were not verified' }]);
  });

  it('delegated authentication and authorization: anonymous gets 403 from a SubjectAccessReview; only /healthz is open', () => {
    for (const [hp, service] of [[cm('delegated'), 'kube-controller-manager'], [sched('delegated'), 'kube-scheduler']] as const) {
      expect(endpoint(hp)).toMatchObject({ state: 'open', transport: 'tls', service });
      const answers = endpoint(hp)?.answers ?? [];
      for (const path of ['/metrics', '/configz', '/debug/pprof/']) expect(answers, hp).toContain(`GET ${path} → 403 (Forbidden: forbidden: User "system:anonymous" cannot get path "${path}")`);
      // Default RBAC (system:public-info-viewer) lets anyone read /version; neither component serves it.
      expect(answers).toContain('GET /version → 404 (404 page not found)');
      expect(exposures(hp)).toEqual([['exposed-component-endpoints', '/healthz', 'info']]);
    }
    // The refusals came from the API server: it audited the components' SubjectAccessReviews for system:anonymous.
    const reviews = readFileSync(tb.auditLog, 'utf8').split('\n').filter((l) => l.includes('"subjectaccessreviews"'));
    expect(reviews.length).toBeGreaterThan(0);
  });

  it('--authorization-always-allow-paths widened to /metrics: anonymous metrics are a finding; /configz and profiles stay refused', () => {
    for (const [hp, service] of [[cm('widened'), 'kube-controller-manager'], [sched('widened'), 'kube-scheduler']] as const) {
      expect(endpoint(hp)).toMatchObject({ transport: 'tls', service });
      expect(endpoint(hp)?.answers.find((a) => a.startsWith('GET /metrics'))).toMatch(/^GET \/metrics → 200 \(metric families: /);
      expect(exposures(hp)).toEqual([['exposed-component-endpoints', '/healthz', 'info'], ['exposed-component-endpoints', '/metrics', 'medium']]);
      const [f] = at(hp).filter((x) => x.path === '/metrics');
      expect(f?.message).toBe(`${hp}: ${service} serves its metrics (/metrics) without credentials`);
    }
  });

  it('without --authentication-kubeconfig: every client is anonymous (no client-certificate CA, no TokenReview), so anonymous is refused as before', async () => {
    // What the component does, from k8s.io/apiserver's DelegatingAuthenticationOptions: the kubeconfig is optional
    // for both components; with none (and no in-cluster config) it warns, cannot look up the client CA nor review
    // tokens, and authenticates every request as system:anonymous; authorization still asks the API server.
    for (const [hp, c] of [[cm('no-authn-kubeconfig'), cms.get('no-authn-kubeconfig')], [sched('no-authn-kubeconfig'), schedulers.get('no-authn-kubeconfig')]] as const) {
      expect(readFileSync(c?.log ?? '', 'utf8')).toContain('No authentication-kubeconfig provided in order to lookup client-ca-file');
      // From the network, kspect sees exactly what it sees of the delegated setup: nothing to report.
      expect(endpoint(hp)?.answers).toEqual(endpoint(hp.replace(hosts.get('no-authn-kubeconfig') ?? '', hosts.get('delegated') ?? ''))?.answers);
      expect(exposures(hp)).toEqual([['exposed-component-endpoints', '/healthz', 'info']]);
    }
    // The difference is for clients with credentials: the admin's certificate (system:masters, always allowed) reads
    // /metrics from the delegated component, and is anonymous — refused — without the authentication kubeconfig.
    const admin = { cert: readFileSync(join(tb.dir, 'user-testbed-admin.crt')), key: readFileSync(join(tb.dir, 'user-testbed-admin.key')) };
    expect(await get(`https://${cm('delegated')}/metrics`, admin)).toBe(200);
    expect(await get(`https://${cm('no-authn-kubeconfig')}/metrics`, admin)).toBe(403);
  });

  it('on a port that is not its own, a real controller-manager is still recognised as a Kubernetes component', () => {
    const hp = `127.0.0.1:${elsewhere?.port ?? 0}`;
    expect(endpoint(hp)).toMatchObject({ transport: 'tls', service: 'Kubernetes component (controller-manager or scheduler)', identifiedBy: 'GET /_ping answered 403 (Forbidden: forbidden: User "system:anonymous" cannot get path "/_ping")' });
    expect(exposures(hp)).toEqual([['exposed-component-endpoints', '/healthz', 'info']]);
  });

  it.skipIf(proxySkip !== undefined)('kube-proxy: plaintext metrics and configuration on 10249, its health check on 10256', () => {
    const metrics = `${proxy?.host ?? ''}:10249`;
    const healthz = `${proxy?.host ?? ''}:10256`;
    expect(endpoint(metrics)).toMatchObject({ transport: 'plain', service: 'kube-proxy' });
    expect(endpoint(metrics)?.answers).toEqual(expect.arrayContaining(['GET /configz → 200 (sections: kubeproxy.config.k8s.io)', 'GET /proxyMode → 200 (nftables)']));
    expect(endpoint(metrics)?.answers.find((a) => a.startsWith('GET /metrics'))).toMatch(/^GET \/metrics → 200 \(metric families: .*kubeproxy/);
    expect(exposures(metrics)).toEqual([['exposed-component-endpoints', '/configz', 'medium'], ['exposed-component-endpoints', '/healthz', 'info'], ['exposed-component-endpoints', '/metrics', 'medium']]);
    expect(endpoint(healthz)).toMatchObject({ transport: 'plain', service: 'kube-proxy', identifiedBy: 'GET /healthz answered 200 (kube-proxy-healthz)' });
    expect(exposures(healthz)).toEqual([['exposed-component-endpoints', '/healthz', 'info']]);
  });

  it('every component received only GETs, and each saw the probe', () => {
    const all: [string, Recorded[]][] = [
      ...[...cms.entries()].map(([s, c]): [string, Recorded[]] => [`kube-controller-manager ${s}`, c.requests()]),
      ...[...schedulers.entries()].map(([s, c]): [string, Recorded[]] => [`kube-scheduler ${s}`, c.requests()]),
      ['kube-controller-manager elsewhere', elsewhere?.requests() ?? []],
    ];
    if (proxy) all.push(['kube-proxy metrics (forwarder)', proxy.metrics.requests()], ['kube-proxy healthz (forwarder)', proxy.healthz.requests()]);
    // The forwarders see every byte: kspect's TLS ClientHello to the plain ports is recorded as such.
    if (proxy) expect(proxy.metrics.requests().map((r) => r.method)).toContain('TLS-HANDSHAKE');
    for (const [name, reqs] of all) {
      const probe = reqs.filter((r) => r.userAgent === 'kspect-probe');
      expect(probe.length, name).toBeGreaterThan(5);
      for (const r of reqs) {
        // A plain port first gets a TLS ClientHello (kspect asks whether it speaks TLS); that is no HTTP request.
        if (r.method === 'TLS-HANDSHAKE' && name.startsWith('kube-proxy')) continue;
        if (r.userAgent === 'kspect-test-readiness') continue;
        expect(['GET', 'HEAD'], `${name}: ${r.method} ${r.path}`).toContain(r.method);
      }
    }
  });
});

/** The status of a GET with a client certificate, not verifying the component's self-signed serving certificate. */
function get(url: string, client: { cert: Buffer; key: Buffer }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...client, rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => { resolve(res.statusCode ?? 0); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
