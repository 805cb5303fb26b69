/** audit-falco-alert: Falco k8saudit rule raised an alert on the audit log. */
import { defineCheck } from '../../framework/define.js';
import { FALCO_ALERT, alertResource, alertSource, readAlert, severityOfPriority } from '../../engines/falco/objects.js';

export const auditFalcoAlert = defineCheck({
  id: 'audit-falco-alert',
  meta: {
    title: "Falco k8saudit rule raised an alert on the audit log",
    description: "A rule of Falco's k8s_audit ruleset (or of your --rules files) matched a request in the audit log: an anonymous request that was allowed, an exec into a pod, a privileged or host-mounting pod created, a binding to cluster-admin, a ClusterRole with wildcards, a Secret read, and so on. The finding's severity follows the rule's priority (CRITICAL and above: critical, ERROR: high, WARNING: medium, NOTICE: low, INFO and DEBUG: info). Dry runs and the API server's own requests are reported apart (audit-falco-alert-internal).",
    severity: 'medium',
    category: 'audit',
    kinds: [FALCO_ALERT],
    messages: { alert: '{{rule}}: {{output}}' },
    remediation: "Investigate the request named in the finding (auditID, user, time). If the activity is expected, tune the rule as Falco users do: append to its allow-list (e.g. allowed_k8s_users) or override its macro in a --rules file, or suppress the finding in .kspect.yaml.",
    references: { mitre: ['T1609', 'T1610', 'T1098.006'], urls: ['https://github.com/falcosecurity/plugins/tree/main/plugins/k8saudit'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const a = readAlert(obj);
      if (!a || !['request'].includes(a.origin)) return;
      const why = a.origin === 'dry-run' ? 'dry run: nothing was changed' : a.origin === 'api-server' ? "the API server's own request" : '';
      ctx.report({
        messageId: 'alert',
        data: { rule: a.rule, output: a.output, why },
        object: obj,
        resource: alertResource(a),
        source: alertSource(a),
        path: `auditID ${a.auditID}`,
        severity: severityOfPriority(a.priority),
        evidence: `${a.time} ${a.user} ${a.verb} ${a.requestURI} (auditID ${a.auditID}, stage ${a.stage}, priority ${a.priority})`,
      });
    };
  },
});
