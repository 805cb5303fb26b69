/**
 * The namespaces the webhook reads its modes from (`kspect.dev/enforce|warn|audit` labels, and the Pod Security
 * labels the PSS checks honour): listed once, then kept current with a watch, as an informer does. The kubeconfig
 * (or in-cluster service account) is resolved by the official client through `connect()`; the list and watch are
 * plain GETs on that connection, so every read is bounded in time and size. A name the cache does not know yet (a
 * namespace created a moment ago) is read once directly. Only get/list/watch on namespaces is needed.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect, get, type Connection } from '../cluster.js';
import { isObject, getArray, getObject, getString, toK8sObject, type K8sObject } from '../../model/object.js';

/** Where the webhook finds a request's Namespace. */
export interface NamespaceSource {
  get(name: string): Promise<K8sObject | undefined>;
  /** True once the first list is in (readyz). */
  ready(): boolean;
  stop(): void;
}

/** A fixed set of namespaces (tests, or a server run without a cluster). */
export function staticNamespaces(objects: readonly K8sObject[]): NamespaceSource {
  const byName = new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o]));
  return { get: (name) => Promise.resolve(byName.get(name)), ready: () => true, stop: () => undefined };
}

const SOURCE = { type: 'cluster' as const, uri: 'namespaces' };
const toNamespace = (raw: unknown): K8sObject | undefined => {
  const o = toK8sObject(raw, { source: SOURCE, locate: () => undefined });
  return o && o.kind === 'Namespace' ? o : undefined;
};

export interface WatchedNamespacesOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Limit of one list request (default 10 s; the watch itself is ended by the server after 290 s). */
  readonly timeoutMs?: number;
  /** One line per event worth logging (watch restarts, list failures). */
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** List and watch namespaces; resolves once the connection is set up (the first list may still be running). */
export async function watchedNamespaces(opts: WatchedNamespacesOptions = {}): Promise<NamespaceSource> {
  const conn = await connect({ ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), timeoutMs: opts.timeoutMs ?? 10_000, retries: 2 });
  const cache = new Map<string, K8sObject>();
  let synced = false;
  let stopped = false;
  let current: ClientRequest | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const log = opts.log ?? (() => undefined);
  const isStopped = (): boolean => stopped;

  const list = async (): Promise<string> => {
    const r = await get(conn, '/api/v1/namespaces?limit=5000');
    if (r.status !== 200) throw new Error(`list namespaces: HTTP ${r.status}`);
    const body: unknown = JSON.parse(r.body.toString('utf8'));
    cache.clear();
    for (const item of getArray(body, 'items')) {
      const ns = toNamespace({ apiVersion: 'v1', kind: 'Namespace', ...(isObject(item) ? item : {}) });
      if (ns) cache.set(ns.metadata.name, ns);
    }
    synced = true;
    return getString(getObject(body, 'metadata'), 'resourceVersion') ?? '';
  };

  const loop = async (): Promise<void> => {
    let rv = '';
    let delay = 500;
    while (!stopped) {
      try {
        if (rv === '') rv = await list();
        rv = await watch(conn, rv, (type, obj) => {
          const ns = toNamespace(obj);
          if (!ns) return;
          if (type === 'DELETED') cache.delete(ns.metadata.name);
          else if (type === 'ADDED' || type === 'MODIFIED') cache.set(ns.metadata.name, ns);
        }, (req) => (current = req));
        delay = 500;
      } catch (e) {
        if (isStopped()) return;
        const msg = e instanceof Error ? e.message : String(e);
        log('warn', 'namespace watch restarts', { error: msg });
        if (msg.includes('410') || msg.includes('Expired')) rv = '';
        await new Promise<void>((r) => (timer = setTimeout(r, delay)));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  };
  void loop();

  return {
    async get(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      // Not in the cache yet (created a moment ago, or the watch is behind): read it once.
      const r = await get(conn, `/api/v1/namespaces/${encodeURIComponent(name)}`);
      if (r.status !== 200) return undefined;
      const ns = toNamespace(JSON.parse(r.body.toString('utf8')));
      if (ns) cache.set(name, ns);
      return ns;
    },
    ready: () => synced,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.destroy();
    },
  };
}

/**
 * One watch request from `rv`; resolves with the last resourceVersion seen when the server ends it (its
 * timeoutSeconds), rejects on an ERROR event (410 Gone: the caller lists again) or a broken stream.
 */
function watch(conn: Connection, rv: string, onEvent: (type: string, obj: unknown) => void, onRequest: (req: ClientRequest) => void): Promise<string> {
  const url = new URL(`${conn.server}/api/v1/namespaces?watch=1&allowWatchBookmarks=true&timeoutSeconds=290&resourceVersion=${encodeURIComponent(rv)}`);
  const headers = { ...(conn.options.headers as Record<string, string> | undefined), accept: 'application/json', 'user-agent': 'kspect-webhook' };
  return new Promise((resolve, reject) => {
    let last = rv;
    let buffered = '';
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { ...conn.options, method: 'GET', headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`watch namespaces: HTTP ${res.statusCode ?? 0}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        if (buffered.length > 16 * 1024 * 1024) {
          req.destroy(new Error('watch namespaces: an event over 16 MiB'));
          return;
        }
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
          if (line.trim() === '') continue;
          const ev: unknown = JSON.parse(line);
          const type = getString(ev, 'type') ?? '';
          const obj = getObject(ev, 'object');
          if (type === 'ERROR') {
            req.destroy(new Error(`watch namespaces: ${getString(obj, 'reason') ?? 'error'} ${JSON.stringify(obj?.code ?? '')}`));
            return;
          }
          const v = getString(getObject(obj, 'metadata'), 'resourceVersion');
          if (v !== undefined) last = v;
          if (type !== 'BOOKMARK') onEvent(type, { apiVersion: 'v1', kind: 'Namespace', ...(obj ?? {}) });
        }
      });
      res.on('end', () => {
        resolve(last);
      });
      res.on('error', reject);
    });
    onRequest(req);
    req.on('error', reject);
    req.end();
  });
}
