/**
 * pod-sa-token-automount: pods that get a ServiceAccount token mounted although nothing says they
 * talk to the Kubernetes API. Deliberate choices (an explicit `true`, a ServiceAccount bound by RBAC)
 * are reported as information only.
 */
import { podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { automountOf, boundServiceAccounts, nsKey, serviceAccountIndex, serviceAccountOf, tokenPathShadowed } from '../../model/serviceaccount.js';
import { defineCheck } from '../../framework/define.js';

export const podSaTokenAutomount = defineCheck({
  id: 'pod-sa-token-automount',
  meta: {
    title: 'Service-account token mounted without need',
    description:
      'Unless told otherwise, Kubernetes mounts a token of the pod\'s ServiceAccount into every container. An attacker who gets code execution in any container can read it and call the API server with the account\'s permissions. Most applications never call the API and should not carry the token.',
    severity: 'medium',
    category: 'workload',
    reads: ['ServiceAccount', 'RoleBinding', 'ClusterRoleBinding'],
    kinds: POD_SPEC_KINDS,
    messages: {
      defaulted: 'mounts a token of service account "{{sa}}" by default (automountServiceAccountToken is not set on the pod{{saNote}})',
      podTrue: 'mounts a token of service account "{{sa}}": the pod sets automountServiceAccountToken: true (a deliberate choice)',
      saTrue: 'mounts a token of service account "{{sa}}": the ServiceAccount sets automountServiceAccountToken: true (a deliberate choice)',
      bound: 'mounts a token of service account "{{sa}}", which RoleBindings in the input grant permissions to (the pod apparently uses the API)',
    },
    remediation:
      'Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount) unless the application calls the Kubernetes API; pods that need it should use a dedicated ServiceAccount with least-privilege RBAC.',
    references: {
      cis: ['5.1.6'],
      nsa: ['Authentication and authorization: service account tokens'],
      mitre: ['T1528', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
    },
    recommended: true,
  },
  create(ctx) {
    const accounts = serviceAccountIndex(ctx.inventory);
    const bound = boundServiceAccounts(ctx.inventory);
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      const sa = serviceAccountOf(view).name;
      const key = nsKey(obj.metadata.namespace, sa);
      const saObj = accounts.get(key);
      const decision = automountOf(view, saObj);
      if (!decision.value || tokenPathShadowed(view)) return;
      if (decision.by === 'pod') {
        ctx.report({ messageId: 'podTrue', data: { sa }, object: obj, path: decision.path, severity: 'info' });
      } else if (decision.by === 'serviceaccount') {
        ctx.report({ messageId: 'saTrue', data: { sa }, object: obj, path: decision.path, severity: 'info' });
      } else if (bound.has(key)) {
        ctx.report({ messageId: 'bound', data: { sa }, object: obj, path: decision.path, severity: 'info' });
      } else {
        ctx.report({ messageId: 'defaulted', data: { sa, saNote: saObj ? ' nor on the ServiceAccount' : '' }, object: obj, path: decision.path });
      }
    };
  },
});
