/**
 * Objects read from an API server carry what the server added: defaults of the API types (imagePullPolicy,
 * terminationMessagePath, dnsPolicy, defaultMode 420, policyTypes, …), what admission plugins injected (the
 * service-account token volume `kube-api-access-*` and its mounts, the default not-ready/unreachable tolerations,
 * serviceAccountName `default`, priority 0), and status and bookkeeping metadata.
 * `undefault` removes those where they hold exactly the value Kubernetes would have filled in, so a scan of the
 * cluster sees what a scan of the manifests that created it sees. Values that differ from the defaults are kept.
 * Pure: works on freshly parsed JSON, in place.
 */
import { POD_SPEC_PATHS } from '../model/podspec.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function drop(o: Obj, key: string, value: unknown): void {
  if (o[key] === value) Reflect.deleteProperty(o, key);
}

function dropEmpty(o: Obj, key: string): void {
  const v = o[key];
  if (isObj(v) && Object.keys(v).length === 0) Reflect.deleteProperty(o, key);
  else if (Array.isArray(v) && v.length === 0) Reflect.deleteProperty(o, key);
}

function at(o: Obj, path: readonly string[]): Obj | undefined {
  let cur: unknown = o;
  for (const k of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return isObj(cur) ? cur : undefined;
}

/** The imagePullPolicy Kubernetes fills in: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function undefaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  drop(p, 'timeoutSeconds', 1);
  drop(p, 'periodSeconds', 10);
  drop(p, 'successThreshold', 1);
  drop(p, 'failureThreshold', 3);
  if (isObj(p.httpGet)) drop(p.httpGet, 'scheme', 'HTTP');
  if (isObj(p.grpc)) drop(p.grpc, 'service', '');
}

function undefaultContainer(c: unknown, injectedVolumes: ReadonlySet<string>): void {
  if (!isObj(c)) return;
  drop(c, 'terminationMessagePath', '/dev/termination-log');
  drop(c, 'terminationMessagePolicy', 'File');
  if (typeof c.image === 'string') drop(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  dropEmpty(c, 'resources');
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) drop(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) undefaultProbe(c[probe]);
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      const fieldRef = isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef) ? e.valueFrom.fieldRef : undefined;
      if (fieldRef) drop(fieldRef, 'apiVersion', 'v1');
    }
  }
  if (Array.isArray(c.volumeMounts)) {
    c.volumeMounts = c.volumeMounts.filter((m) => !(isObj(m) && typeof m.name === 'string' && injectedVolumes.has(m.name)));
    dropEmpty(c, 'volumeMounts');
  }
}

const DEFAULT_TOLERATION_KEYS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

function undefaultPodSpec(spec: Obj, kind: string): void {
  drop(spec, 'dnsPolicy', 'ClusterFirst');
  drop(spec, 'schedulerName', 'default-scheduler');
  drop(spec, 'terminationGracePeriodSeconds', 30);
  drop(spec, 'enableServiceLinks', true);
  drop(spec, 'priority', 0);
  drop(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  if (spec.restartPolicy === 'Always' && kind !== 'Job' && kind !== 'CronJob') delete spec.restartPolicy;
  if (spec.serviceAccount === spec.serviceAccountName) delete spec.serviceAccount;
  if (kind === 'Pod') drop(spec, 'serviceAccountName', 'default');
  dropEmpty(spec, 'securityContext');
  // The ServiceAccount admission plugin injects a projected token volume named kube-api-access-<random>.
  const injected = new Set<string>();
  if (Array.isArray(spec.volumes)) {
    spec.volumes = spec.volumes.filter((v) => {
      if (!isObj(v)) return true;
      if (kind === 'Pod' && typeof v.name === 'string' && /^kube-api-access-[a-z0-9]{5}$/.test(v.name) && isObj(v.projected)) {
        injected.add(v.name);
        return false;
      }
      for (const src of ['configMap', 'secret', 'projected', 'downwardAPI']) if (isObj(v[src])) drop(v[src], 'defaultMode', 420);
      if (isObj(v.hostPath)) drop(v.hostPath, 'type', '');
      return true;
    });
    dropEmpty(spec, 'volumes');
  }
  if (kind === 'Pod' && Array.isArray(spec.tolerations)) {
    spec.tolerations = spec.tolerations.filter(
      (t) => !(isObj(t) && typeof t.key === 'string' && DEFAULT_TOLERATION_KEYS.has(t.key) && t.operator === 'Exists' && t.effect === 'NoExecute' && t.tolerationSeconds === 300),
    );
    dropEmpty(spec, 'tolerations');
  }
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) for (const c of cs) undefaultContainer(c, injected);
  }
}

function undefaultMetadata(item: Obj): void {
  const meta = item.metadata;
  if (!isObj(meta)) return;
  for (const k of ['resourceVersion', 'generation', 'creationTimestamp', 'selfLink']) Reflect.deleteProperty(meta, k);
  if (item.kind === 'Namespace' && isObj(meta.labels) && meta.labels['kubernetes.io/metadata.name'] === meta.name) {
    const labels: Obj = { ...meta.labels };
    delete labels['kubernetes.io/metadata.name'];
    meta.labels = labels;
    dropEmpty(meta, 'labels');
  }
}

function undefaultNetworkPolicy(item: Obj): void {
  const spec = at(item, ['spec']);
  if (!spec) return;
  const types = spec.policyTypes;
  const expected = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  if (Array.isArray(types) && types.length === expected.length && expected.every((t, i) => types[i] === t)) delete spec.policyTypes;
  for (const dir of ['ingress', 'egress']) {
    const rules = spec[dir];
    if (!Array.isArray(rules)) continue;
    for (const r of rules) if (isObj(r) && Array.isArray(r.ports)) for (const p of r.ports) if (isObj(p)) drop(p, 'protocol', 'TCP');
  }
}

function undefaultRbac(item: Obj): void {
  if (Array.isArray(item.subjects)) {
    for (const s of item.subjects) {
      if (!isObj(s)) continue;
      if (s.kind === 'ServiceAccount') drop(s, 'apiGroup', '');
      else drop(s, 'apiGroup', 'rbac.authorization.k8s.io');
    }
  }
}

/**
 * Remove server-filled defaults and bookkeeping from an object read from the API server. Returns it.
 * `keepPodIps` keeps a Pod's `status.podIP(s)` (NetworkPolicy ipBlocks can match them) and drops the rest of status.
 */
export function undefault<T extends Obj>(item: T, options: { keepPodIps?: boolean } = {}): T {
  const kind = typeof item.kind === 'string' ? item.kind : '';
  const status = item.status;
  delete item.status;
  if (options.keepPodIps && kind === 'Pod' && isObj(status) && (status.podIP !== undefined || status.podIPs !== undefined)) {
    (item as Obj).status = { ...(status.podIP !== undefined ? { podIP: status.podIP } : {}), ...(status.podIPs !== undefined ? { podIPs: status.podIPs } : {}) };
  }
  undefaultMetadata(item);
  const path = POD_SPEC_PATHS[kind];
  if (path) {
    const spec = at(item, path);
    if (spec) undefaultPodSpec(spec, kind);
  }
  if (kind === 'NetworkPolicy') undefaultNetworkPolicy(item);
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') undefaultRbac(item);
  return item;
}
