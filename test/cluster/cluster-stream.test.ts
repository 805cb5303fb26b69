/**
 * A cluster read hands its objects over while the lists go on (`onObjects`): against a real kube-apiserver, the
 * batches put together must be exactly the result (the same objects, in the same order) — with small pages, many
 * lists at once, a namespace filter, owned objects whose owners come in later lists, and owned objects kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCluster, type ClusterOptions } from '../../src/sources/cluster.js';
import type { K8sObject } from '../../src/model/object.js';
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
  }, 120_000);

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
});
