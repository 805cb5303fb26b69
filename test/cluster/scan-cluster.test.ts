/**
 * `kspect scan --cluster` against a real kube-apiserver: the test applies examples/ and part of the shared corpus
 * through the API (kspect never writes), then the cluster scan must report the same findings as scanning the
 * applied manifests; with the shipped ClusterRole the audit log shows kspect used only get/list/watch; with a role
 * that forbids some resources, those are reported as not evaluated.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/sources/files.js';
import { parseReport, REPO_ROOT, runCli } from '../support/cli.js';
import { applyObjects, kube, mustKube, type Manifest } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';
import { FORMATS } from '../../src/reporters/index.js';

const skip = testbedUnavailable();
const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');
const CORPUS_FOLDERS = ['badpods', 'kubernetes-goat', 'microservices-demo', 'flannel', 'kubernetes-dashboard', 'ingress-nginx'];
const PLANTED = 'PLANTED-CLUSTER-SECRET-5d2f';

interface JsonFinding {
  checkId: string;
  resource?: { kind: string; namespace?: string; name: string; container?: string };
  path?: string;
}
interface JsonReport {
  findings: JsonFinding[];
  notEvaluated: { reason: string; message: string; checkId?: string }[];
  summary: { objectsScanned: number };
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'RuntimeClass', 'PersistentVolume']);

async function manifestsOf(path: string, namespace: string | undefined): Promise<Manifest[]> {
  const loaded = await loadManifests([path], { kustomize: () => Promise.resolve({ ok: false, error: 'no kustomize in tests' }) });
  const out: Manifest[] = [];
  for (const o of loaded.objects) {
    const raw = structuredClone(o.raw) as Manifest;
    if (typeof raw.metadata !== 'object' || typeof raw.metadata.name !== 'string') continue;
    if (!CLUSTER_SCOPED.has(raw.kind) && raw.metadata.namespace === undefined) raw.metadata.namespace = namespace ?? 'default';
    out.push(raw);
  }
  return out;
}

const keyOf = (f: JsonFinding): string => `${f.checkId} ${f.resource?.kind ?? ''}/${f.resource?.namespace ?? ''}/${f.resource?.name ?? ''}:${f.resource?.container ?? ''} ${f.path ?? ''}`;
const idOf = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

describe.skipIf(skip !== undefined)('kspect scan --cluster on the testbed', () => {
  let tb: Testbed;
  let work: string;
  let applied: Manifest[] = [];
  let appliedIds: Set<string>;
  let manifestFile: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kspect-scan-cluster-'));
    tb = await startTestbed();
    const objects: Manifest[] = [...(await manifestsOf(join(REPO_ROOT, 'examples'), undefined))];
    for (const folder of CORPUS_FOLDERS) objects.push(...(await manifestsOf(join(CORPUS, folder), `corpus-${folder}`)));
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'planted', namespace: 'default', annotations: { note: 'x' } }, stringData: { password: PLANTED } });
    const result = await applyObjects(tb, objects);
    applied = result.applied;
    // Namespaces the test created implicitly, and their default ServiceAccounts, are part of what was applied.
    const names = new Set(applied.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    for (const o of [...applied]) {
      const ns = o.metadata.namespace;
      if (ns !== undefined && !names.has(ns)) {
        names.add(ns);
        const live = (await mustKube(tb, 'GET', `/api/v1/namespaces/${ns}`)) as { metadata: { labels?: Record<string, string> } };
        const labels = { ...live.metadata.labels };
        delete labels['kubernetes.io/metadata.name'];
        applied.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, ...(Object.keys(labels).length > 0 ? { labels } : {}) } });
      }
    }
    for (const ns of names) {
      if (!applied.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'default' && o.metadata.namespace === ns)) applied.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } } as Manifest);
    }
    appliedIds = new Set(applied.map((o) => idOf(o.kind, o.metadata.namespace, o.metadata.name ?? '')));
    manifestFile = join(work, 'applied.yaml');
    // What the cluster holds for a Secret is metadata and type only: scan the same on the file side.
    writeFileSync(manifestFile, applied.map((o) => JSON.stringify(o.kind === 'Secret' ? { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, ...(o.type !== undefined ? { type: o.type } : {}) } : o)).join('\n---\n'));
    expect(applied.length).toBeGreaterThan(150);
  }, 300_000);

  afterAll(async () => {
    await tb.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('reports the same findings as scanning the applied manifests', { timeout: 120_000 }, async () => {
    // The live scan judges for the testbed's own version (1.35, from /version): the file side says the same.
    const files = await runCli(['scan', manifestFile, '--format', 'json', '--fail-on', 'critical', '--k8s-version', '1.35']);
    const live = await runCli(['scan', '--cluster', '--kubeconfig', tb.kubeconfig, '--format', 'json', '--fail-on', 'critical']);
    expect(live.stderr).not.toContain('internal error');
    const f = JSON.parse(files.stdout) as JsonReport;
    const c = JSON.parse(live.stdout) as JsonReport;
    const inApplied = (x: JsonFinding): boolean => x.resource !== undefined && appliedIds.has(idOf(x.resource.kind, x.resource.namespace, x.resource.name));
    const fromFiles = f.findings.filter(inApplied).map(keyOf).sort();
    const fromCluster = c.findings.filter(inApplied).map(keyOf).sort();
    expect(fromFiles.length).toBeGreaterThan(200);
    expect(fromCluster).toEqual(fromFiles);
    expect(c.notEvaluated.filter((n) => n.reason === 'forbidden')).toEqual([]);
  });

  it('rbac, netpol and pss read the cluster with --cluster and agree with the applied manifests', { timeout: 120_000 }, async () => {
    // pss: the same violations for every applied object.
    const pssOf = (stdout: string): string[] =>
      (parseReport(stdout) as unknown as { findings: { resource: { kind: string; namespace?: string; name: string }; references: { pss?: string[] } }[] }).findings
        .filter((f) => appliedIds.has(idOf(f.resource.kind, f.resource.namespace, f.resource.name)))
        .map((f) => `${idOf(f.resource.kind, f.resource.namespace, f.resource.name)} ${(f.references.pss ?? []).join(',')}`)
        .sort();
    const pssFiles = await runCli(['pss', 'check', manifestFile, '--level', 'baseline', '--format', 'json']);
    const pssLive = await runCli(['pss', 'check', '--cluster', '--kubeconfig', tb.kubeconfig, '--level', 'baseline', '--format', 'json']);
    expect(pssLive.stderr).not.toContain('internal error');
    expect(pssOf(pssFiles.stdout).length).toBeGreaterThan(20);
    expect(pssOf(pssLive.stdout)).toEqual(pssOf(pssFiles.stdout));
    // netpol: the same reachability matrix in the example namespaces.
    for (const ns of ['shop', 'data']) {
      const files = await runCli(['netpol', 'matrix', manifestFile, '-n', ns, '--format', 'json']);
      const live = await runCli(['netpol', 'matrix', '--cluster', '--kubeconfig', tb.kubeconfig, '-n', ns, '--format', 'json']);
      expect(live.stderr).not.toContain('internal error');
      expect(live.code).toBe(files.code);
      expect(JSON.parse(live.stdout)).toEqual(JSON.parse(files.stdout));
    }
    // rbac: the live cluster has the bootstrap roles and bindings too, so system:masters can read every Secret.
    const who = await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '--cluster', '--kubeconfig', tb.kubeconfig, '--format', 'json']);
    expect(who.stderr).not.toContain('internal error');
    expect(who.stdout).toContain('system:masters');
    const bad = await runCli(['rbac', 'who-can', 'get', 'secrets', '--context', 'x', '-i', manifestFile]);
    expect(bad.stderr).toBe('kspect: --context needs --cluster\n');
  });

  it('with the shipped ClusterRole: only get/list/watch in the audit log, Secrets not read, nothing printed of them', { timeout: 120_000 }, async () => {
    const deploy = await manifestsOf(join(REPO_ROOT, 'deploy', 'rbac.yaml'), undefined);
    const r = await applyObjects(tb, deploy);
    expect(r.skipped).toEqual([]);
    const token = (await mustKube(tb, 'POST', '/api/v1/namespaces/kspect/serviceaccounts/kspect/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } })) as { status: { token: string } };
    const kubeconfig = join(work, 'kubeconfig-kspect');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: tb, cluster: {server: "${tb.url}", certificate-authority: "${tb.ca}"}}]\nusers: [{name: kspect, user: {token: "${token.status.token}"}}]\ncontexts: [{name: kspect-sa, context: {cluster: tb, user: kspect}}]\ncurrent-context: kspect-sa\n`);
    const before = readFileSync(tb.auditLog, 'utf8').split('\n').length;
    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--context', 'kspect-sa', '--format', 'json', '--fail-on', 'critical']);
    const report = JSON.parse(live.stdout) as JsonReport;
    // Secrets are not granted: reported as not evaluated, never silently empty.
    expect(report.notEvaluated.filter((n) => n.reason === 'forbidden').map((n) => n.message)).toEqual([expect.stringMatching(/^cannot list secrets in all namespaces: .*forbidden/)]);
    const events = readFileSync(tb.auditLog, 'utf8')
      .split('\n')
      .slice(before - 1)
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { verb: string; user: { username: string }; requestURI: string; responseStatus?: { code: number } });
    const mine = events.filter((e) => e.user.username === 'system:serviceaccount:kspect:kspect');
    expect(mine.length).toBeGreaterThan(20);
    expect([...new Set(mine.map((e) => e.verb))].sort().every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    for (const out of [live.stdout, live.stderr]) expect(out).not.toContain(PLANTED);
    // The same scan with the admin's access reads the Secret as metadata: its value appears in no format.
    for (const format of FORMATS) {
      const a = await runCli(['scan', '--cluster', '--kubeconfig', tb.kubeconfig, '-n', 'default', '--format', format]);
      expect(a.stdout).not.toContain(PLANTED);
      expect(a.stdout).not.toContain(Buffer.from(PLANTED).toString('base64'));
    }
  });

  it('reports forbidden resources as not evaluated, and --fail-on-not-evaluated fails the run', { timeout: 120_000 }, async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kspect-limited' }, rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }] };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kspect-limited' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kspect-limited' }, subjects: [{ kind: 'User', name: 'limited', apiGroup: 'rbac.authorization.k8s.io' }] };
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', role);
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding);
    const kubeconfig = tb.kubeconfigFor('limited');
    const live = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'critical']);
    const report = JSON.parse(live.stdout) as JsonReport;
    const forbidden = report.notEvaluated.filter((n) => n.reason === 'forbidden').map((n) => n.message);
    for (const res of ['daemonsets.apps', 'networkpolicies.networking.k8s.io', 'clusterroles.rbac.authorization.k8s.io', 'secrets']) expect(forbidden.some((m) => m.startsWith(`cannot list ${res} `) || m.startsWith(`cannot list ${res}:`)), res).toBe(true);
    for (const res of ['pods', 'deployments.apps', 'namespaces']) expect(forbidden.some((m) => m.startsWith(`cannot list ${res} `) || m.startsWith(`cannot list ${res}:`)), res).toBe(false);
    expect(report.findings.some((f) => f.resource?.kind === 'Deployment')).toBe(true);
    expect(report.findings.some((f) => f.resource?.kind === 'DaemonSet')).toBe(false);
    const strict = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'critical', '--fail-on-not-evaluated', '--checks', 'pod-privileged']);
    expect(strict.code).toBe(1);
    const denied = await kube(tb, 'GET', '/api/v1/secrets', undefined, 'limited');
    expect(denied.status).toBe(403);
  });

  it('fails in one line for an unknown context or an unreachable server', async () => {
    const a = await runCli(['scan', '--cluster', '--kubeconfig', tb.kubeconfig, '--context', 'nope']);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('kspect: context "nope" is not in the kubeconfig (have: testbed)\n');
    const broken = join(work, 'kubeconfig-broken');
    writeFileSync(broken, readFileSync(tb.kubeconfig, 'utf8').replace(tb.url, 'https://127.0.0.1:1'));
    const b = await runCli(['scan', '--cluster', '--kubeconfig', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/^kspect: cannot read the API of https:\/\/127\.0\.0\.1:1/);
    const c = await runCli(['scan', '-n', 'x', 'file.yaml']);
    expect(c.stderr).toBe('kspect: --namespace needs --cluster\n');
  });
});
