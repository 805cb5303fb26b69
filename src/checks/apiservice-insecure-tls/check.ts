/** apiservice-insecure-tls: aggregated APIServices that the API server reaches without verifying TLS. */
import { getBool, getObject, getString } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

export const apiserviceInsecureTls = defineCheck({
  id: 'apiservice-insecure-tls',
  meta: {
    title: 'APIService skips TLS verification',
    description:
      'An aggregated APIService with `insecureSkipTLSVerify: true` makes kube-apiserver proxy requests — with the caller\'s identity in headers it trusts — to the backing Service without verifying its certificate. Whoever can answer on that Service address (a pod that takes over its endpoints, a spoofed address on the pod network) serves the whole API group to every client and receives the proxied user identities.',
    severity: 'medium',
    category: 'control-plane',
    kinds: ['APIService'],
    messages: { insecure: 'APIService {{name}} is reached over TLS without verification (insecureSkipTLSVerify: true){{backend}}' },
    remediation: 'Set `spec.caBundle` to the CA that signed the serving certificate of the backing Service (cert-manager\'s CA injector or the chart\'s generated certificate can fill it) and remove `insecureSkipTLSVerify`.',
    references: {
      urls: ['https://kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/', 'https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/api-service-v1/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (!obj.apiVersion.startsWith('apiregistration.k8s.io/')) return;
      const spec = getObject(obj.raw, 'spec');
      if (getBool(spec, 'insecureSkipTLSVerify') !== true) return;
      const svc = getObject(spec, 'service');
      const name = getString(svc, 'name');
      const backend = name !== undefined ? ` to Service ${getString(svc, 'namespace') ?? 'default'}/${name}` : '';
      ctx.report({ messageId: 'insecure', object: obj, path: 'spec.insecureSkipTLSVerify', data: { name: obj.metadata.name, backend } });
    };
  },
});
