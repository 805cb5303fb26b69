/**
 * `kspect scan --cluster --apply-reports` against the testbed kube-apiserver serving both policy-report CRDs
 * (vendored in test/fixtures/crds, see PROVENANCE.md there), run as an identity that holds only deploy/'s RBAC
 * (kspect-reader: get/list/watch; kspect-report-writer: the report resources): every report kspect applies is
 * accepted by the API server's CRD validation — including a namespace of 3,000 generated pods, split by the byte
 * budget below etcd's limit; a second run writes nothing (same resourceVersions); reports of a namespace whose
 * objects are gone are pruned; `--report-api auto` picks openreports.io when it is served.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT, runCli } from '../support/cli.js';
import { createNamespace, kube, mustKube } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const PODS = 3000;

function pod(ns: string, i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `gen-${i}`, namespace: ns, labels: { app: `gen-${i % 50}` } },
    spec: { automountServiceAccountToken: false, hostPID: i % 3 === 0, containers: [{ name: 'app', image: `registry.example/app-${i % 20}:1.${i % 7}`, securityContext: { privileged: i % 2 === 0 } }] },
  };
}

/** Create objects with a few requests in flight. */
async function createAll(tb: Testbed, path: (o: Record<string, unknown>) => string, objects: readonly Record<string, unknown>[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const o = objects[next++];
      if (o) await mustKube(tb, 'POST', path(o), o);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

interface Listed {
  items: { metadata: { name: string; namespace?: string; resourceVersion: string }; results?: unknown[] }[];
}

describe.skipIf(skip !== undefined)('PolicyReports applied to the testbed kube-apiserver', () => {
  let tb: Testbed;
  let kubeconfig: string;

  beforeAll(async () => {
    tb = await startTestbed();
    for (const f of ['wgpolicyk8s.io_policyreports.yaml', 'wgpolicyk8s.io_clusterpolicyreports.yaml', 'openreports.io_reports.yaml', 'openreports.io_clusterreports.yaml']) {
      await mustKube(tb, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', parse(readFileSync(join(REPO_ROOT, 'test/fixtures/crds', f), 'utf8')));
    }
    for (const plural of ['policyreports.wgpolicyk8s.io', 'clusterpolicyreports.wgpolicyk8s.io', 'reports.openreports.io', 'clusterreports.openreports.io']) {
      for (let i = 0; i < 100; i++) {
        const r = await kube(tb, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}`);
        const conditions = ((r.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []);
        if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
        await sleep(100);
      }
    }
    // deploy/'s RBAC, bound to a user the test can act as: read everything but Secrets, write only reports.
    for (const file of ['deploy/rbac.yaml', 'deploy/policyreports.yaml']) {
      for (const doc of parseAllDocuments(readFileSync(join(REPO_ROOT, file), 'utf8'))) {
        const o = doc.toJS() as { kind: string; metadata: { namespace?: string }; subjects?: unknown[] };
        if (o.kind === 'ClusterRoleBinding') o.subjects = [{ kind: 'User', name: 'kspect-scanner', apiGroup: 'rbac.authorization.k8s.io' }];
        const path = { Namespace: '/api/v1/namespaces', ServiceAccount: '/api/v1/namespaces/kspect/serviceaccounts', ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles', ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', CronJob: '/apis/batch/v1/namespaces/kspect/cronjobs' }[o.kind];
        if (!path) throw new Error(`unexpected ${o.kind} in ${file}`);
        const r = await kube(tb, 'POST', path, o);
        if (r.status !== 201 && r.status !== 409) throw new Error(`${file} ${o.kind}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    }
    kubeconfig = tb.kubeconfigFor('kspect-scanner');
    await createNamespace(tb, 'bulk');
    await createNamespace(tb, 'small');
    await createAll(tb, (o) => `/api/v1/namespaces/${(o.metadata as { namespace: string }).namespace}/pods`, [...Array.from({ length: PODS }, (_, i) => pod('bulk', i)), pod('small', 0)]);
  }, 600_000);

  afterAll(async () => {
    await tb.stop();
  });

  const scan = (...extra: string[]) => runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--apply-reports', '-f', 'json', '-o', '/dev/null', '--fail-on', 'none', ...extra], { timeoutMs: 300_000 });
  const list = async (path: string): Promise<Listed> => (await mustKube(tb, 'GET', path)) as Listed;

  it('applies PolicyReports the CRD accepts, split below etcd\'s limit, and a second run writes nothing', { timeout: 600_000 }, async () => {
    const first = await scan('--report-api', 'wgpolicyk8s');
    expect(first.stderr).toMatch(/wgpolicyk8s reports: \d+ created, 0 updated, 0 unchanged, 0 pruned/);
    expect(first.code).toBe(0);
    const reports = await list('/apis/wgpolicyk8s.io/v1alpha2/policyreports');
    const bulk = reports.items.filter((o) => o.metadata.namespace === 'bulk');
    expect(bulk.length).toBeGreaterThan(1);
    // Every generated pod has findings, and every one reached a report.
    const named = new Set(bulk.flatMap((o) => (o.results ?? []) as { resources?: { name: string }[] }[]).flatMap((r) => (r.resources ?? []).map((x) => x.name)));
    for (let i = 0; i < PODS; i++) expect(named.has(`gen-${i}`)).toBe(true);
    for (const o of reports.items) expect(Buffer.byteLength(JSON.stringify(o))).toBeLessThan(1024 * 1024);
    expect(reports.items.some((o) => o.metadata.namespace === 'small')).toBe(true);
    const cluster = await list('/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports');
    expect(cluster.items.map((o) => o.metadata.name)).toEqual(['kspect-cluster']);

    const before = new Map(reports.items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]));
    const second = await scan('--report-api', 'wgpolicyk8s');
    if (!/ 0 updated/.test(second.stderr)) {
      // Say what changed between the runs (the first differing result of each rewritten report).
      const now = await list('/apis/wgpolicyk8s.io/v1alpha2/policyreports');
      const was = new Map(reports.items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
      const changes: string[] = [];
      for (const o of now.items) {
        const old = was.get(`${o.metadata.namespace ?? ''}/${o.metadata.name}`);
        const a = (old?.results ?? []).map((r) => JSON.stringify({ ...(r as object), timestamp: undefined }));
        const b = (o.results ?? []).map((r) => JSON.stringify({ ...(r as object), timestamp: undefined }));
        const i = a.findIndex((x, j) => x !== b[j]);
        if (i >= 0 || a.length !== b.length) changes.push(`${o.metadata.namespace ?? ''}/${o.metadata.name} (${a.length}→${b.length} results) first difference at ${i}:\n  was ${a[i] ?? '-'}\n  now ${b[i] ?? '-'}`);
      }
      expect.fail(`${second.stderr}\n${changes.slice(0, 5).join('\n')}`);
    }
    expect(second.stderr).toMatch(new RegExp(`wgpolicyk8s reports: 0 created, 0 updated, ${reports.items.length + 1} unchanged, 0 pruned`));
    const after = await list('/apis/wgpolicyk8s.io/v1alpha2/policyreports');
    expect(new Map(after.items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]))).toEqual(before);
    // Field manager: kspect, by server-side apply.
    const one = (await mustKube(tb, 'GET', '/apis/wgpolicyk8s.io/v1alpha2/namespaces/small/policyreports/kspect')) as { metadata: { managedFields: { manager: string; operation: string }[] } };
    expect(one.metadata.managedFields.map((m) => `${m.manager}/${m.operation}`)).toEqual(['kspect/Apply']);
  });

  it('prunes the report of a namespace whose objects are gone', { timeout: 300_000 }, async () => {
    await mustKube(tb, 'DELETE', '/api/v1/namespaces/small/pods/gen-0?gracePeriodSeconds=0');
    await mustKube(tb, 'DELETE', '/api/v1/namespaces/small/serviceaccounts/default');
    for (let i = 0; i < 50 && (await kube(tb, 'GET', '/api/v1/namespaces/small/pods/gen-0')).status !== 404; i++) await sleep(100);
    const r = await scan('--report-api', 'wgpolicyk8s');
    // The cluster report may change too (findings on the Namespace object itself); the namespace's report goes.
    expect(r.stderr).toMatch(/wgpolicyk8s reports: 0 created, \d+ updated, \d+ unchanged, 1 pruned/);
    expect((await kube(tb, 'GET', '/apis/wgpolicyk8s.io/v1alpha2/namespaces/small/policyreports/kspect')).status).toBe(404);
  });

  it('--report-api auto writes openreports.io Reports when the cluster serves them, also accepted', { timeout: 300_000 }, async () => {
    const r = await scan('--report-api', 'auto');
    expect(r.stderr).toMatch(/openreports reports: \d+ created, 0 updated, 0 unchanged, 0 pruned/);
    expect(r.code).toBe(0);
    const reports = await list('/apis/openreports.io/v1alpha1/reports');
    expect(reports.items.filter((o) => o.metadata.namespace === 'bulk').length).toBeGreaterThan(1);
    expect((await list('/apis/openreports.io/v1alpha1/clusterreports')).items.map((o) => o.metadata.name)).toEqual(['kspect-cluster']);
  });

  it('the scanning identity cannot write anything but reports', async () => {
    const r = await runCli(['rbac', 'can-i', 'create', 'pods', '-n', 'bulk', '--as', 'kspect-scanner', '--cluster', '--kubeconfig', tb.kubeconfig, '-f', 'json']);
    expect(r.stdout).toContain('"allowed": false');
  });
});
