/** audit-coverage-degraded: A Falco detection fires without seeing what it checks. */
import { defineCheck } from '../../framework/define.js';
import { FALCO_RULE_COVERAGE, readCoverage } from '../../engines/falco/objects.js';

export const auditCoverageDegraded = defineCheck({
  id: 'audit-coverage-degraded',
  meta: {
    title: "A Falco detection fires without seeing what it checks",
    description: "A Falco k8s_audit rule reads a request or response body the audit policy does not record, but its condition can still be true without it: the rule fires on requests it was meant to tell apart (a negated allow-list check becomes always true), producing alerts it cannot justify.",
    severity: 'low',
    category: 'audit',
    kinds: [FALCO_RULE_COVERAGE],
    messages: { coverage: 'Falco rule "{{rule}}" cannot see what it checks: {{summary}}' },
    remediation: "Raise the level of the policy rule named in the finding for these requests to what the rule reads (Request or RequestResponse).",
    references: { urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const c = readCoverage(obj);
      if (!c || !['degraded'].includes(c.status)) return;
      ctx.report({
        messageId: 'coverage',
        data: { rule: c.rule, status: c.status === 'partial' ? 'blind for some requests' : c.status === 'blind' ? 'blind' : c.status, summary: c.summary },
        object: obj,
        resource: { apiVersion: 'kspect.dev/v1alpha1', kind: 'FalcoRuleCoverage', name: c.rule },
        path: `rule ${c.rule}`,
        
        evidence: c.gaps.slice(0, 3).map((g) => `${g.request} by ${g.who} (${g.stage}): ${g.reason}`).join('; '),
      });
    };
  },
});
