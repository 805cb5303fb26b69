/** audit-coverage-blind: The audit policy makes a Falco detection impossible. */
import { defineCheck } from '../../framework/define.js';
import { FALCO_RULE_COVERAGE, readCoverage } from '../../engines/falco/objects.js';

export const auditCoverageBlind = defineCheck({
  id: 'audit-coverage-blind',
  meta: {
    title: "The audit policy makes a Falco detection impossible",
    description: "A Falco k8s_audit rule cannot fire, for some or all of the requests it watches, because the audit policy does not record what it reads: the request is logged at level None, the stage the rule needs is omitted (ResponseStarted for exec and attach), or the rule reads the request or response body and the policy logs below Request or RequestResponse. The detection is silently off.",
    severity: 'medium',
    category: 'audit',
    kinds: [FALCO_RULE_COVERAGE],
    messages: { coverage: 'Falco rule "{{rule}}" is {{status}}: {{summary}}' },
    remediation: "Raise the level of the policy rule named in the finding for these requests (Request for rules reading ka.req.*, RequestResponse for ka.resp.*), or stop omitting the stage; then run kspect audit coverage again.",
    references: { urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/', 'https://github.com/falcosecurity/plugins/tree/main/plugins/k8saudit'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const c = readCoverage(obj);
      if (!c || !['blind', 'partial'].includes(c.status)) return;
      ctx.report({
        messageId: 'coverage',
        data: { rule: c.rule, status: c.status === 'partial' ? 'blind for some requests' : c.status === 'blind' ? 'blind' : c.status, summary: c.summary },
        object: obj,
        resource: { apiVersion: 'kspect.dev/v1alpha1', kind: 'FalcoRuleCoverage', name: c.rule },
        path: `rule ${c.rule}`,
        severity: c.status === 'partial' ? 'low' : 'medium',
        evidence: c.gaps.slice(0, 3).map((g) => `${g.request} by ${g.who} (${g.stage}): ${g.reason}`).join('; '),
      });
    };
  },
});
