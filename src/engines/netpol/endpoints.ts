/**
 * The endpoints NetworkPolicies talk about: Pods, and the pod templates of workloads (a
 * Deployment's template stands for all of its replicas), with their labels, named container
 * ports, host networking and (for Pods with a status) IP addresses; and the namespaces they
 * live in, with their labels.
 */
import type { Inventory } from '../../model/inventory.js';
import { getArray, getBool, getNumber, getObject, getString, isObject, stringMapOf, type K8sObject } from '../../model/object.js';
import { podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { parseIp } from './addresses.js';
import { DEFAULT_NAMESPACE } from './policy.js';
import { isProtocol, type Protocol } from './ports.js';

/** The label every namespace carries (set by the API server since Kubernetes 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamespaceInfo {
  readonly name: string;
  /** Labels, always including kubernetes.io/metadata.name. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Namespace object, when the input has one. Without it, only the name label is known. */
  readonly object?: K8sObject;
}

export interface Endpoint {
  /** `namespace/Kind/name`. */
  readonly id: string;
  readonly object: K8sObject;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Labels of the Pod, or of the workload's pod template. */
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports: `name/PROTOCOL` → port numbers. */
  readonly namedPorts: ReadonlyMap<string, readonly number[]>;
  readonly hostNetwork: boolean;
  /** Pod IPs on the shared address line (from status.podIPs), when known. */
  readonly ips: readonly bigint[];
  /** True when the endpoint is one pod (a Pod, or a workload with one replica): traffic to itself is always allowed. */
  readonly single: boolean;
  /** Pods of the input folded into this workload (their controller chain ends here). */
  readonly folded: readonly K8sObject[];
}

/** Kinds whose pod template is an endpoint (PodTemplate objects run nothing and are left out). */
const ENDPOINT_KINDS = POD_SPEC_KINDS.filter((k) => k !== 'PodTemplate');

function key(ns: string, kind: string, name: string): string {
  return `${ns}/${kind}/${name}`;
}

function controllerOf(obj: K8sObject): { kind: string; name: string } | undefined {
  const refs = getArray(getObject(obj.raw, 'metadata'), 'ownerReferences');
  for (const r of refs) {
    if (isObject(r) && getBool(r, 'controller') === true) {
      const kind = getString(r, 'kind');
      const name = getString(r, 'name');
      if (kind !== undefined && name !== undefined) return { kind, name };
    }
  }
  return undefined;
}

/**
 * Equal named-port maps of a run's endpoints, one map (most workloads declare the same few, e.g. `http/TCP` → 8080;
 * a map each was a quarter of the engine at 200,000 workloads). The maps are never changed once made.
 */
class NamedPortMaps {
  readonly #shared = new Map<string, ReadonlyMap<string, readonly number[]>>();

  of(ports: Map<string, number[]>): ReadonlyMap<string, readonly number[]> {
    let k = '';
    for (const [name, list] of ports) k += `${name}\u0000${list.join(',')}\u0000`;
    const hit = this.#shared.get(k);
    if (hit) return hit;
    this.#shared.set(k, ports);
    return ports;
  }
}

/** What endpoints without IPs or folded pods hold (frozen: one for all of them). */
const NO_IPS: readonly bigint[] = Object.freeze([]);
const NO_OBJECTS: readonly K8sObject[] = Object.freeze([]);

function namedPortsOf(spec: Readonly<Record<string, unknown>>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (c: unknown): void => {
    for (const p of getArray(c, 'ports')) {
      const name = getString(p, 'name');
      const port = getNumber(p, 'containerPort');
      const proto = getString(p, 'protocol') ?? 'TCP';
      if (name === undefined || port === undefined || !isProtocol(proto)) continue;
      const k = `${name}/${proto}`;
      const list = out.get(k) ?? [];
      if (!list.includes(port)) list.push(port);
      list.sort((a, b) => a - b);
      out.set(k, list);
    }
  };
  for (const c of getArray(spec, 'containers')) add(c);
  // Sidecar containers (init containers that keep running) serve ports too.
  for (const c of getArray(spec, 'initContainers')) if (getString(c, 'restartPolicy') === 'Always') add(c);
  return out;
}

function ipsOf(pod: K8sObject): bigint[] {
  const status = getObject(pod.raw, 'status');
  const texts = new Set<string>();
  for (const x of getArray(status, 'podIPs')) {
    const ip = getString(x, 'ip');
    if (ip !== undefined) texts.add(ip);
  }
  const one = getString(status, 'podIP');
  if (one !== undefined) texts.add(one);
  const out: bigint[] = [];
  for (const t of texts) {
    const ip = parseIp(t);
    if (ip) out.push(ip.value);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFinished(pod: K8sObject): boolean {
  const phase = getString(getObject(pod.raw, 'status'), 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Named port lookup: numbers a `name/PROTOCOL` resolves to on an endpoint. */
export function resolveNamedPort(ep: { readonly namedPorts: ReadonlyMap<string, readonly number[]> }, name: string, protocol: Protocol): readonly number[] {
  return ep.namedPorts.get(`${name}/${protocol}`) ?? [];
}

export interface EndpointSet {
  readonly endpoints: readonly Endpoint[];
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
}

/**
 * Endpoints and namespaces of an inventory. A Pod whose controller chain (Pod → ReplicaSet →
 * Deployment, Pod → Job → CronJob, …) reaches a workload of the input is folded into that workload.
 */
export function collectEndpoints(inventory: Inventory, extraNamespaces: readonly string[] = []): EndpointSet {
  const byKey = new Map<string, K8sObject>();
  const candidates = inventory.ofKinds(ENDPOINT_KINDS).filter((o) => !(o.kind === 'Pod' && isFinished(o)) && podSpecOf(o) !== undefined);
  for (const o of candidates) byKey.set(key(o.metadata.namespace ?? DEFAULT_NAMESPACE, o.kind, o.metadata.name), o);
  const top = (o: K8sObject): K8sObject => {
    let cur = o;
    const seen = new Set<K8sObject>([o]);
    for (;;) {
      const c = controllerOf(cur);
      if (!c) return cur;
      const owner = byKey.get(key(cur.metadata.namespace ?? DEFAULT_NAMESPACE, c.kind, c.name));
      if (!owner || seen.has(owner)) return cur;
      seen.add(owner);
      cur = owner;
    }
  };
  const folded = new Map<K8sObject, K8sObject[]>();
  const roots: K8sObject[] = [];
  for (const o of candidates) {
    const t = top(o);
    if (t === o) roots.push(o);
    else {
      const list = folded.get(t) ?? [];
      list.push(o);
      folded.set(t, list);
    }
  }

  const endpoints: Endpoint[] = [];
  const portMaps = new NamedPortMaps();
  for (const o of roots) {
    const view = podSpecOf(o);
    if (!view) continue;
    const ns = o.metadata.namespace ?? DEFAULT_NAMESPACE;
    const labels = o.kind === 'Pod' ? o.metadata.labels : stringMapOf(view.metadata, 'labels');
    const members = folded.get(o) ?? NO_OBJECTS;
    const pods = [o, ...members].filter((x) => x.kind === 'Pod');
    const found = [...new Set(pods.flatMap(ipsOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const ips = found.length > 0 ? found : NO_IPS;
    const replicas = getNumber(getObject(o.raw, 'spec'), 'replicas');
    // spec.replicas defaults to 1.
    const single = o.kind === 'Pod' || (['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(o.kind) && (replicas ?? 1) === 1);
    endpoints.push({
      id: key(ns, o.kind, o.metadata.name),
      object: o,
      kind: o.kind,
      namespace: ns,
      name: o.metadata.name,
      labels,
      namedPorts: portMaps.of(namedPortsOf(view.spec)),
      hostNetwork: getBool(view.spec, 'hostNetwork') === true,
      ips,
      single,
      folded: members,
    });
  }
  endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const namespaces = new Map<string, NamespaceInfo>();
  for (const [name, obj] of inventory.namespaces) namespaces.set(name, { name, labels: { ...obj.metadata.labels, [NAMESPACE_NAME_LABEL]: name }, object: obj });
  const mention = (name: string): void => {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name } });
  };
  for (const e of endpoints) mention(e.namespace);
  for (const n of extraNamespaces) mention(n);
  return { endpoints, namespaces };
}
