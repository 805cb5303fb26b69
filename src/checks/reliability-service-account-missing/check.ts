/** reliability-service-account-missing: pods that name a ServiceAccount the input does not hold. */
import { getString } from '../../model/object.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const reliabilityServiceAccountMissing = defineCheck({
  id: 'reliability-service-account-missing',
  meta: {
    title: 'ServiceAccount not in the input',
    description:
      'A pod that names a ServiceAccount which does not exist is refused by the ServiceAccount admission plugin: the workload never starts. Usually a renamed account or one created by another part of the install that was left out.',
    severity: 'low',
    category: 'reliability',
    reads: ['ServiceAccount'],
    kinds: POD_SPEC_KINDS,
    messages: { missing: 'pod runs as ServiceAccount {{namespace}}/{{name}}, which is not in the input (the input has other ServiceAccounts of the namespace)' },
    remediation: 'Add the ServiceAccount to the manifests, or correct `serviceAccountName`.',
    references: { urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/'] },
    recommended: false,
  },
  create(ctx) {
    let byNs: Map<string, Set<string>> | undefined;
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      const field = getString(view.spec, 'serviceAccountName') !== undefined ? 'serviceAccountName' : getString(view.spec, 'serviceAccount') !== undefined ? 'serviceAccount' : undefined;
      if (field === undefined) return;
      const name = getString(view.spec, field) ?? '';
      if (name === '' || name === 'default') return;
      if (!byNs) {
        byNs = new Map();
        for (const sa of ctx.inventory.ofKind('ServiceAccount')) {
          const n = sa.metadata.namespace ?? 'default';
          const set = byNs.get(n) ?? new Set<string>();
          set.add(sa.metadata.name);
          byNs.set(n, set);
        }
      }
      const namespace = obj.metadata.namespace ?? 'default';
      const known = byNs.get(namespace);
      // Only where the input holds the namespace's ServiceAccounts: otherwise it is partial input.
      if (!known || known.has(name)) return;
      ctx.report({ messageId: 'missing', object: obj, path: `${view.path}.${field}`, data: { namespace, name } });
    };
  },
});
