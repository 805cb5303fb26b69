/**
 * namespace-pss-unlabeled: Namespaces that do not enforce a Pod Security Standard — no
 * `pod-security.kubernetes.io/enforce` label, or `privileged` — and labels admission cannot read.
 */
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const LEVELS = new Set(['privileged', 'baseline', 'restricted']);

export const namespacePssUnlabeled = defineCheck({
  id: 'namespace-pss-unlabeled',
  meta: {
    title: 'Namespace does not enforce Pod Security Standards',
    description:
      'Pod Security Admission enforces the level named by a namespace\'s `pod-security.kubernetes.io/enforce` label. Without the label the cluster-wide default applies, which is `privileged` — no restriction at all — unless the API server was configured otherwise. Any identity that may create pods there can then start privileged, host-namespace pods and take over the node.',
    severity: 'medium',
    category: 'namespace',
    kinds: ['Namespace'],
    messages: {
      unlabeled: 'namespace "{{namespace}}" has no {{label}} label{{others}}: the cluster default applies, which is privileged unless configured otherwise',
      privileged: 'namespace "{{namespace}}" enforces the privileged level: pods there may be privileged and use host namespaces and paths',
      invalid: 'namespace "{{namespace}}" has {{label}}="{{value}}", which is not a level: Pod Security Admission rejects namespaces labelled so, and judges pods of an existing one at restricted',
    },
    remediation:
      'Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where restricted is not yet possible), pin `enforce-version`, and keep `privileged` for the few namespaces of node-level system components.',
    references: {
      pss: ['privileged', 'baseline', 'restricted'],
      cis: ['5.2.1'],
      nsa: ['Pod security: Pod Security Admission'],
      mitre: ['T1610', 'T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/', 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      const labels = obj.metadata.labels;
      const value = labels[ENFORCE];
      const namespace = obj.metadata.name;
      const path = joinPath('metadata', 'labels', ENFORCE);
      if (value === undefined) {
        const modes = ['warn', 'audit'].filter((m) => labels[`pod-security.kubernetes.io/${m}`] !== undefined);
        const others = modes.length > 0 ? ` (only ${modes.join(' and ')}, which never reject a pod)` : '';
        ctx.report({ messageId: 'unlabeled', data: { namespace, label: ENFORCE, others }, object: obj, path: 'metadata.labels' });
      } else if (value === 'privileged') {
        ctx.report({ messageId: 'privileged', data: { namespace }, object: obj, path, severity: 'low' });
      } else if (!LEVELS.has(value)) {
        ctx.report({ messageId: 'invalid', data: { namespace, label: ENFORCE, value }, object: obj, path, severity: 'info' });
      }
    };
  },
});
