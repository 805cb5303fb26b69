/** rbac-pod-exec: exec, attach and port-forward run commands in, or open connections into, running containers — with their service-account token, their Secrets and their network position. */
import { dangerCheck } from '../rbac-danger.js';

export const rbacPodExec = dangerCheck('rbac-pod-exec', {
  description:
    "exec, attach and port-forward run commands in, or open connections into, running containers \u2014 with their service-account token, their Secrets and their network position. Adding ephemeral containers does the same. From Kubernetes 1.35 these need create; before, get sufficed (kubectl uses WebSocket upgrades, which are GET requests), so older clusters are judged with --k8s-version.",
  remediation: "Grant pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers only to operators who need interactive access, in specific namespaces, and audit their use.",
  references: {mitre: ["T1609"], urls: ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalation-risks"]},
});
