/**
 * The template of the audit-policy-* checks (kube-linter style): each reports the load problems or lint issues of
 * one kind from the analysis of the AuditPolicyFile objects (src/engines/audit-policy/objects.ts), at the line of
 * the rule or field in the policy file.
 */
import { AUDIT_POLICY_FILE, auditPolicyAnalysis, issueLine } from '../../engines/audit-policy/objects.js';
import type { LintCode } from '../../engines/audit-policy/lint.js';
import type { PolicyProblemCode } from '../../engines/audit-policy/load.js';
import { defineCheck, type Check, type CheckMeta } from '../../framework/define.js';

type Meta = Omit<CheckMeta<'issue', undefined>, 'kinds' | 'messages' | 'category' | 'recommended'>;

/** A check over lint issues of these codes. */
export function policyLintCheck(id: string, codes: readonly LintCode[], meta: Meta): Check<'issue', undefined> {
  return defineCheck({
    id,
    meta: { ...meta, category: 'audit', kinds: [AUDIT_POLICY_FILE], messages: { issue: '{{message}}' }, recommended: false },
    create(ctx) {
      return (obj) => {
        const a = ctx.engine(auditPolicyAnalysis).get(obj);
        if (!a) return;
        for (const i of a.issues) {
          if (!codes.includes(i.code)) continue;
          const location = a.locate(issueLine(a, i));
          ctx.report({ messageId: 'issue', data: { message: i.message }, object: obj, resource: a.resource, source: a.source, path: i.path, severity: i.severity, ...(location ? { location } : {}) });
        }
      };
    },
  });
}

/** A check over load problems: errors (the server refuses the file) or warnings (it ignores part of it). */
export function policyLoadCheck(id: string, severity: 'error' | 'warning', codes: readonly PolicyProblemCode[] | 'all', meta: Meta): Check<'issue', undefined> {
  return defineCheck({
    id,
    meta: { ...meta, category: 'audit', kinds: [AUDIT_POLICY_FILE], messages: { issue: '{{message}}' }, recommended: false },
    create(ctx) {
      return (obj) => {
        const a = ctx.engine(auditPolicyAnalysis).get(obj);
        if (!a) return;
        for (const p of a.loaded.problems) {
          if (p.severity !== severity || (codes !== 'all' && !codes.includes(p.code))) continue;
          const rule = p.rule !== undefined ? `rule ${p.rule}: ` : '';
          const location = a.locate(issueLine(a, p));
          ctx.report({ messageId: 'issue', data: { message: `${rule}${p.message}` }, object: obj, resource: a.resource, source: a.source, path: p.path === '' ? '(file)' : p.path, ...(location ? { location } : {}) });
        }
      };
    },
  });
}
