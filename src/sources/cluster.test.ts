import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../model/object.js';
import { continueFromPrefix, discover, dropOwned, listResource, schedule, selectResources, type ApiResource, type Connection } from './cluster.js';

const res = (group: string, resource: string, kind: string, verbs = ['get', 'list']): ApiResource => ({ group, version: 'v1', resource, kind, namespaced: true, verbs });

describe('selectResources', () => {
  it('lists every listable kind once, core first, and skips bookkeeping kinds', () => {
    const all = [res('', 'events', 'Event'), res('events.k8s.io', 'events', 'Event'), res('', 'pods', 'Pod'), res('metrics.k8s.io', 'pods', 'PodMetrics'), res('', 'bindings', 'Binding', ['create']), res('apps', 'deployments', 'Deployment')];
    expect(selectResources(all, undefined).map((r) => `${r.group}/${r.resource}`)).toEqual(['/pods', 'apps/deployments', 'metrics.k8s.io/pods']);
    expect(selectResources(all, new Set(['Event'])).map((r) => `${r.group}/${r.resource}`)).toEqual(['/events']);
  });
});

describe('schedule', () => {
  it('starts the usually long lists first and keeps the order of the rest (and of one kind in several namespaces)', () => {
    const job = (kind: string, ns?: string): { r: { kind: string }; ns: string | undefined } => ({ r: { kind }, ns });
    const jobs = [job('ConfigMap', 'a'), job('LimitRange'), job('Namespace'), job('Pod', 'a'), job('Pod', 'b'), job('ConfigMap', 'b'), job('PersistentVolume'), job('Deployment'), job('ClusterRole')];
    expect(schedule(jobs).map((j) => `${j.r.kind}${j.ns ? `/${j.ns}` : ''}`)).toEqual(['Pod/a', 'Pod/b', 'Deployment', 'ConfigMap/a', 'ConfigMap/b', 'LimitRange', 'Namespace', 'PersistentVolume', 'ClusterRole']);
    expect(jobs[0]?.r.kind).toBe('ConfigMap');
  });
});

describe('dropOwned', () => {
  const obj = (kind: string, name: string, uid: string, owner?: string): K8sObject =>
    toK8sObject({ apiVersion: 'v1', kind, metadata: { name, uid, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: owner, controller: true }] } : {}) } }, undefined) as K8sObject;
  it('drops objects whose controller is in the scan, keeps orphans and non-controller owners', () => {
    const objects = [obj('Deployment', 'd', 'u1'), obj('ReplicaSet', 'rs', 'u2', 'u1'), obj('Pod', 'p', 'u3', 'u2'), obj('Pod', 'orphan', 'u4', 'gone')];
    expect(dropOwned(objects).map((o) => o.metadata.name)).toEqual(['d', 'orphan']);
  });
});

describe('continueFromPrefix', () => {
  const body = (s: string): Buffer => Buffer.from(s);
  it('reads the token from the list head, compact or indented, items or Table rows', () => {
    expect(continueFromPrefix(body('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"abc"},"items":[{"x":1}]}'), 'items')).toBe('abc');
    expect(continueFromPrefix(body('{\n  "kind": "PodList",\n  "metadata": {\n    "continue": "abc"\n  },\n  "items": [\n'), 'items')).toBe('abc');
    expect(continueFromPrefix(body('{"kind":"Table","metadata":{"continue":"t"},"columnDefinitions":[{"name":"Type"}],"rows":[]}'), 'rows')).toBe('t');
  });
  it('gives nothing when the head is not a complete object prefix or has no token', () => {
    expect(continueFromPrefix(body('{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[]}'), 'items')).toBeUndefined();
    expect(continueFromPrefix(body('{"kind":"PodList","metadata":{"continue":""},"items":[]}'), 'items')).toBeUndefined();
    // An escaped "items" in a string is not the key; a nested key named items cuts the head where it is not JSON.
    expect(continueFromPrefix(body('{"kind":"a \\"items\\": b","metadata":{"continue":"x"},"items":[]}'), 'items')).toBe('x');
    expect(continueFromPrefix(body('{"kind":"x","metadata":{"annotations":{"items":"1"},"continue":"x"},"items":[]}'), 'items')).toBeUndefined();
    expect(continueFromPrefix(body('not json "items": ['), 'items')).toBeUndefined();
    expect(continueFromPrefix(body('"items":'), 'items')).toBeUndefined();
    expect(continueFromPrefix(body(`{"kind":"${'x'.repeat(70_000)}","metadata":{"continue":"far"},"items":[]}`), 'items')).toBeUndefined();
  });
});

describe('listResource', () => {
  const pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] } satisfies ApiResource;
  /** A loopback API server answering pod list pages from `pages` (keyed by continue token, '' for the first). */
  async function serve(pages: Record<string, string>): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('continue') ?? '';
      seen.push(token);
      const page = pages[token];
      res.writeHead(page === undefined ? 410 : 200, { 'content-type': 'application/json' });
      res.end(page ?? '{"kind":"Status","message":"expired"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      close: () =>
        new Promise((r) => {
          server.close(() => {
            r();
          });
        }),
    };
  }
  const page = (names: string[], cont: string): string => `{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"${cont}"},"items":[${names.map((n) => `{"metadata":{"name":"${n}","namespace":"d"}}`).join(',')}]}`;
  const connection = (url: string): Connection => ({ server: url, context: 'test', options: {}, timeoutMs: 5000, retries: 0, answered: false });
  const opts = { pageSize: 2, metadataOnly: false, keepDefaults: true, source: { type: 'cluster' as const, uri: 'test' } };

  it('asks for the next page from the head of the current one and keeps the pages in order', async () => {
    const s = await serve({ '': page(['a', 'b'], 'p2'), p2: page(['c', 'd'], 'p3'), p3: page(['e'], '') });
    try {
      const objects = await listResource(connection(s.url), pods, undefined, opts);
      expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(s.seen).toEqual(['', 'p2', 'p3']);
    } finally {
      await s.close();
    }
  });

  it('discards a request made on a head that the whole page contradicts (a later duplicate metadata key)', async () => {
    const first = '{"kind":"PodList","metadata":{"continue":"guess"},"items":[{"metadata":{"name":"a","namespace":"d"}}],"metadata":{"continue":"p2"}}';
    const s = await serve({ '': first, guess: page(['wrong'], ''), p2: page(['b'], '') });
    try {
      const objects = await listResource(connection(s.url), pods, undefined, opts);
      expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect(s.seen).toContain('p2');
    } finally {
      await s.close();
    }
  });

  it('asks for the next page when the head of the current one arrives, before its end, and never has a third page in flight', async () => {
    // Each page's head (its metadata, with the next token) is sent at once; its end only when the next page was asked
    // for (or after 400 ms): a client that waits for whole pages is slower here but still correct.
    const pages: Record<string, string> = { '': page(['a', 'b'], 'p2'), p2: page(['c', 'd'], 'p3'), p3: page(['e', 'f'], 'p4'), p4: page(['g'], '') };
    const asked = new Map<string, () => void>();
    const early: string[] = [];
    let open = 0;
    let most = 0;
    const server = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('continue') ?? '';
      open++;
      most = Math.max(most, open);
      asked.get(token)?.();
      const body = pages[token] ?? '';
      const cut = body.indexOf('"items":[') + 9;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.slice(0, cut));
      const next = /"continue":"([^"]*)"/.exec(body)?.[1] ?? '';
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        open--;
        res.end(body.slice(cut));
      };
      if (next === '') end();
      else {
        asked.set(next, () => {
          if (!ended) early.push(next);
          end();
        });
        setTimeout(end, 400);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const objects = await listResource(connection(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), pods, undefined, opts);
      expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      expect(early).toEqual(['p2', 'p3', 'p4']);
      expect(most).toBe(2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('restarts once from the beginning when a continue token expired, with the early request discarded', async () => {
    let calls = 0;
    const pages: Record<string, string> = {};
    Object.defineProperty(pages, '', { enumerable: true, get: () => (calls++ === 0 ? page(['a'], 'old') : page(['a', 'b'], '')) });
    const s = await serve(pages);
    try {
      const objects = await listResource(connection(s.url), pods, undefined, opts);
      expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect(s.seen).toEqual(['', 'old', '']);
    } finally {
      await s.close();
    }
  });
});

describe('discover', () => {
  /** A loopback server answering discovery documents by path (404 for the rest), noting each path asked for. */
  async function serve(docs: Record<string, unknown>): Promise<{ conn: Connection; seen: string[]; close: () => Promise<void> }> {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      seen.push(path);
      const doc = docs[path];
      res.writeHead(doc === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(doc ?? { kind: 'Status', message: 'not found' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return {
      conn: { server: `http://127.0.0.1:${port}`, context: 'test', options: {}, timeoutMs: 5000, retries: 0, answered: false },
      seen,
      close: () => new Promise((r) => { server.close(() => { r(); }); }),
    };
  }
  const legacy = {
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] }, { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] }] },
    '/apis': { kind: 'APIGroupList', groups: [{ name: 'apps', preferredVersion: { groupVersion: 'apps/v1' } }, { name: 'gone.example', preferredVersion: { groupVersion: 'gone.example/v1' } }] },
    '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['list'] }] },
  };
  const expected = [
    { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] },
    { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['list'] },
  ];

  it('a server without aggregated discovery: the legacy documents, one request per group version', async () => {
    const s = await serve(legacy);
    try {
      const found = await discover(s.conn);
      expect(found.aggregated).toBe(false);
      expect(found.resources).toEqual(expected);
      expect(found.failures.map((f) => f.groupVersion)).toEqual(['gone.example/v1']);
      expect([...s.seen].sort()).toEqual(['/api', '/api/v1', '/apis', '/apis/apps/v1', '/apis/gone.example/v1']);
    } finally {
      await s.close();
    }
  });

  it('aggregated discovery: two requests; the first version is the preferred one; a stale one is a failure', async () => {
    const resource = (name: string, kind: string, scope = 'Namespaced') => ({ resource: name, responseKind: { group: '', version: '', kind }, scope, verbs: ['list'] });
    const s = await serve({
      '/api': { kind: 'APIGroupDiscoveryList', items: [{ metadata: {}, versions: [{ version: 'v1', resources: [resource('pods', 'Pod')], freshness: 'Current' }] }] },
      '/apis': {
        kind: 'APIGroupDiscoveryList',
        items: [
          { metadata: { name: 'apps' }, versions: [{ version: 'v1', resources: [resource('deployments', 'Deployment')] }, { version: 'v1beta1', resources: [resource('replicasets', 'ReplicaSet')] }] },
          { metadata: { name: 'gone.example' }, versions: [{ version: 'v1', freshness: 'Stale' }] },
          { metadata: { name: 'nokind.example' }, versions: [{ version: 'v1', resources: [{ resource: 'things', scope: 'Cluster', verbs: ['list'] }] }] },
        ],
      },
    });
    try {
      const found = await discover(s.conn);
      expect(found.aggregated).toBe(true);
      expect(found.resources).toEqual(expected);
      expect(found.failures).toEqual([{ groupVersion: 'gone.example/v1', error: expect.stringContaining('stale') as string }]);
      expect([...s.seen].sort()).toEqual(['/api', '/apis']);
    } finally {
      await s.close();
    }
  });

  it('an aggregated /apis with a failing /api: the core group the legacy way', async () => {
    const s = await serve({ '/api/v1': legacy['/api/v1'], '/apis': { kind: 'APIGroupDiscoveryList', items: [] } });
    try {
      const found = await discover(s.conn);
      expect(found.resources.map((r) => r.kind)).toEqual(['Pod']);
      expect([...s.seen].sort()).toEqual(['/api', '/api/v1', '/apis']);
    } finally {
      await s.close();
    }
  });
});
