/** audit-falco-alert-internal: Falco rule matched a dry run or the API server's own request. */
import { defineCheck } from '../../framework/define.js';
import { FALCO_ALERT, alertResource, alertSource, readAlert } from '../../engines/falco/objects.js';

export const auditFalcoAlertInternal = defineCheck({
  id: 'audit-falco-alert-internal',
  meta: {
    title: "Falco rule matched a dry run or the API server's own request",
    description: "A Falco k8s_audit rule matched a request that changed nothing (a server-side dry run, `?dryRun=All`) or that kube-apiserver made itself (user system:apiserver: its bootstrap of default namespaces, roles and bindings). Falco alerts on these like on any request; kspect reports them apart so they are neither lost nor mixed with real changes.",
    severity: 'info',
    category: 'audit',
    kinds: [FALCO_ALERT],
    messages: { alert: '{{rule}} ({{why}}): {{output}}' },
    remediation: "Nothing to fix in most cases; a dry run shows what someone tried, so check who ran it if the rule is sensitive.",
    references: { urls: ['https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const a = readAlert(obj);
      if (!a || !['dry-run', 'api-server'].includes(a.origin)) return;
      const why = a.origin === 'dry-run' ? 'dry run: nothing was changed' : a.origin === 'api-server' ? "the API server's own request" : '';
      ctx.report({
        messageId: 'alert',
        data: { rule: a.rule, output: a.output, why },
        object: obj,
        resource: alertResource(a),
        source: alertSource(a),
        path: `auditID ${a.auditID}`,
        
        evidence: `${a.time} ${a.user} ${a.verb} ${a.requestURI} (auditID ${a.auditID}, stage ${a.stage}, priority ${a.priority})`,
      });
    };
  },
});
