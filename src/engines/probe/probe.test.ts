/** The probe engine, table-driven on tiny inputs: reading answers, identifying services, objects, etcd and cluster targets. */
import { describe, expect, it } from 'vitest';
import { toK8sObject } from '../../model/object.js';
import { readAnswer, refusedUser, safeText, type Answer } from './answers.js';
import { accessTo, anonymousUsers } from './access.js';
import { followUps, FINGERPRINT } from './catalog.js';
import { clusterTargets } from './cluster.js';
import { etcdEndpointsOf } from './etcd.js';
import { identify } from './identify.js';
import { endpointProbeOf, probedEndpointObject, readProbedEndpoint, type ProbedEndpointView } from './objects.js';
import { probeSummary } from './summary.js';

const raw = (path: string, status: number, body: string, headers: Record<string, string> = {}, truncated = false) => ({ path, status, body, headers, truncated });

describe('readAnswer', () => {
  const cases: [string, ReturnType<typeof raw>, string, string?][] = [
    ['Docker /_ping', raw('/_ping', 200, 'OK', { 'api-version': '1.41', server: 'Libpod/4.3.1 (linux)' }), 'docker-ping', 'API 1.41, Libpod/4.3.1 (linux)'],
    ['plain OK without Docker headers is text', raw('/_ping', 200, 'OK'), 'text', 'OK'],
    ['Docker /version', raw('/version', 200, '{"Version":"28.2.2","ApiVersion":"1.50","Components":[{"Name":"Engine"}]}'), 'docker-version', 'Engine 28.2.2 (API 1.50)'],
    ['kube /version', raw('/version', 200, '{"major":"1","minor":"35","gitVersion":"v1.35.4","platform":"linux/amd64"}'), 'k8s-version', 'v1.35.4'],
    ['etcd /version', raw('/version', 200, '{"etcdserver":"3.6.5","etcdcluster":"3.6.0"}'), 'etcd-version', 'etcd 3.6.5'],
    ['Status 401', raw('/version', 401, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}'), 'k8s-status', 'Unauthorized: Unauthorized'],
    ['kubelet 403', raw('/pods', 403, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])\n'), 'kubelet-forbidden', 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])'],
    ['kubelet 401', raw('/pods', 401, 'Unauthorized'), 'unauthorized-text'],
    ['healthz', raw('/healthz', 200, 'ok'), 'healthz-ok'],
    ['PodList', raw('/pods', 200, '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{},{}]}'), 'k8s-list', 'PodList with 2 items'],
    ['long PodList cut at the cap', raw('/pods', 200, '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"a', {}, true), 'k8s-list', 'PodList (longer than kspect reads)'],
    ['metadata-only list', raw('/api/v1/secrets?limit=1', 200, '{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","items":[{"metadata":{"name":"s"}}]}'), 'k8s-list', 'PartialObjectMetadataList with 1 item'],
    ['metrics', raw('/metrics', 200, '# HELP etcd_server_has_leader x\n# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n# HELP go_goroutines y\n'), 'metrics', 'metric families: etcd, go'],
    ['Dashboard page', raw('/', 200, '<!doctype html><html><head><title>Kubernetes Dashboard</title></head></html>', { 'content-type': 'text/html' }), 'dashboard-html'],
    ['Dashboard skippable', raw('/api/v1/login/skippable', 200, '{"skippable":true}'), 'dashboard-skippable', 'skippable: true'],
    ['Dashboard namespaces', raw('/api/v1/namespace', 200, '{"listMeta":{"totalItems":2},"namespaces":[{},{}],"errors":[]}'), 'dashboard-namespaces', '2 namespaces'],
    ['kube-proxy healthz', raw('/healthz', 200, '{"lastUpdated":"2026-01-01 00:00:00","currentTime":"2026-01-01 00:00:01","nodeEligible":true}'), 'kube-proxy-healthz'],
    ['configz', raw('/configz', 200, '{"kubeletconfig":{"authentication":{}}}'), 'configz', 'sections: kubeletconfig'],
    ['binary', raw('/', 200, '\u0000\u0001\u0002garbage'), 'binary'],
    ['empty', raw('/', 204, ''), 'empty'],
  ];
  for (const [name, r, shape, detail] of cases) {
    it(name, () => {
      const a = readAnswer(r);
      expect(a.shape).toBe(shape);
      if (detail !== undefined) expect(a.detail).toBe(detail);
    });
  }
  it('keeps details printable and short', () => {
    expect(safeText('a\u001b[31mb\nc')).toBe('a [31mb c');
    expect(safeText('x'.repeat(500)).length).toBeLessThanOrEqual(161);
    const a = readAnswer(raw('/x', 200, `evil\u001b[2Jtext ${'y '.repeat(150)}`));
    expect(a.shape).toBe('text');
    expect(a.detail).toMatch(/^evil \[2Jtext (y )+y?…$/);
  });
  it('never copies a token-like text body into the report', () => {
    expect(readAnswer(raw('/x', 200, 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJ4In0.sig\n'))).toEqual({ shape: 'text' });
    expect(readAnswer(raw('/x', 200, 'password=hunter2hunter2hunter2hunter2'))).toEqual({ shape: 'text' });
    expect(readAnswer(raw('/x', 404, '404 page not found\n'))).toEqual({ shape: 'text', detail: '404 page not found' });
  });
  it('names the refused user', () => {
    expect(refusedUser({ method: 'GET', path: '/pods', status: 403, shape: 'kubelet-forbidden', detail: 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])' })).toBe('system:anonymous');
    expect(refusedUser({ method: 'GET', path: '/x', status: 403, shape: 'k8s-status', detail: 'Forbidden: forbidden: User "system:anonymous" cannot get path "/x"' })).toBe('system:anonymous');
  });
});

const ans = (path: string, status: number | undefined, shape?: Answer['shape'], detail?: string): Answer => ({ method: 'GET', path, ...(status !== undefined ? { status } : {}), ...(shape ? { shape } : {}), ...(detail !== undefined ? { detail } : {}) });

describe('identify', () => {
  const cases: [string, number, 'tls' | 'plain', Answer[], string | undefined, boolean?][] = [
    ['docker', 2375, 'plain', [ans('/_ping', 200, 'docker-ping')], 'docker'],
    ['etcd client', 2379, 'tls', [ans('/version', 200, 'etcd-version', 'etcd 3.6.5')], 'etcd-client'],
    ['etcd metrics listener', 2381, 'plain', [ans('/version', 404, 'text'), ans('/metrics', 200, 'metrics', 'metric families: etcd, go')], 'etcd-metrics'],
    ['kubelet 401 text', 10250, 'tls', [ans('/healthz', 401, 'unauthorized-text')], 'kubelet'],
    ['kubelet 403', 12345, 'tls', [ans('/healthz', 403, 'kubelet-forbidden', 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[healthz proxy])')], 'kubelet'],
    ['a plain-HTTP 401 is not the read-only port', 10255, 'plain', [ans('/healthz', 401, 'unauthorized-text'), ans('/pods', 401, 'unauthorized-text')], undefined],
    ['kubelet read-only', 10255, 'plain', [ans('/healthz', 200, 'healthz-ok'), ans('/pods', 200, 'k8s-list', 'PodList with 0 items')], 'kubelet-readonly'],
    ['API server', 6443, 'tls', [ans('/version', 200, 'k8s-version', 'v1.35.4')], 'kube-apiserver'],
    ['API server, anonymous off', 443, 'tls', [ans('/version', 401, 'k8s-status'), ans('/healthz', 401, 'k8s-status')], 'kube-apiserver'],
    ['kubectl proxy', 8001, 'plain', [ans('/version', 200, 'k8s-version', 'v1.35.4')], 'apiserver-http'],
    ['scheduler by port', 10259, 'tls', [ans('/version', 403, 'k8s-status'), ans('/healthz', 200, 'healthz-ok')], 'scheduler'],
    ['controller-manager by port', 10257, 'tls', [ans('/version', 401, 'k8s-status'), ans('/healthz', 200, 'healthz-ok')], 'controller-manager'],
    ['component on another port', 20000, 'tls', [ans('/version', 403, 'k8s-status'), ans('/healthz', 200, 'healthz-ok')], 'kube-component'],
    ['kube-proxy healthz', 10256, 'plain', [ans('/healthz', 200, 'kube-proxy-healthz')], 'kube-proxy'],
    // As the real v1.35 controller-manager, scheduler and kube-proxy answer (test/probe-control-plane.test.ts).
    ...(([['controller-manager', 10257], ['scheduler', 10259], ['kube-component', 20000]] as const).map(([service, port]): [string, number, 'tls', Answer[], string] => [
      `real ${service} (/version allowed by default RBAC, not found; the rest refused) on ${port}`,
      port,
      'tls',
      [ans('/version', 404, 'text', '404 page not found'), ans('/_ping', 403, 'k8s-status', 'Forbidden: forbidden: User "system:anonymous" cannot get path "/_ping"'), ans('/healthz', 200, 'healthz-ok'), ans('/metrics', 403, 'k8s-status', 'Forbidden: forbidden: User "system:anonymous" cannot get path "/metrics"')],
      service,
    ])),
    ['real scheduler with /metrics open, on another port', 20000, 'tls', [ans('/version', 404, 'text', '404 page not found'), ans('/_ping', 403, 'k8s-status'), ans('/healthz', 200, 'healthz-ok'), ans('/metrics', 200, 'metrics', 'metric families: go, scheduler')], 'scheduler'],
    ['real kube-proxy metrics on another port', 20000, 'plain', [ans('/version', 404, 'text', '404 page not found'), ans('/healthz', 200, 'healthz-ok'), ans('/metrics', 200, 'metrics', 'metric families: apiserver, go, kubeproxy')], 'kube-proxy'],
    ['a server that 404s /version and refuses the rest, /healthz too, is not taken for a component', 20000, 'tls', [ans('/version', 404, 'text'), ans('/_ping', 403, 'k8s-status'), ans('/healthz', 403, 'k8s-status')], undefined],
    ['dashboard', 9090, 'plain', [ans('/', 200, 'dashboard-html')], 'dashboard'],
    ['unknown web server', 8080, 'plain', [ans('/', 200, 'html'), ans('/version', 404, 'text')], undefined],
    ['client certificate required on etcd port', 2379, 'tls', [ans('/version', undefined)], 'etcd-client', true],
    ['client certificate required on an unknown port', 7777, 'tls', [ans('/version', undefined)], undefined, true],
  ];
  for (const [name, port, transport, answers, service, cert] of cases) {
    it(name, () => {
      const id = identify(port, transport, answers, cert ?? false);
      expect(id.service).toBe(service);
      if (service !== undefined) expect(id.because).toBeTruthy();
    });
  }
  it('plans only GETs of fixed paths', () => {
    const all = [...FINGERPRINT, ...(['docker', 'kubelet', 'kubelet-readonly', 'kube-apiserver', 'apiserver-http', 'etcd-client', 'etcd-metrics', 'controller-manager', 'scheduler', 'kube-component', 'kube-proxy', 'dashboard', undefined] as const).flatMap((s) => followUps(s))];
    for (const r of all) {
      expect(r.method).toBe('GET');
      expect(r.path).toMatch(/^\//);
      expect(r.path).not.toMatch(/exec|attach|run|portforward|proxy\//i);
    }
  });
});

const view = (over: Partial<ProbedEndpointView>): ProbedEndpointView => ({ endpoint: '10.0.0.1:2379', host: '10.0.0.1', port: 2379, target: '10.0.0.1', state: 'open', answers: [], ...over });

describe('objects', () => {
  it('round-trip through the inventory object', () => {
    const v = view({
      transport: 'tls',
      clientCertRequired: false,
      service: 'etcd-client',
      identifiedBy: 'x',
      stateDetail: 'y',
      answers: [ans('/version', 200, 'etcd-version', 'etcd 3.6.5'), { method: 'GET', path: '/metrics', error: 'timeout' }],
      tls: { protocols: { TLSv1: { accepted: false, detail: 'no' }, 'TLSv1.1': { accepted: false }, 'TLSv1.2': { accepted: true }, 'TLSv1.3': { accepted: true } }, ciphers: [{ version: 'TLSv1.3', name: 'TLS_AES_128_GCM_SHA256' }], clientCertRequested: false, chain: ['MAo='] },
    });
    const back = readProbedEndpoint(probedEndpointObject(v));
    expect(back).toEqual(v);
    const probe = back ? endpointProbeOf(back) : undefined;
    expect(probe?.chain[0]).toEqual(new Uint8Array([0x30, 0x0a]));
  });
  it('refuses objects that are not probed endpoints', () => {
    const o = toK8sObject({ apiVersion: 'kspect.dev/v1alpha1', kind: 'ProbedEndpoint', metadata: { name: 'x' }, spec: { endpoint: 'x', host: 'x', port: 1, state: 'bogus' } }, undefined);
    expect(o && readProbedEndpoint(o)).toBeUndefined();
  });
  it('reads access to a path', () => {
    const v = view({ service: 'kubelet', answers: [ans('/pods', 200, 'html'), ans('/configz', 403, 'kubelet-forbidden', 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[configz proxy])'), ans('/metrics', 401, 'unauthorized-text')] });
    expect(accessTo(v, '/pods', ['k8s-list']).verdict).toBe('unknown');
    expect(accessTo(v, '/configz', ['configz'])).toMatchObject({ verdict: 'forbidden', user: 'system:anonymous' });
    expect(accessTo(v, '/metrics', ['metrics']).verdict).toBe('unauthenticated');
    expect(accessTo(v, '/healthz', ['healthz-ok']).verdict).toBe('unknown');
    expect(anonymousUsers(v)).toEqual(['system:anonymous']);
  });
  it('summarises endpoints sorted, with counts', () => {
    const s = probeSummary([view({ port: 10250, endpoint: '10.0.0.1:10250', state: 'closed' }), view({ service: 'etcd-client', answers: [ans('/version', 200, 'etcd-version', 'etcd 3.6.5')] })]);
    expect(s.counts).toEqual({ open: 1, closed: 1, filtered: 0, unreachable: 0 });
    expect(s.endpoints.map((e) => e.endpoint)).toEqual(['10.0.0.1:2379', '10.0.0.1:10250']);
    expect(s.endpoints[0]?.answers).toEqual(['GET /version → 200 (etcd 3.6.5)']);
  });
});

describe('etcd endpoints from probed ports', () => {
  it('an open TLS client listener and a plaintext metrics listener', () => {
    const out = etcdEndpointsOf([
      view({ transport: 'tls', clientCertRequired: false, service: 'etcd-client', answers: [ans('/version', 200, 'etcd-version', 'etcd 3.6.5'), ans('/metrics', 200, 'metrics', 'metric families: etcd')] }),
      view({ endpoint: '10.0.0.1:2381', port: 2381, transport: 'plain', service: 'etcd-metrics', answers: [ans('/metrics', 200, 'metrics', 'metric families: etcd')] }),
    ]);
    expect(out).toEqual([
      {
        endpoint: 'https://10.0.0.1:2379',
        plaintextListener: false,
        unauthenticatedAccess: 'yes',
        unauthenticatedDetail: 'TLS without a client certificate was accepted and GET /version answered',
        metrics: [
          { url: 'https://10.0.0.1:2379/metrics', open: 'yes', detail: 'GET /metrics without a client certificate returned etcd metrics' },
          { url: 'http://10.0.0.1:2381/metrics', open: 'yes', detail: 'GET /metrics without a client certificate returned etcd metrics' },
        ],
        version: '3.6.5',
      },
    ]);
  });
  it('client certificates enforced', () => {
    const [e] = etcdEndpointsOf([view({ transport: 'tls', clientCertRequired: true, service: 'etcd-client', answers: [{ method: 'GET', path: '/version', error: 'alert certificate required' }] })]);
    expect(e).toMatchObject({ unauthenticatedAccess: 'no', plaintextListener: false, metrics: [{ open: 'no' }] });
  });
  it('plaintext client listener', () => {
    const [e] = etcdEndpointsOf([view({ transport: 'plain', service: 'etcd-client', answers: [ans('/version', 200, 'etcd-version', 'etcd 3.6.5')] })]);
    expect(e).toMatchObject({ endpoint: 'http://10.0.0.1:2379', plaintextListener: true, unauthenticatedAccess: 'yes' });
  });
});

describe('cluster targets', () => {
  it('node addresses and the kubernetes Service endpoints', () => {
    const node = toK8sObject({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }] } }, undefined);
    const slice = toK8sObject({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, ports: [{ name: 'https', port: 6443 }], endpoints: [{ addresses: ['10.0.0.1'] }] }, undefined);
    const other = toK8sObject({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, ports: [{ port: 80 }], endpoints: [{ addresses: ['10.1.0.9'] }] }, undefined);
    expect(clusterTargets([node, slice, other].filter((o) => o !== undefined))).toEqual([
      { host: '10.0.0.2', label: 'node n1 InternalIP' },
      { host: '10.0.0.1', label: 'service default/kubernetes' },
      { host: '10.0.0.1', port: 6443, label: 'service default/kubernetes' },
    ]);
  });
});
