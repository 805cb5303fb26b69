/** workload-default-namespace: workloads placed in the `default` namespace, explicitly or by having no namespace. */
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';

export const workloadDefaultNamespace = defineCheck({
  id: 'workload-default-namespace',
  meta: {
    title: 'Workload in the default namespace',
    description:
      'The `default` namespace is where everything lands that nobody placed deliberately. Workloads there share one set of RBAC grants, NetworkPolicies, quotas and Pod Security labels with every stray object, so none of them can be tailored, and a mistake elsewhere spills into them.',
    severity: 'low',
    category: 'namespace',
    kinds: POD_SPEC_KINDS,
    messages: {
      explicit: 'is placed in the "default" namespace',
      none: 'has no namespace: it lands in the namespace of the kubectl context (or of `helm install -n`), which is "default" unless one is set',
    },
    remediation: 'Create a namespace per application or team, set `metadata.namespace` (or the kustomize/Helm namespace) explicitly, and give the namespace its own RBAC, NetworkPolicies, quotas and Pod Security labels.',
    references: {
      cis: ['5.6.1', '5.6.4'],
      nsa: ['Network separation and hardening: namespaces'],
      urls: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const ns = obj.metadata.namespace;
      if (ns === 'default') ctx.report({ messageId: 'explicit', object: obj, path: 'metadata.namespace' });
      else if (ns === undefined) ctx.report({ messageId: 'none', object: obj, path: 'metadata.namespace', severity: 'info' });
    };
  },
});
