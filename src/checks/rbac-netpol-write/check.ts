/** rbac-netpol-write: changing NetworkPolicies removes network isolation. */
import { probeCheck } from '../rbac-probe-check.js';

export const rbacNetpolWrite = probeCheck({
  id: 'rbac-netpol-write',
  title: 'Can change NetworkPolicies',
  what: 'create, change or delete NetworkPolicies (open the network isolation of pods)',
  description:
    'NetworkPolicies are the pods\' firewall. A subject that may create, update or delete them can open a pod to the internet or to every other namespace, or lift the egress restrictions that keep a compromised pod from calling home or reaching the cloud metadata service.',
  severity: { cluster: 'medium', namespace: 'low' },
  probes: [{ verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'], group: 'networking.k8s.io', resource: 'networkpolicies' }],
  remediation: 'Let only platform or security administrators change NetworkPolicies; manage them through reviewed GitOps changes, and watch for changes in the audit log.',
  references: { mitre: ['T1562'], nsa: ['Network separation and hardening: network policies'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'] },
});
