/** rbac-service-write: creating or changing Services and Ingresses redirects and exposes traffic. */
import { probeCheck } from '../rbac-probe-check.js';

export const rbacServiceWrite = probeCheck({
  id: 'rbac-service-write',
  title: 'Can create or change Services and Ingresses',
  what: 'create or change Services, Ingresses or Gateway routes (expose pods, intercept traffic with externalIPs)',
  description:
    'Services and Ingresses decide where traffic goes. A subject that may create or change them can publish any pod of the namespace to the internet (NodePort, LoadBalancer, an Ingress rule), take over a host name another team serves, or — with externalIPs — intercept traffic meant for any address (CVE-2020-8554).',
  severity: { cluster: 'medium', namespace: 'low' },
  probes: [
    { verbs: ['create', 'update', 'patch'], group: '', resource: 'services' },
    { verbs: ['create', 'update', 'patch'], group: 'networking.k8s.io', resource: 'ingresses' },
    { verbs: ['create', 'update', 'patch'], group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  ],
  remediation: 'Grant Service and Ingress writes only to deployers of the namespace; refuse externalIPs (DenyServiceExternalIPs) and exposed Service types by admission policy.',
  references: { mitre: ['T1133'], urls: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
});
