/** service-external-ips: Services that claim external IPs, which any Service author can point at any address (CVE-2020-8554). */
import { getArray, getObject } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

export const serviceExternalIps = defineCheck({
  id: 'service-external-ips',
  meta: {
    title: 'Service sets externalIPs',
    description:
      'kube-proxy routes traffic for every address in a Service\'s `spec.externalIPs` to that Service\'s pods — from every node and every pod, whoever owns the address. Anyone who may create or update a Service can so intercept traffic meant for another address, in or outside the cluster (CVE-2020-8554, unfixable in Kubernetes itself). A Service that uses externalIPs needs the DenyServiceExternalIPs admission plugin turned off, and is either intended and reviewed, or an interception.',
    severity: 'medium',
    category: 'network',
    kinds: ['Service'],
    messages: { externalIps: 'Service routes traffic for {{ips}} to its pods (spec.externalIPs): the addresses are claimed without proof of ownership' },
    remediation:
      'Remove `spec.externalIPs`; expose the Service with a LoadBalancer or an Ingress/Gateway instead. Block the field cluster-wide with the DenyServiceExternalIPs admission plugin (kube-apiserver `--enable-admission-plugins`) or a policy engine.',
    references: {
      urls: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://kubernetes.io/docs/concepts/services-networking/service/#external-ips'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      const ips = getArray(getObject(obj.raw, 'spec'), 'externalIPs').filter((x): x is string => typeof x === 'string' && x !== '');
      if (ips.length === 0) return;
      ctx.report({ messageId: 'externalIps', object: obj, path: 'spec.externalIPs', data: { ips: ips.slice(0, 5).join(', ') + (ips.length > 5 ? ` and ${ips.length - 5} more` : '') } });
    };
  },
});
