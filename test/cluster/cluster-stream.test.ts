/**
 * A cluster read hands its objects over while the lists go on (`onObjects`): against a real kube-apiserver, the
 * batches put together must be exactly the result (the same objects, in the same order) — with small pages, many
 * lists at once, a namespace filter, owned objects whose owners come in later lists, and owned objects kept. And
 * `kspect scan --cluster`, which judges those batches as they come, gives the Report that judging every object at the
 * end gives.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { judge } from '../../src/api/run.js';
import { allChecks } from '../../src/checks/index.js';
import { run as scanCommand } from '../../src/cli/commands/scan.js';
import { nodeIo } from '../../src/cli/io.js';
import { normalizeK8sVersion } from '../../src/core/k8s-version.js';
import { writeJson } from '../../src/reporters/json.js';
import { connect, discover, get, loadCluster, type ClusterOptions } from '../../src/sources/cluster.js';
import { withoutManagedFields } from '../../src/sources/list-json.js';
import type { K8sObject } from '../../src/model/object.js';

// Counts the batches the CLI's streaming run is given (the real runner does the judging).
const streamed = vi.hoisted(() => ({ runs: 0, batches: 0, objects: 0 }));
vi.mock('../../src/api/run.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/api/run.js')>();
  return {
    ...real,
    judgeStreaming: (...args: Parameters<typeof real.judgeStreaming>) => {
      const inner = real.judgeStreaming(...args);
      streamed.runs++;
      return {
        add(objects: readonly K8sObject[]) {
          streamed.batches++;
          streamed.objects += objects.length;
          inner.add(objects);
        },
        finish: inner.finish.bind(inner),
      };
    },
  };
});
import { createNamespace, mustKube } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();

const pod = (name: string, owner?: { kind: string; name: string; uid: string; apiVersion: string }): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

describe.skipIf(skip !== undefined)('a cluster read handing its objects over as the pages come', () => {
  let tb: Testbed;

  beforeAll(async () => {
    tb = await startTestbed();
    for (const ns of ['stream-a', 'stream-b', 'stream-c']) {
      await createNamespace(tb, ns);
      const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
      const rs = (await mustKube(tb, 'POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'owner' }, spec: { selector: { matchLabels: { app: 'x' } }, template } })) as { metadata: { uid: string } };
      // Pods (core, listed before apps) owned by a ReplicaSet of the scan, by one that is not in it, and by nothing.
      for (let i = 0; i < 9; i++) await mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/pods`, pod(`owned-${i}`, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'owner', uid: rs.metadata.uid }));
      await mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/pods`, pod('orphan', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: '00000000-0000-0000-0000-000000000000' }));
      for (let i = 0; i < 7; i++) await mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/pods`, pod(`free-${i}`));
      for (let i = 0; i < 11; i++) await mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'v' } });
    }
    // Enough Pods for several pages of 500, of several shapes, and what the checks that read other objects judge:
    // Pod Security labels, a NetworkPolicy, a Service, a RoleBinding.
    await mustKube(tb, 'POST', '/apis/networking.k8s.io/v1/namespaces/stream-a/networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    await mustKube(tb, 'POST', '/api/v1/namespaces/stream-c/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/stream-c/rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admins' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] });
    const shapes = [
      { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      { hostNetwork: true, containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] },
      { containers: [{ name: 'c', image: 'registry.example/app@sha256:' + 'a'.repeat(64), securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } }, resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
    ];
    const posts: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 1200; i++) {
      const ns = `stream-${'abc'[i % 3] as string}`;
      posts.push(() => mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `many-${i}`, labels: { app: `a${i % 7}` } }, spec: shapes[i % shapes.length] }));
    }
    for (let i = 0; i < posts.length; i += 24) await Promise.all(posts.slice(i, i + 24).map((p) => p()));
    // Labelled after its Pods are in (the API server would refuse the privileged ones).
    await mustKube(tb, 'PUT', '/api/v1/namespaces/stream-b', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'stream-b', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
  }, 300_000);

  afterAll(async () => {
    await tb.stop();
  });

  const cases: [string, Partial<ClusterOptions>][] = [
    ['pages of 3, six lists at once', { pageSize: 3 }],
    ['pages of 2, one list at a time', { pageSize: 2, concurrency: 1 }],
    ['owned objects kept', { pageSize: 4, includeOwned: true }],
    ['two namespaces', { pageSize: 3, namespaces: ['stream-b', 'stream-a'] }],
    ['one page per list', { pageSize: 500 }],
  ];
  it.each(cases)('the batches put together are the result: %s', async (_name, options) => {
    const batches: (readonly K8sObject[])[] = [];
    let voided = 0;
    const live = await loadCluster({ kubeconfig: tb.kubeconfig, ...options, onObjects: (b) => {
      batches.push(b);
    }, onObjectsVoid: () => {
      voided++;
    } });
    expect(voided).toBe(0);
    const handed = batches.flat();
    expect(handed.length).toBe(live.objects.length);
    // The same objects (identity), in the same order.
    handed.forEach((o, i) => {
      expect(o === live.objects[i], `object ${i}: ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).toBe(true);
    });
    const names = live.objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name);
    if (options.includeOwned === true) expect(names.filter((n) => n.startsWith('owned-')).length).toBeGreaterThan(0);
    else expect(names.some((n) => n.startsWith('owned-'))).toBe(false);
    expect(names).toContain('orphan');
    // Objects were handed over before the end: more than one batch.
    if ((options.pageSize ?? 500) < 10) expect(batches.length).toBeGreaterThan(1);
    if (options.namespaces) expect(live.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(['stream-a', 'stream-b']);
  }, 60_000);

  /** `scan --cluster` in process, and the one-pass runner over the objects the same read gives. */
  async function bothWays(kubeconfig: string): Promise<{ cli: Record<string, unknown>; expected: Record<string, unknown>; batches: number }> {
    let out = '';
    const io = { ...nodeIo(), stdout: (t: string) => (out += t), stderr: () => undefined, stdoutIsTTY: false, stderrIsTTY: false };
    streamed.runs = streamed.batches = streamed.objects = 0;
    const code = await scanCommand(['--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none'], io);
    expect(code).toBe(0);
    const cli = JSON.parse(out) as Record<string, unknown>;
    expect(streamed.runs).toBe(1);
    const live = await loadCluster({ kubeconfig });
    expect(streamed.objects).toBe(live.objects.length);
    const k8sVersion = live.serverVersion !== undefined ? normalizeK8sVersion(live.serverVersion) : undefined;
    // The one-pass runner over every object (not the streaming one).
    const whole = judge({ checks: allChecks, objects: live.objects, notEvaluated: live.notEvaluated, inputs: [`cluster:${live.context}`], settings: { now: new Date(), ...(k8sVersion !== undefined ? { k8sVersion } : {}) }, toolVersion: (cli.tool as { version: string }).version });
    let text = '';
    writeJson(whole, {}, (chunk) => (text += chunk));
    const expected = JSON.parse(text) as Record<string, unknown>;
    delete cli.generatedAt;
    delete expected.generatedAt;
    return { cli, expected, batches: streamed.batches };
  }

  it('scan --cluster judges the pages as they come, and its Report is the one judging every object at the end gives', async () => {
    const { cli, expected, batches } = await bothWays(tb.kubeconfig);
    expect(batches).toBeGreaterThan(2);
    expect((cli.summary as { findings: number }).findings).toBeGreaterThan(1000);
    expect(cli).toEqual(expected);
  }, 120_000);

  it('the same with lists the user may not read (not evaluated, listed first)', async () => {
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'stream-reader' }, rules: [{ apiGroups: ['', 'apps', 'rbac.authorization.k8s.io'], resources: ['pods', 'namespaces', 'configmaps', 'serviceaccounts', 'replicasets', 'deployments', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], verbs: ['get', 'list'] }] });
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'stream-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'stream-reader' }, subjects: [{ kind: 'User', name: 'stream-reader', apiGroup: 'rbac.authorization.k8s.io' }] });
    const { cli, expected, batches } = await bothWays(tb.kubeconfigFor('stream-reader'));
    expect(batches).toBeGreaterThan(2);
    const notEvaluated = cli.notEvaluated as { reason: string }[];
    expect(notEvaluated.filter((n) => n.reason === 'forbidden').length).toBeGreaterThan(5);
    expect(cli).toEqual(expected);
  }, 120_000);
  it('aggregated discovery (two requests) finds what legacy discovery finds, a stale aggregated API included', async () => {
    // An APIService whose service does not exist: legacy discovery gets 503 for its group version, aggregated
    // discovery lists it as Stale. Either way it is a failure, not a group with no resources.
    const apiService = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.stale.kspect.example' }, spec: { group: 'stale.kspect.example', version: 'v1', groupPriorityMinimum: 100, versionPriority: 10, insecureSkipTLSVerify: true, service: { name: 'nowhere', namespace: 'default', port: 443 } } };
    await mustKube(tb, 'POST', '/apis/apiregistration.k8s.io/v1/apiservices', apiService);
    try {
      const conn = await connect({ kubeconfig: tb.kubeconfig });
      // The aggregator notices the APIService within a moment.
      let aggregated = await discover(conn);
      for (let i = 0; i < 50 && !aggregated.failures.some((f) => f.groupVersion === 'stale.kspect.example/v1'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        aggregated = await discover(conn);
      }
      const legacy = await discover(conn, 3, { legacy: true });
      expect(aggregated.aggregated).toBe(true);
      expect(legacy.aggregated).toBe(false);
      expect(aggregated.resources.length).toBeGreaterThan(40);
      expect(aggregated.resources).toEqual(legacy.resources);
      expect(aggregated.failures.map((f) => f.groupVersion)).toEqual(['stale.kspect.example/v1']);
      expect(legacy.failures.map((f) => f.groupVersion)).toEqual(['stale.kspect.example/v1']);
      // And a scan reports the group it could not read, the same way.
      const live = await loadCluster({ kubeconfig: tb.kubeconfig, kinds: new Set(['Namespace']) });
      expect(live.notEvaluated.map((n) => n.message)).toEqual([expect.stringMatching(/^API group stale\.kspect\.example\/v1 could not be discovered: /)]);
    } finally {
      await mustKube(tb, 'DELETE', '/apis/apiregistration.k8s.io/v1/apiservices/v1.stale.kspect.example');
    }
  }, 60_000);

  it("a page cut of its items' managedFields before parsing gives the objects deleting them after parsing gives", async () => {
    const conn = await connect({ kubeconfig: tb.kubeconfig });
    let cut = 0;
    for (const path of ['/api/v1/pods?limit=300', '/api/v1/namespaces', '/api/v1/configmaps', '/apis/apps/v1/replicasets', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/apiregistration.k8s.io/v1/apiservices', '/apis/networking.k8s.io/v1/networkpolicies']) {
      const page = await get(conn, path);
      expect(page.status).toBe(200);
      const before = JSON.parse(page.body.toString('utf8')) as { items: { metadata: Record<string, unknown> }[] };
      expect(before.items.length).toBeGreaterThan(0);
      for (const item of before.items) if (Reflect.deleteProperty(item.metadata, 'managedFields')) cut++;
      const after = withoutManagedFields(page.body);
      expect(after).toBeDefined();
      expect(after?.length).toBeLessThan(page.body.length);
      // Byte for byte what serializing the objects gives: the same members, in the same order.
      expect(JSON.stringify(JSON.parse((after as Buffer).toString('utf8')))).toBe(JSON.stringify(before));
    }
    expect(cut).toBeGreaterThan(400);
  }, 60_000);
});
