/** rbac-pv-create: A PersistentVolume can point at any hostPath of a node; whoever can create PersistentVolumes (and a claim to bind them) can mount the node's filesystem into a pod, bypassing Pod Security restrictions on hostPath volumes. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacPvCreate = dangerCheck('rbac-pv-create', {
  description:
    "A PersistentVolume can point at any hostPath of a node; whoever can create PersistentVolumes (and a claim to bind them) can mount the node's filesystem into a pod, bypassing Pod Security restrictions on hostPath volumes.",
  remediation: "Let a storage provisioner create PersistentVolumes; users should only create PersistentVolumeClaims.",
  references: {cis: ["5.1.9"], mitre: ["T1611"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation"]},
});
