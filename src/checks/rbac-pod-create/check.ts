/** rbac-pod-create: Whoever can create pods in a namespace — directly or through any controller (Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob, ReplicationController) — can run them as any service account of that namespace and mount any of its Secrets, so they hold every permission of every service account there. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacPodCreate = dangerCheck('rbac-pod-create', {
  description:
    "Whoever can create pods in a namespace \u2014 directly or through any controller (Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob, ReplicationController) \u2014 can run them as any service account of that namespace and mount any of its Secrets, so they hold every permission of every service account there. Without an enforcing Pod Security level they can also start privileged pods and take the node.",
  remediation: "Limit pod and workload creation to deployment pipelines and namespace owners; enforce Pod Security Admission (restricted) in every namespace; keep powerful service accounts in namespaces where few can create pods.",
  references: {cis: ["5.1.4"], mitre: ["T1610"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation"]},
});
