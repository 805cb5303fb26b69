/** rbac-aws-auth-write: on EKS, the aws-auth ConfigMap maps IAM identities to Kubernetes users and groups. */
import { probeCheck } from '../rbac-probe-check.js';

export const rbacAwsAuthWrite = probeCheck({
  id: 'rbac-aws-auth-write',
  title: 'Can change the EKS aws-auth ConfigMap',
  what: 'change ConfigMaps in kube-system, aws-auth included (on EKS: map any IAM identity to system:masters)',
  description:
    'On Amazon EKS the ConfigMap kube-system/aws-auth maps IAM roles and users to Kubernetes users and groups. Whoever may update or patch it can map an IAM identity they control to `system:masters` — an unrevocable cluster-admin — and lock everyone else out. Rules limited to other ConfigMap names do not grant it.',
  severity: { cluster: 'high', namespace: 'high' },
  probes: [{ verbs: ['update', 'patch', 'delete', 'create'], group: '', resource: 'configmaps' }],
  namespaces: ['kube-system'],
  names: ['aws-auth'],
  remediation: 'Move EKS clusters to access entries (authentication mode API) and delete aws-auth; until then grant configmap writes in kube-system only to cluster administrators, with resourceNames that exclude aws-auth.',
  references: { mitre: ['T1078', 'T1098.006'], urls: ['https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html', 'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html'] },
});
