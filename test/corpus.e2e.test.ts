/**
 * The real world is the judge: every folder of ../shared/corpus is scanned without a crash, every load problem is
 * explained, and the security facts stated in the folders' INDEX.md files are found as findings.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifests as audit } from '../src/api/scan.js';
import { allChecks } from '../src/checks/index.js';
import type { Report } from '../src/core/report.js';
import { expectV3RestoresV2 } from './support/report-roundtrip.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

/** [folder, checkId, kind, namespace ('' = none), name, container?] — each stated in the folder's INDEX.md. */
type Fact = readonly [string, string, string, string, string, string?];
const FACTS: readonly Fact[] = [
  // badPods: the everything-allowed pod and the single-privilege categories
  ['badpods', 'pod-privileged', 'Pod', '', 'everything-allowed-exec-pod', 'everything-allowed-pod'],
  ['badpods', 'pod-host-pid', 'Pod', '', 'everything-allowed-exec-pod'],
  ['badpods', 'pod-host-network', 'Pod', '', 'everything-allowed-exec-pod'],
  ['badpods', 'pod-host-ipc', 'Pod', '', 'everything-allowed-exec-pod'],
  ['badpods', 'pod-host-path', 'Pod', '', 'everything-allowed-exec-pod'],
  ['badpods', 'pod-host-path', 'Deployment', '', 'hostpath-exec-deployment'],
  ['badpods', 'pod-host-pid', 'DaemonSet', '', 'hostpid-exec-daemonset'],
  ['badpods', 'pod-privileged', 'StatefulSet', '', 'priv-exec-statefulset', 'priv-exec-statefulset'],
  ['badpods', 'api-removed', 'CronJob', '', 'everything-allowed-exec-cronjob'],
  // kubernetes-goat
  ['kubernetes-goat', 'pod-privileged', 'Deployment', 'default', 'system-monitor-deployment', 'system-monitor'],
  ['kubernetes-goat', 'pod-host-pid', 'Deployment', 'default', 'system-monitor-deployment'],
  ['kubernetes-goat', 'pod-host-ipc', 'Deployment', 'default', 'system-monitor-deployment'],
  ['kubernetes-goat', 'pod-host-path', 'Deployment', 'default', 'system-monitor-deployment'],
  ['kubernetes-goat', 'pod-privilege-escalation', 'Deployment', 'default', 'system-monitor-deployment', 'system-monitor'],
  ['kubernetes-goat', 'pod-privileged', 'DaemonSet', '', 'docker-bench-security', 'docker-bench'],
  ['kubernetes-goat', 'pod-host-network', 'DaemonSet', '', 'docker-bench-security'],
  ['kubernetes-goat', 'pod-host-path', 'Deployment', '', 'health-check-deployment'],
  ['kubernetes-goat', 'service-exposed', 'Service', 'default', 'internal-proxy-info-app-service'],
  // calico
  ['calico', 'pod-privileged', 'DaemonSet', 'kube-system', 'calico-node', 'calico-node'],
  ['calico', 'pod-privileged', 'DaemonSet', 'kube-system', 'calico-node', 'install-cni'],
  ['calico', 'pod-host-network', 'DaemonSet', 'kube-system', 'calico-node'],
  ['calico', 'pod-host-path', 'DaemonSet', 'kube-system', 'calico-node'],
  // kube-prometheus node-exporter
  ['kube-prometheus', 'pod-host-pid', 'DaemonSet', 'monitoring', 'node-exporter'],
  ['kube-prometheus', 'pod-host-network', 'DaemonSet', 'monitoring', 'node-exporter'],
  ['kube-prometheus', 'pod-host-path', 'DaemonSet', 'monitoring', 'node-exporter'],
  ['kube-prometheus', 'pod-dangerous-capabilities', 'DaemonSet', 'monitoring', 'node-exporter', 'node-exporter'],
  // flannel
  ['flannel', 'pod-host-network', 'DaemonSet', 'kube-flannel', 'kube-flannel-ds'],
  ['flannel', 'pod-dangerous-capabilities', 'DaemonSet', 'kube-flannel', 'kube-flannel-ds', 'kube-flannel'],
  ['flannel', 'namespace-pss-unlabeled', 'Namespace', '', 'kube-flannel'],
  // simulator
  ['simulator', 'pod-dangerous-capabilities', 'Deployment', 'ci-runner-ng', 'jenk-ng-runner-s82n6', 'jenk-ng-runner-s82n6'],
  ['simulator', 'pod-host-path', 'Deployment', 'coastline', 'data-burrow-prod'],
  ['simulator', 'service-exposed', 'Service', 'arctic', 'the-way'],
  // vulnerable-kubernetes-deployments: literal credentials, NodePort
  ['vulnerable-kubernetes-deployments', 'service-exposed', 'Service', 'petclinic', 'petclinic'],
  // microservices-demo: hardened, but a LoadBalancer and no seccomp
  ['microservices-demo', 'service-exposed', 'Service', '', 'frontend-external'],
  ['microservices-demo', 'image-pull-policy', 'Deployment', '', 'redis-cart', 'redis'],
  ['microservices-demo', 'image-no-digest', 'Deployment', '', 'redis-cart', 'redis'],
  // cert-manager v0.7.2: removed APIs
  ['cert-manager', 'api-removed', 'Deployment', 'cert-manager', 'cert-manager'],
  // ingress-nginx
  ['ingress-nginx', 'service-exposed', 'Service', 'ingress-nginx', 'ingress-nginx-controller'],
  ['ingress-nginx', 'pod-writable-root-fs', 'Deployment', 'ingress-nginx', 'ingress-nginx-controller', 'controller'],
  // kubernetes website examples
  ['kubernetes-website-examples', 'pod-env-literal-secret', 'Deployment', '', 'mysql', 'mysql'],
  ['kubernetes-website-examples', 'pod-dangerous-capabilities', 'Pod', '', 'security-context-demo-4', 'sec-ctx-4'],
  ['kubernetes-website-examples', 'api-removed', 'PodSecurityPolicy', '', 'privileged'],
  ['kubernetes-website-examples', 'service-exposed', 'Service', '', 'my-nginx-svc'],
  ['kubernetes-website-examples', 'ingress-no-tls', 'Ingress', '', 'minimal-ingress'],
  // argo-cd: no resources on any container
  ['argo-cd', 'pod-resources-missing', 'Deployment', '', 'argocd-server', 'argocd-server'],
];

const folders = existsSync(CORPUS) ? readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
const reports = new Map<string, Report>();
async function scan(folder: string): Promise<Report> {
  let r = reports.get(folder);
  if (!r) {
    r = await audit({ paths: [`${CORPUS}${folder}`], settings: { now: new Date('2026-06-01T00:00:00Z') } });
    reports.set(folder, r);
  }
  return r;
}

describe('real-world corpus', () => {
  it('is present beside the repository (../shared/corpus)', () => {
    expect(folders.length, `no corpus at ${CORPUS}`).toBeGreaterThanOrEqual(14);
  });
  for (const folder of folders) {
    it(`${folder}: scans without a crash, every problem explained`, async () => {
      const r = await scan(folder);
      expect(r.summary.objectsScanned).toBeGreaterThan(0);
      expect(r.problems.filter((p) => p.code === 'internal')).toEqual([]);
      expect(r.notEvaluated.filter((n) => n.reason === 'check-error')).toEqual([]);
      const kubectlMissing = (p: Report['problems'][number]) => p.code === 'kustomize-failed' && p.message.includes('kubectl is not installed');
      expect(r.problems.filter((p) => p.severity === 'error' && !kubectlMissing(p))).toEqual([]);
      for (const p of r.problems) expect(p.message.length).toBeGreaterThan(10);
    });
  }
  it(`finds the ${FACTS.length} stated facts`, async () => {
    const missing: string[] = [];
    for (const [folder, checkId, kind, ns, name, container] of FACTS) {
      const r = await scan(folder);
      // A fact is found when a finding states it — or restates it, folded into another (alsoReportedBy).
      const found = r.findings.some(
        (f) =>
          (f.checkId === checkId || (f.alsoReportedBy ?? []).includes(checkId)) &&
          f.resource?.kind === kind &&
          (f.resource.namespace ?? '') === ns &&
          f.resource.name === name &&
          (container === undefined || f.resource.container === container),
      );
      if (!found) missing.push(`${folder}: ${checkId} on ${kind} ${ns}/${name}${container !== undefined ? ` [${container}]` : ''}`);
    }
    expect(missing).toEqual([]);
  });
  it('once per fact: no two findings on one object, container and field where one check restates the other', async () => {
    const restatedBy = new Map(allChecks.flatMap((c) => (c.meta.restatedBy ? [[c.id, new Set(c.meta.restatedBy)] as const] : [])));
    let total = 0;
    let folded = 0;
    for (const folder of folders) {
      const r = await scan(folder);
      total += r.findings.length;
      folded += r.findings.reduce((n, f) => n + (f.alsoReportedBy?.length ?? 0), 0);
      const at = new Map<string, string[]>();
      for (const f of r.findings) {
        const k = [f.resource?.kind, f.resource?.namespace, f.resource?.name, f.resource?.container, f.path].join('|');
        at.set(k, [...(at.get(k) ?? []), f.checkId]);
      }
      for (const [k, ids] of at) for (const id of ids) for (const other of restatedBy.get(id) ?? []) expect(ids.includes(other), `${folder}: ${id} and ${other} both at ${k}`).toBe(false);
      // A Pod Security level finding never stands beside the specific finding that states the same control.
      for (const f of r.findings.filter((x) => x.checkId === 'pss-baseline' || x.checkId === 'pss-restricted')) {
        const twin = r.findings.find((s) => s !== f && s.checkId !== f.checkId && s.resource?.name === f.resource?.name && s.resource?.kind === f.resource?.kind && s.resource?.namespace === f.resource?.namespace && s.location?.file === f.location?.file && (f.resource?.container === undefined || s.resource?.container === f.resource.container) && (s.references.pss ?? []).some((c) => (f.references.pss ?? []).includes(c) && c !== 'baseline' && c !== 'restricted'));
        expect(twin, `${folder}: ${f.checkId} ${f.message}`).toBeUndefined();
      }
    }
    // Measured on the corpus: the facts folded away are a large share of what would otherwise be printed.
    expect(folded).toBeGreaterThan(1000);
    // Issue 18's coverage checks (committed Secrets, ports, allow-all rules, five more RBAC permissions …) add about 120
    // findings of real facts; the bound still catches a check that starts restating another.
    expect(total).toBeLessThan(5200);
  });
  it('report schema v3 loses nothing: every folder\'s JSON report read back gives the findings of a v2 report', async () => {
    let compact = 0;
    for (const folder of folders) compact += expectV3RestoresV2(await scan(folder), folder);
    expect(compact).toBeGreaterThan(1000);
  });
  it('negative controls stay quiet: microservices-demo and argo-cd have no privileged or host-namespace findings', async () => {
    for (const folder of ['microservices-demo', 'argo-cd', 'kubernetes-dashboard']) {
      const r = await scan(folder);
      const bad = r.findings.filter((f) => ['pod-privileged', 'pod-host-pid', 'pod-host-ipc', 'pod-host-network', 'pod-host-path'].includes(f.checkId));
      expect(bad.map((f) => `${f.checkId} ${f.resource?.name ?? ''}`), folder).toEqual([]);
    }
  });
});
