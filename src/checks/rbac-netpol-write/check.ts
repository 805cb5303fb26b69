/** rbac-netpol-write: changing NetworkPolicies removes network isolation. */
import { dangerCheck } from '../rbac-danger.js';

// What it probes, its title and severities are its entry in the RBAC engine's danger catalogue (engines/rbac/dangers.ts).
export const rbacNetpolWrite = dangerCheck('rbac-netpol-write', {
  description:
    'NetworkPolicies are the pods\' firewall. A subject that may create, update or delete them can open a pod to the internet or to every other namespace, or lift the egress restrictions that keep a compromised pod from calling home or reaching the cloud metadata service.',
  remediation: 'Let only platform or security administrators change NetworkPolicies; manage them through reviewed GitOps changes, and watch for changes in the audit log.',
  references: { mitre: ['T1562'], nsa: ['Network separation and hardening: network policies'], urls: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'] },
});
