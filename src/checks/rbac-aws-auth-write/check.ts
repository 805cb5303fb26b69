/** rbac-aws-auth-write: on EKS, the aws-auth ConfigMap maps IAM identities to Kubernetes users and groups. */
import { dangerCheck } from '../rbac-danger.js';

// What it probes, its title and severities are its entry in the RBAC engine's danger catalogue (engines/rbac/dangers.ts).
export const rbacAwsAuthWrite = dangerCheck('rbac-aws-auth-write', {
  description:
    'On Amazon EKS the ConfigMap kube-system/aws-auth maps IAM roles and users to Kubernetes users and groups. Whoever may update or patch it can map an IAM identity they control to `system:masters` — an unrevocable cluster-admin — and lock everyone else out. Rules limited to other ConfigMap names do not grant it.',
  remediation: 'Move EKS clusters to access entries (authentication mode API) and delete aws-auth; until then grant configmap writes in kube-system only to cluster administrators, with resourceNames that exclude aws-auth.',
  references: { mitre: ['T1078', 'T1098.006'], urls: ['https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html', 'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html'] },
});
