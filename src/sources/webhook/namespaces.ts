/**
 * The namespaces the webhook reads its modes from (`kspect.dev/enforce|warn|audit` labels, and the Pod Security
 * labels the PSS checks honour): kept by the official client's ListWatch (@kubernetes/client-node: list, then watch
 * from the list's resourceVersion, list again when the watch answers 410 Gone) over kspect's own bounded list and
 * watch (`get` and `watch` of sources/cluster.ts). The kubeconfig (or in-cluster service account) is resolved by
 * `connect()`, which reads every file through kspect's safe reader. A watch that fails is restarted with a backoff. A name the cache does
 * not know yet (a namespace created a moment ago) is read once directly. Only get/list/watch on namespaces is needed.
 */
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node/dist/types.js';
import { connect, get, watch } from '../cluster.js';
import { isObject, toK8sObject, type K8sObject } from '../../model/object.js';

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
  const o = toK8sObject({ apiVersion: 'v1', kind: 'Namespace', ...(isObject(raw) ? raw : {}) }, { source: SOURCE, locate: () => undefined });
  return o && o.kind === 'Namespace' ? o : undefined;
};

export interface WatchedNamespacesOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Limit of each request: the list, a direct read, a watch's answer (default 10 s). */
  readonly timeoutMs?: number;
  /** One line per event worth logging (watch restarts, list failures). */
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** How long the server is asked to keep one watch open: 5 to 10 minutes, as client-go's reflector asks. */
const watchSeconds = (): number => 300 + Math.floor(Math.random() * 300);

/** List and watch namespaces; resolves once the connection is set up (the first list may still be running). */
export async function watchedNamespaces(opts: WatchedNamespacesOptions = {}): Promise<NamespaceSource> {
  const conn = await connect({ ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), timeoutMs: opts.timeoutMs ?? 10_000, retries: 2 });
  const { ListWatch } = await import('@kubernetes/client-node/dist/cache.js');
  const cache = new Map<string, K8sObject>();
  let synced = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 500;
  const log = opts.log ?? (() => undefined);

  // The list is kspect's bounded GET; the informer watches from its resourceVersion and lists again after a 410.
  const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
    const r = await get(conn, '/api/v1/namespaces?limit=5000');
    if (r.status !== 200) throw new Error(`list namespaces: HTTP ${r.status}`);
    const body = JSON.parse(r.body.toString('utf8')) as KubernetesListObject<KubernetesObject>;
    cache.clear();
    for (const item of body.items) {
      const ns = toNamespace(item);
      if (ns) cache.set(ns.metadata.name, ns);
    }
    synced = true;
    delay = 500;
    return body;
  };
  // The watch is kspect's too: its answer bounded by --request-timeout, and ended by the server after 5 to 10 minutes
  // (randomised as client-go's reflector does) so a connection that died silently is noticed and replaced. The
  // official client's own watch has no bound at all (its timeout signal is overwritten).
  const watcher = {
    watch: (path: string, query: Record<string, string | undefined>, onEvent: (type: string, object: unknown, event: unknown) => void, done: (err: unknown) => void) =>
      Promise.resolve(watch(conn, path, query, watchSeconds(), onEvent, done)),
  };
  const informer = new ListWatch<KubernetesObject>('/api/v1/namespaces', watcher as unknown as ConstructorParameters<typeof ListWatch>[1], list, false);
  const put = (obj: KubernetesObject): void => {
    const ns = toNamespace(obj);
    if (ns) cache.set(ns.metadata.name, ns);
  };
  informer.on('add', put);
  informer.on('update', put);
  informer.on('delete', (obj) => {
    const name = obj.metadata?.name;
    if (name !== undefined) cache.delete(name);
  });
  // The informer stops on an error (other than 410, which it handles by listing again): start it again, backing off.
  const restart = (e: unknown): void => {
    if (stopped) return;
    log('warn', 'namespace watch restarts', { error: e instanceof Error ? e.message : String(e), inMs: delay });
    timer = setTimeout(() => {
      void informer.start().catch(restart);
    }, delay);
    delay = Math.min(delay * 2, 10_000);
  };
  informer.on('error', restart);
  void informer.start().catch(restart);

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
      void informer.stop();
    },
  };
}
