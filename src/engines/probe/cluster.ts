/**
 * Probe targets from a live cluster's objects (read-only): the addresses of every Node, and the endpoints of the
 * `kubernetes` Service (the API servers, usually on the control-plane nodes). Pure.
 */
import { getArray, getNumber, getObject, getString, type K8sObject } from '../../model/object.js';

export interface ClusterTarget {
  readonly host: string;
  /** A specific port (the API server's); undefined probes the default port list. */
  readonly port?: number;
  /** Where it came from: `node n1 InternalIP`, `service default/kubernetes`. */
  readonly label: string;
}

const ADDRESS_TYPES = ['InternalIP', 'ExternalIP'];

export function clusterTargets(objects: readonly K8sObject[]): ClusterTarget[] {
  const out: ClusterTarget[] = [];
  for (const node of objects) {
    if (node.kind !== 'Node') continue;
    const addresses = getArray(getObject(node.raw, 'status'), 'addresses');
    const ips = addresses.filter((a) => ADDRESS_TYPES.includes(getString(a, 'type') ?? ''));
    const use = ips.length > 0 ? ips : addresses.filter((a) => getString(a, 'type') === 'Hostname');
    // The kubelet says where it listens (its port may not be 10250).
    const kubeletPort = getNumber(getObject(getObject(getObject(node.raw, 'status'), 'daemonEndpoints'), 'kubeletEndpoint'), 'Port');
    for (const a of use) {
      const host = getString(a, 'address');
      if (host === undefined || host === '') continue;
      const label = `node ${node.metadata.name} ${getString(a, 'type') ?? ''}`.trim();
      out.push({ host, label });
      if (kubeletPort !== undefined && kubeletPort > 0 && kubeletPort < 65536) out.push({ host, port: kubeletPort, label });
    }
  }
  for (const slice of objects) {
    if (slice.kind !== 'EndpointSlice' || slice.metadata.namespace !== 'default' || slice.metadata.labels['kubernetes.io/service-name'] !== 'kubernetes') continue;
    const ports = getArray(slice.raw, 'ports')
      .map((p) => getNumber(p, 'port'))
      .filter((p): p is number => p !== undefined);
    for (const ep of getArray(slice.raw, 'endpoints')) {
      for (const host of getArray(ep, 'addresses')) {
        if (typeof host !== 'string') continue;
        out.push({ host, label: 'service default/kubernetes' });
        for (const port of ports) out.push({ host, port, label: 'service default/kubernetes' });
      }
    }
  }
  return out;
}
