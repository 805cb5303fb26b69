/**
 * service-exposed: Services of type NodePort or LoadBalancer, which open ports outside the cluster
 * network. Source ranges and internal load-balancer annotations mitigate a LoadBalancer.
 */
import { getArray, getNumber, getObject, getString } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

/** Annotations that make cloud providers create an internal (VPC-only) load balancer. */
const INTERNAL_LB: readonly [string, RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(?:true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const OPEN = new Set(['0.0.0.0/0', '::/0']);

function ports(spec: unknown): string {
  const list = getArray(spec, 'ports').map((p) => {
    const port = getNumber(p, 'port');
    const nodePort = getNumber(p, 'nodePort');
    return `${port ?? '?'}/${getString(p, 'protocol') ?? 'TCP'}${nodePort !== undefined ? ` (node port ${nodePort})` : ''}`;
  });
  return list.length > 0 ? list.join(', ') : 'no ports';
}

export const serviceExposed = defineCheck({
  id: 'service-exposed',
  meta: {
    title: 'Service exposed outside the cluster',
    description:
      'A NodePort Service opens its port on every node of the cluster, bypassing whatever the Ingress layer enforces; a LoadBalancer Service asks the cloud for a public address — reachable from the whole internet unless source ranges or an internal load balancer restrict it. Each is an entry point that must be intended.',
    severity: 'medium',
    category: 'exposure',
    kinds: ['Service'],
    messages: {
      nodePort: 'Service of type NodePort opens {{ports}} on every node',
      publicLb: 'Service of type LoadBalancer is reachable from any address ({{ports}}){{why}}',
      mitigatedLb: 'Service of type LoadBalancer ({{ports}}) is limited: {{why}}',
    },
    remediation:
      'Prefer ClusterIP behind an Ingress or Gateway; when a LoadBalancer is needed, restrict `spec.loadBalancerSourceRanges` to known networks or make it internal, and set `allocateLoadBalancerNodePorts: false` where the provider allows it.',
    references: {
      nsa: ['Network separation and hardening'],
      mitre: ['T1190', 'T1133'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport', 'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      const spec = getObject(obj.raw, 'spec');
      const type = getString(spec, 'type');
      if (type === 'NodePort') {
        ctx.report({ messageId: 'nodePort', data: { ports: ports(spec) }, object: obj, path: 'spec.type' });
        return;
      }
      if (type !== 'LoadBalancer') return;
      const internal = INTERNAL_LB.find(([k, re]) => re.test(obj.metadata.annotations[k] ?? ''));
      const fromSpec = getArray(spec, 'loadBalancerSourceRanges').filter((r): r is string => typeof r === 'string');
      const fromAnnotation = (obj.metadata.annotations[SOURCE_RANGES_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      // The field wins over the annotation when both are set.
      const ranges = fromSpec.length > 0 ? fromSpec : fromAnnotation;
      const rangesPath = fromSpec.length > 0 ? 'spec.loadBalancerSourceRanges' : `metadata.annotations["${SOURCE_RANGES_ANNOTATION}"]`;
      if (internal) {
        ctx.report({ messageId: 'mitigatedLb', data: { ports: ports(spec), why: `internal load balancer (${internal[0]})` }, object: obj, path: 'spec.type', severity: 'low' });
      } else if (ranges.length > 0 && !ranges.some((r) => OPEN.has(r))) {
        ctx.report({ messageId: 'mitigatedLb', data: { ports: ports(spec), why: `source ranges ${ranges.join(', ')}` }, object: obj, path: rangesPath, severity: 'low' });
      } else {
        const why = ranges.length > 0 ? ` (${rangesPath} allows ${ranges.filter((r) => OPEN.has(r)).join(', ')})` : '';
        ctx.report({ messageId: 'publicLb', data: { ports: ports(spec), why }, object: obj, path: ranges.length > 0 ? rangesPath : 'spec.type' });
      }
    };
  },
});
