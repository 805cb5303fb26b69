/**
 * Test helpers: build inventories from YAML text or from a compact description of namespaces,
 * pods and policies (the shape the upstream e2e tests use: namespaces x, y, z; pods a, b, c).
 */
import { buildInventory, type Inventory } from '../../model/inventory.js';
import { toK8sObject, type K8sObject } from '../../model/object.js';
import { parseManifests } from '../../sources/yaml.js';

export function inventoryOf(yaml: string, file = 'test.yaml'): Inventory {
  const parsed = parseManifests(yaml, file, { type: 'file', uri: file });
  if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return buildInventory(parsed.objects);
}

export function inventoryOfObjects(raws: readonly unknown[]): Inventory {
  const objects: K8sObject[] = [];
  for (const r of raws) {
    const o = toK8sObject(r, undefined);
    if (!o) throw new Error(`not a Kubernetes object: ${JSON.stringify(r)}`);
    objects.push(o);
  }
  return buildInventory(objects);
}

export function namespace(name: string, labels: Record<string, string> = {}): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface PodPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export function pod(ns: string, name: string, labels: Record<string, string>, ports: readonly PodPort[] = [], extra: { hostNetwork?: boolean; ips?: readonly string[] } = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      ...(extra.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: 'main', image: 'registry.example/app:1', ports: ports.map((p) => ({ containerPort: p.port, ...(p.name ? { name: p.name } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) })) }],
    },
    ...(extra.ips ? { status: { podIP: extra.ips[0], podIPs: extra.ips.map((ip) => ({ ip })) } } : {}),
  };
}

export function policy(ns: string, name: string, spec: Record<string, unknown>): unknown {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}
