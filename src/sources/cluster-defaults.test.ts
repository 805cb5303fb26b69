import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, undefault } from './cluster-defaults.js';

describe('defaultPullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry:5000/team/app', 'Always'],
    ['registry:5000/team/app:v1', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('undefault', () => {
  it('removes what the API server filled in and keeps what differs', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'd', uid: 'u', resourceVersion: '1', creationTimestamp: 't' },
      spec: {
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        serviceAccountName: 'default',
        serviceAccount: 'default',
        terminationGracePeriodSeconds: 30,
        enableServiceLinks: true,
        priority: 0,
        preemptionPolicy: 'PreemptLowerPriority',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        ],
        volumes: [
          { name: 'kube-api-access-x7k2p', projected: { defaultMode: 420, sources: [] } },
          { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
          { name: 'host', hostPath: { path: '/', type: '' } },
        ],
        containers: [
          {
            name: 'c',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            resources: {},
            ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }],
            volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'cfg', mountPath: '/etc/c' }],
            livenessProbe: { httpGet: { path: '/', port: 80, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          },
          { name: 'd', image: 'busybox', imagePullPolicy: 'IfNotPresent' },
        ],
      },
      status: { phase: 'Pending' },
    };
    expect(undefault(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'd', uid: 'u' },
      spec: {
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
        volumes: [
          { name: 'cfg', configMap: { name: 'c' } },
          { name: 'host', hostPath: { path: '/' } },
        ],
        containers: [
          {
            name: 'c',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/c' }],
            livenessProbe: { httpGet: { path: '/', port: 80 } },
          },
          // busybox without a tag defaults to Always: an explicit IfNotPresent is kept.
          { name: 'd', image: 'busybox', imagePullPolicy: 'IfNotPresent' },
        ],
      },
    });
  });

  it('keeps serviceAccountName on controllers, where only the user can have set it', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { serviceAccountName: 'default', serviceAccount: 'default', containers: [] } } } };
    expect(undefault(d).spec.template.spec).toEqual({ serviceAccountName: 'default', containers: [] });
  });

  it('drops policyTypes only when they equal the default', () => {
    const np = (spec: object) => undefault({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec });
    expect(np({ podSelector: {}, policyTypes: ['Ingress'] }).spec).toEqual({ podSelector: {} });
    expect(np({ podSelector: {}, egress: [{}], policyTypes: ['Ingress', 'Egress'] }).spec).toEqual({ podSelector: {}, egress: [{}] });
    expect(np({ podSelector: {}, policyTypes: ['Egress'] }).spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  it('drops the automatic namespace name label', () => {
    expect(undefault({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'a', team: 'x' } } }).metadata).toEqual({ name: 'a', labels: { team: 'x' } });
  });

  it('modifies nothing it is given: what loses keys is a new object (keys in their order), the rest is shared', () => {
    const container = { name: 'c', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', args: ['a'] };
    const env = [{ name: 'A', value: '1' }];
    const kept = { name: 'k', image: 'x:1', env };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', resourceVersion: '9', labels: { a: 'b' } }, spec: { containers: [container, kept], dnsPolicy: 'ClusterFirst', nodeName: 'n' }, status: { phase: 'Running' } };
    const before = JSON.stringify(pod);
    const out = undefault(pod);
    expect(JSON.stringify(pod)).toBe(before);
    expect(JSON.stringify(out)).toBe('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27","args":["a"]},{"name":"k","image":"x:1","env":[{"name":"A","value":"1"}]}],"nodeName":"n"}}');
    expect(out.spec.containers[1]).toBe(kept);
    expect(out.metadata.labels).toBe(pod.metadata.labels);
    const clean = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    expect(undefault(clean)).toBe(clean);
  });

  it('keeps a key named __proto__ a key', () => {
    const item = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"1","__proto__":{"x":1}},"status":{}}') as Record<string, unknown>;
    const meta = undefault(item).metadata as Record<string, unknown>;
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.keys(meta)).toEqual(['name', '__proto__']);
  });
});
