import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../model/inventory.js';
import { toK8sObject, type K8sObject } from '../../model/object.js';
import { kubeletConfigOf, nodeEngine } from './engine.js';
import { parseFlags } from './flags.js';
import { nodeObjects, nodeSnapshotOf, parseMode, walkOrder } from './objects.js';
import type { ComponentInstance, NodeSnapshot } from './snapshot.js';

function pod(name: string, command: string[]): K8sObject {
  const o = toK8sObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system' }, spec: { containers: [{ name, image: 'registry.k8s.io/kube-apiserver:v1.33.2', command }] } }, { source: { type: 'node', uri: `/n/etc/kubernetes/manifests/${name}.yaml` }, locate: () => undefined });
  if (!o) throw new Error('no pod');
  return o;
}

function kubelet(argv: string[]): ComponentInstance {
  return { component: 'kubelet', origin: { type: 'systemd', units: ['/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'] }, argv, flags: parseFlags(argv), env: {} };
}

function snapshot(over: Partial<NodeSnapshot>): NodeSnapshot {
  return { root: '/n', components: new Map(), files: new Map(), parsed: new Map(), manifests: [], kubeletUnits: [], pki: [], processesRead: true, problems: [], ...over };
}

const SETTINGS = { pss: { level: 'restricted' as const, version: 'latest' }, now: new Date(0) };

describe('node inventory objects', () => {
  it('round-trip: what the source writes, the engine reads back', () => {
    const api = pod('kube-apiserver', ['kube-apiserver', '--profiling=false']);
    const k = kubelet(['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubelet.d']);
    const s = snapshot({
      components: new Map([['kubelet', k]]),
      files: new Map([
        ['/etc/kubernetes/admin.conf', { path: '/etc/kubernetes/admin.conf', exists: true, type: 'file', mode: 0o640, uid: 0, gid: 0, user: 'root', group: 'root' }],
        ['/etc/kubernetes/pki', { path: '/etc/kubernetes/pki', exists: true, type: 'directory', mode: 0o755, uid: 0, gid: 0 }],
        ['/gone', { path: '/gone', exists: false, error: 'permission denied' }],
      ]),
      parsed: new Map([
        ['/var/lib/kubelet/config.yaml', { path: '/var/lib/kubelet/config.yaml', role: 'kubelet-config', value: { readOnlyPort: 10255 } }],
        ['/etc/kubelet.d/10.conf', { path: '/etc/kubelet.d/10.conf', role: 'kubelet-drop-in', value: { readOnlyPort: 0 } }],
      ]),
      manifests: ['/etc/kubernetes/manifests/kube-apiserver.yaml'],
      kubeletDropIns: { dir: '/etc/kubelet.d', files: ['/etc/kubelet.d/10.conf'] },
      walkErrors: { '/etc/cni/net.d': 'cannot list /etc/cni/net.d: permission denied' },
      accountsError: '/etc/group is a folder',
    });
    const objects = nodeObjects(s, [api]);
    expect(objects.map((o) => o.kind).sort()).toEqual(['NodeAudit', 'NodeComponent', 'NodeConfig', 'NodeConfig', 'NodeFile', 'NodeFile', 'NodeFile', 'Pod']);
    const back = nodeSnapshotOf(buildInventory(objects));
    expect(back?.components.get('apiserver')?.origin).toMatchObject({ type: 'manifest', file: '/etc/kubernetes/manifests/kube-apiserver.yaml' });
    expect(back?.components.get('apiserver')?.flags.get('profiling')).toBe('false');
    expect(back?.components.get('kubelet')?.argv).toEqual(k.argv);
    expect(back?.files.get('/etc/kubernetes/admin.conf')).toMatchObject({ exists: true, type: 'file', mode: 0o640, user: 'root' });
    expect(back?.files.get('/gone')).toMatchObject({ exists: false, error: 'permission denied' });
    expect(back?.kubeletConfigPath).toBe('/var/lib/kubelet/config.yaml');
    expect(back?.kubeletDropIns).toEqual({ dir: '/etc/kubelet.d', files: ['/etc/kubelet.d/10.conf'] });
    expect(back?.walkErrors?.['/etc/cni/net.d']).toContain('permission denied');
    expect(back?.accountsError).toBe('/etc/group is a folder');
    expect(back?.pki).toEqual(['/etc/kubernetes/pki']);
    expect(back?.k8sVersion).toBe('1.33'); // from the kube-apiserver image tag
    expect(nodeSnapshotOf(buildInventory(objects), '1.36')?.k8sVersion).toBe('1.36'); // --k8s-version wins
    // The drop-in wins over the config file, and the engine says which file set the field.
    const cfg = back ? kubeletConfigOf(back) : undefined;
    expect((cfg?.document as { readOnlyPort?: number } | undefined)?.readOnlyPort).toBe(0);
    expect(cfg?.fileOf('readOnlyPort')).toBe('/etc/kubelet.d/10.conf');
    expect(cfg?.defaults).toBe('config');
  });

  it('a manifest scan (no NodeAudit) gives the components of every static Pod, each on its own', () => {
    const a = pod('kube-apiserver', ['kube-apiserver']);
    const b = pod('kube-apiserver-2', ['/usr/local/bin/kube-apiserver', '--profiling']);
    const model = nodeEngine.build(buildInventory([a, b]), SETTINGS);
    expect(model.snapshot).toBeUndefined();
    expect(model.pods.map((p) => [p.component, p.object?.metadata.name])).toEqual([
      ['apiserver', 'kube-apiserver'],
      ['apiserver', 'kube-apiserver-2'],
    ]);
  });

  it('a drop-in that could not be read makes the kubelet config unknown, not partial', () => {
    const s = snapshot({
      components: new Map([['kubelet', kubelet(['/usr/bin/kubelet', '--config-dir=/etc/kubelet.d'])]]),
      parsed: new Map([['/etc/kubelet.d/10.conf', { path: '/etc/kubelet.d/10.conf', error: 'is a FIFO (named pipe), not a regular file' }]]),
      kubeletDropIns: { dir: '/etc/kubelet.d', files: ['/etc/kubelet.d/10.conf'] },
    });
    expect(kubeletConfigOf(s)).toMatchObject({ defaults: 'flag', error: 'kubelet config drop-in /etc/kubelet.d/10.conf: is a FIFO (named pipe), not a regular file' });
    const walked = snapshot({ components: s.components, kubeletDropIns: { dir: '/etc/kubelet.d', files: [], error: 'cannot list /etc/kubelet.d/x: permission denied' } });
    expect(kubeletConfigOf(walked)?.error).toContain('permission denied');
  });

  it('an object that says a file exists but not what it is cannot pass a control', () => {
    const f = toK8sObject({ apiVersion: 'kspect.dev/v1alpha1', kind: 'NodeFile', metadata: { name: '/etc/kubernetes/admin.conf' }, spec: { exists: true, mode: 'rw-------' } }, undefined);
    const audit = toK8sObject({ apiVersion: 'kspect.dev/v1alpha1', kind: 'NodeAudit', metadata: { name: 'node' }, spec: {} }, undefined);
    if (!f || !audit) throw new Error('objects');
    expect(nodeSnapshotOf(buildInventory([audit, f]))?.files.get('/etc/kubernetes/admin.conf')).toMatchObject({ exists: false, error: expect.stringContaining('no valid type and mode') as string });
  });

  it.each([
    [0o600, 0o600],
    ['0600', 0o600],
    ['644', 0o644],
    ['4755', 0o4755],
    ['0800', undefined],
    [-1, undefined],
    ['rw', undefined],
  ] as const)('mode %j is %j', (v, m) => {
    expect(parseMode(v)).toBe(m);
  });

  it("sorts drop-ins in Go's filepath.WalkDir order", () => {
    expect(['/d/a.conf', '/d/a/b.conf', '/d/10.conf', '/d/9.conf', '/d/a/a.conf'].sort(walkOrder)).toEqual(['/d/10.conf', '/d/9.conf', '/d/a/a.conf', '/d/a/b.conf', '/d/a.conf']);
  });
});
