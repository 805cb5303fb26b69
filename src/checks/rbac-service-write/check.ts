/** rbac-service-write: creating or changing Services and Ingresses redirects and exposes traffic. */
import { dangerCheck } from '../rbac-danger.js';

// What it probes, its title and severities are its entry in the RBAC engine's danger catalogue (engines/rbac/dangers.ts).
export const rbacServiceWrite = dangerCheck('rbac-service-write', {
  description:
    'Services and Ingresses decide where traffic goes. A subject that may create or change them can publish any pod of the namespace to the internet (NodePort, LoadBalancer, an Ingress rule), take over a host name another team serves, or — with externalIPs — intercept traffic meant for any address (CVE-2020-8554).',
  remediation: 'Grant Service and Ingress writes only to deployers of the namespace; refuse externalIPs (DenyServiceExternalIPs) and exposed Service types by admission policy.',
  references: { mitre: ['T1133'], urls: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
});
