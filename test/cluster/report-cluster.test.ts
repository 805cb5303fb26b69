/**
 * `kspect report --cluster` against the testbed's real kube-apiserver (one testbed for the file): the test applies
 * examples/insecure and a planted Secret through the API (kspect never writes); the combined run must hold exactly
 * the findings of `scan --cluster` plus those of `pki check` run one by one, carry the escalation paths and the
 * reachability section of the live objects (in JSON, in the table and drawn in the HTML), name the cluster as its
 * input, and never print the Secret's value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { loadManifests } from '../../src/sources/files.js';
import { runCli } from '../support/cli.js';
import { applyObjects, type Manifest } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();
const PLANTED = 'PLANTED-REPORT-SECRET-9c41';
const PKI = 'examples/pki/etc-kubernetes';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'PriorityClass', 'StorageClass', 'IngressClass', 'RuntimeClass', 'PersistentVolume', 'CustomResourceDefinition']);
const ids = (r: Report): string[] => r.findings.map((f) => `${f.checkId}|${f.fingerprint}`).sort();

describe.skipIf(skip !== undefined)('kspect report --cluster on the testbed', () => {
  let tb: Testbed;
  let scan: Report;
  const base = (): string[] => ['--cluster', '--kubeconfig', tb.kubeconfig, '--fail-on', 'none'];

  beforeAll(async () => {
    tb = await startTestbed();
    const loaded = await loadManifests(['examples/insecure'], { kustomize: () => Promise.resolve({ ok: false, error: 'no kustomize in tests' }) });
    const objects: Manifest[] = [];
    for (const o of loaded.objects) {
      const raw = structuredClone(o.raw) as Manifest;
      if (typeof raw.metadata.name !== 'string') continue;
      if (!CLUSTER_SCOPED.has(raw.kind) && raw.metadata.namespace === undefined) raw.metadata.namespace = 'default';
      objects.push(raw);
    }
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'planted', namespace: 'shop' }, stringData: { password: PLANTED } });
    const { applied } = await applyObjects(tb, objects);
    expect(applied.length).toBeGreaterThan(20);
    const r = await runCli(['scan', ...base(), '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    scan = JSON.parse(r.stdout) as Report;
    expect(scan.findings.length).toBeGreaterThan(50);
  }, 300_000);

  afterAll(async () => {
    await tb.stop();
  });

  it('holds exactly the findings of scan --cluster, with the pictures of the live objects', { timeout: 120_000 }, async () => {
    const r = await runCli(['report', ...base(), '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('internal error');
    const report = JSON.parse(r.stdout) as Report;
    expect(ids(report)).toEqual(ids(scan));
    expect(report.notEvaluated).toEqual(scan.notEvaluated);
    expect(report.inputs).toEqual(scan.inputs);
    expect(report.inputs[0]).toMatch(/^cluster:/);
    // The escalation paths of the live RBAC objects (examples/insecure grants exec in ops to everyone) and the
    // reachability of the live workloads, by namespace.
    expect(report.rbacPaths?.paths.length).toBeGreaterThan(0);
    expect(Object.values(report.rbacPaths?.nodes ?? {})).toContain('cluster-admin');
    expect(report.network?.namespaces).toEqual(expect.arrayContaining(['data', 'ops', 'shop']));
    expect(report.network?.policies).toBeGreaterThan(0);
    expect(r.stdout).not.toContain(PLANTED);
  });

  it('with --pki it is scan --cluster and pki check merged; the table lists the paths, the HTML draws them', { timeout: 180_000 }, async () => {
    const [all, pki, table, html] = await Promise.all([
      runCli(['report', ...base(), '--pki', PKI, '-f', 'json']),
      runCli(['pki', 'check', PKI, '-f', 'json', '--fail-on', 'none']),
      runCli(['report', ...base(), '--framework', 'cis'], { env: { COLUMNS: '200' } }),
      runCli(['report', ...base(), '--pki', PKI, '-f', 'html']),
    ]);
    for (const x of [all, pki, table, html]) expect(x.code, x.stderr).toBe(0);
    const merged = JSON.parse(all.stdout) as Report;
    const pkiReport = JSON.parse(pki.stdout) as Report;
    expect(ids(merged)).toEqual([...ids(scan), ...ids(pkiReport)].sort());
    expect(merged.pki?.certificates.length).toBe(pkiReport.pki?.certificates.length);
    expect(merged.inputs).toEqual([...scan.inputs, ...pkiReport.inputs]);
    expect(table.stdout).toContain('Escalation paths to cluster-admin:');
    expect(table.stdout).toContain('Reachability by namespace:');
    expect(table.stdout).toContain('CIS Kubernetes Benchmark v1.12: ');
    for (const id of ['summary', 'rbac', 'network', 'pki', 'findings']) expect(html.stdout).toContain(`<section id="${id}"`);
    expect(html.stdout).toContain('id="svg-rbac"');
    expect(html.stdout).toContain('id="svg-heat"');
    for (const out of [all.stdout, table.stdout, html.stdout]) expect(out).not.toContain(PLANTED);
  });
});
