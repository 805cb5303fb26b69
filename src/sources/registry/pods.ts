/**
 * What a live cluster runs, for `kspect images verify --cluster`: every Pod with its containers' running `imageID`
 * digests (status is kept for that), one Pod per controller, and the docker credentials of the imagePullSecrets the
 * pods name (read one by one with GET, never listed; the credentials go to the registries they are for and nowhere
 * else). Read-only.
 */
import type { NotEvaluated } from '../../core/finding.js';
import { runningImagesObject } from '../../engines/images/objects.js';
import { runningDigestOfImageId } from '../../model/image.js';
import { isObject, toK8sObject, type K8sObject } from '../../model/object.js';
import { connect, get, ClusterError, type ClusterOptions, type Connection } from '../cluster.js';
import { Keyring, readDockerConfig } from './auth.js';

export interface RunningPods {
  readonly pods: K8sObject[];
  /** The pods' imagePullSecrets as the kubelet's keyring matches them. */
  readonly credentials: Keyring;
  readonly notEvaluated: NotEvaluated[];
  readonly context: string;
}

function owner(pod: Record<string, unknown>): string | undefined {
  const meta = pod.metadata;
  if (!isObject(meta) || !Array.isArray(meta.ownerReferences)) return undefined;
  const refs: unknown[] = meta.ownerReferences;
  const c = refs.find((o) => isObject(o) && o.controller === true);
  return isObject(c) && typeof c.kind === 'string' && typeof c.name === 'string' ? `${c.kind}/${c.name}` : undefined;
}

/** What one imagePullSecret held, read with GET (never listed). Its value goes nowhere but the keyring. */
export type PullSecretRead =
  | { readonly kind: 'unreadable'; readonly status: number }
  | { readonly kind: 'not-a-docker-config' }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'docker-config'; readonly doc: unknown };

/** Read an imagePullSecret's docker config (`.dockerconfigjson`, or the legacy `.dockercfg`). */
export async function readPullSecret(conn: Connection, namespace: string, name: string): Promise<PullSecretRead> {
  const r = await get(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
  if (r.status !== 200) return { kind: 'unreadable', status: r.status };
  let secret: unknown;
  try {
    secret = JSON.parse(r.body.toString('utf8'));
  } catch {
    return { kind: 'not-a-docker-config' };
  }
  const data = isObject(secret) && isObject(secret.data) ? secret.data : {};
  const blob = typeof data['.dockerconfigjson'] === 'string' ? data['.dockerconfigjson'] : typeof data['.dockercfg'] === 'string' ? data['.dockercfg'] : undefined;
  if (blob === undefined) return { kind: 'not-a-docker-config' };
  try {
    return { kind: 'docker-config', doc: JSON.parse(Buffer.from(blob, 'base64').toString('utf8')) as unknown };
  } catch {
    return { kind: 'not-json' };
  }
}

export async function loadRunningPods(opts: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'namespaces' | 'timeoutMs'>): Promise<RunningPods> {
  const conn = await connect(opts);
  const source = { type: 'cluster' as const, uri: conn.context };
  const notEvaluated: NotEvaluated[] = [];
  const pods: K8sObject[] = [];
  const seenOwners = new Set<string>();
  const paths = opts.namespaces && opts.namespaces.length > 0 ? opts.namespaces.map((ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`) : ['/api/v1/pods'];
  for (const base of paths) {
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500', ...(cont !== undefined ? { continue: cont } : {}) });
      const r = await get(conn, `${base}?${q.toString()}`);
      if (r.status !== 200) {
        if (r.status === 401) throw new ClusterError(`cannot list pods: unauthorized (HTTP 401)`, 401);
        notEvaluated.push({ reason: r.status === 403 ? 'forbidden' : 'not-readable', message: `pods ${base}: HTTP ${r.status}; their images were not verified`, source });
        break;
      }
      let list: unknown;
      try {
        list = JSON.parse(r.body.toString('utf8'));
      } catch {
        throw new ClusterError(`GET ${base}: the answer is not JSON`);
      }
      const items = isObject(list) && Array.isArray(list.items) ? list.items : [];
      for (const item of items) {
        if (!isObject(item)) continue;
        const it = item as Record<string, unknown>;
        const phase = isObject(it.status) ? it.status.phase : undefined;
        if (phase === 'Succeeded' || phase === 'Failed') continue;
        const ns = isObject(it.metadata) && typeof it.metadata.namespace === 'string' ? it.metadata.namespace : '';
        const o = owner(it);
        // One pod per controller: its replicas run the same images (a rollout in progress shows both revisions).
        const ownerKey = o !== undefined ? `${ns}/${o}/${JSON.stringify(isObject(it.spec) ? it.spec.containers : null)}` : undefined;
        if (ownerKey !== undefined) {
          if (seenOwners.has(ownerKey)) continue;
          seenOwners.add(ownerKey);
        }
        if (isObject(it.metadata)) {
          const m = { ...(it.metadata as Record<string, unknown>) };
          delete m.managedFields;
          it.metadata = m;
        }
        const obj = toK8sObject({ apiVersion: 'v1', kind: 'Pod', ...it }, { source, locate: () => undefined });
        if (obj) pods.push(obj);
      }
      cont = isObject(list) && isObject(list.metadata) && typeof list.metadata.continue === 'string' && list.metadata.continue !== '' ? list.metadata.continue : undefined;
    } while (cont !== undefined);
  }

  // imagePullSecrets the pods name: each read once.
  const credentials = new Keyring();
  const secrets = new Set<string>();
  for (const p of pods) {
    const spec = isObject(p.raw.spec) ? p.raw.spec : undefined;
    const list = spec && Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
    for (const s of list) if (isObject(s) && typeof s.name === 'string') secrets.add(`${p.metadata.namespace ?? 'default'}/${s.name}`);
  }
  for (const key of [...secrets].sort()) {
    const [ns, name] = key.split('/') as [string, string];
    const read = await readPullSecret(conn, ns, name);
    if (read.kind === 'unreadable') {
      notEvaluated.push({ reason: read.status === 403 ? 'forbidden' : 'not-readable', message: `imagePullSecret ${key}: HTTP ${read.status}; its registries are read anonymously`, source });
      continue;
    }
    if (read.kind === 'not-a-docker-config') continue;
    if (read.kind === 'not-json') {
      notEvaluated.push({ reason: 'unsupported', message: `imagePullSecret ${key}: its docker config is not JSON`, source });
      continue;
    }
    const problems: string[] = [];
    const { doc } = read;
    credentials.add(readDockerConfig(doc, `imagePullSecret ${key}`, problems));
    for (const p of problems) notEvaluated.push({ reason: 'unsupported', message: p, source });
  }
  return { pods, credentials, notEvaluated, context: conn.context };
}

/**
 * What the workloads of a live cluster run, for `scan --cluster --vulns`: every Pod's running digests (status
 * `imageID`), attributed to the workload a scan reports — the pod's controller, followed up through a ReplicaSet to
 * its Deployment and through a Job to its CronJob (each owner read once with GET) — as RunningImages objects.
 * Read-only; pods are listed page by page; nothing of the pods but names and digests is kept.
 */
export async function loadRunningImages(opts: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'namespaces' | 'timeoutMs'>): Promise<{ objects: K8sObject[]; notEvaluated: NotEvaluated[] }> {
  const conn = await connect(opts);
  const source = { type: 'cluster' as const, uri: conn.context };
  const notEvaluated: NotEvaluated[] = [];
  const byWorkload = new Map<string, { workload: { kind: string; namespace?: string; name: string }; containers: { name: string; digest: string; pod: string }[] }>();
  const owners = new Map<string, Promise<{ kind: string; name: string } | undefined>>();
  const ownerOf = (ns: string, kind: string, name: string): Promise<{ kind: string; name: string } | undefined> => {
    const key = `${ns}/${kind}/${name}`;
    let hit = owners.get(key);
    if (!hit) {
      const path = kind === 'ReplicaSet' ? `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets/${encodeURIComponent(name)}` : `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs/${encodeURIComponent(name)}`;
      hit = get(conn, path).then((r) => {
        if (r.status !== 200) {
          if (r.status !== 404) notEvaluated.push({ reason: r.status === 403 ? 'forbidden' : 'not-readable', message: `${kind} ${ns}/${name}: HTTP ${r.status}; its pods' running images are attributed to it, not to its controller`, source });
          return undefined;
        }
        try {
          const o = JSON.parse(r.body.toString('utf8')) as unknown;
          const c = isObject(o) ? controllerRef(o) : undefined;
          return c;
        } catch {
          return undefined;
        }
      });
      owners.set(key, hit);
    }
    return hit;
  };
  const paths = opts.namespaces && opts.namespaces.length > 0 ? opts.namespaces.map((ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`) : ['/api/v1/pods'];
  for (const base of paths) {
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500', ...(cont !== undefined ? { continue: cont } : {}) });
      const r = await get(conn, `${base}?${q.toString()}`);
      if (r.status !== 200) {
        notEvaluated.push({ reason: r.status === 403 ? 'forbidden' : 'not-readable', message: `pods ${base}: HTTP ${r.status}; vulnerability results are joined by reference only`, source });
        break;
      }
      let list: unknown;
      try {
        list = JSON.parse(r.body.toString('utf8'));
      } catch {
        throw new ClusterError(`GET ${base}: the answer is not JSON`);
      }
      for (const item of isObject(list) && Array.isArray(list.items) ? list.items : []) {
        if (!isObject(item) || !isObject(item.metadata) || !isObject(item.status)) continue;
        const ns = typeof item.metadata.namespace === 'string' ? item.metadata.namespace : '';
        const podName = typeof item.metadata.name === 'string' ? item.metadata.name : '';
        const running: { name: string; digest: string; pod: string }[] = [];
        for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
          const list2 = item.status[key];
          for (const s of Array.isArray(list2) ? list2 : []) {
            if (!isObject(s) || typeof s.name !== 'string' || typeof s.imageID !== 'string') continue;
            const d = runningDigestOfImageId(s.imageID);
            if (d !== undefined) running.push({ name: s.name, digest: d, pod: podName });
          }
        }
        if (running.length === 0) continue;
        let w = controllerRef(item) ?? { kind: 'Pod', name: podName };
        if (w.kind === 'ReplicaSet' || w.kind === 'Job') {
          const up = await ownerOf(ns, w.kind, w.name);
          if (up && ((w.kind === 'ReplicaSet' && up.kind === 'Deployment') || (w.kind === 'Job' && up.kind === 'CronJob'))) w = up;
        }
        const key = `${w.kind}/${ns}/${w.name}`;
        let entry = byWorkload.get(key);
        if (!entry) byWorkload.set(key, (entry = { workload: { kind: w.kind, ...(ns !== '' ? { namespace: ns } : {}), name: w.name }, containers: [] }));
        for (const c of running) if (!entry.containers.some((x) => x.name === c.name && x.digest === c.digest)) entry.containers.push(c);
      }
      cont = isObject(list) && isObject(list.metadata) && typeof list.metadata.continue === 'string' && list.metadata.continue !== '' ? list.metadata.continue : undefined;
    } while (cont !== undefined);
  }
  return { objects: [...byWorkload.values()].map((v) => runningImagesObject(v, source)), notEvaluated };
}

function controllerRef(o: Record<string, unknown>): { kind: string; name: string } | undefined {
  const meta = o.metadata;
  if (!isObject(meta) || !Array.isArray(meta.ownerReferences)) return undefined;
  const refs: unknown[] = meta.ownerReferences;
  const c = refs.find((x) => isObject(x) && x.controller === true);
  return isObject(c) && typeof c.kind === 'string' && typeof c.name === 'string' ? { kind: c.kind, name: c.name } : undefined;
}
