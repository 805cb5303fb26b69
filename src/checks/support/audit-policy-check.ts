/**
 * The template of the audit-policy-* checks (kube-linter style): each reports the load problems or lint issues of
 * one kind from the analysis of the AuditPolicyFile objects (src/engines/audit-policy/objects.ts), at the line of
 * the rule or field in the policy file.
 *
 * Baselines: a finding about a rule is fingerprinted by the rule's content (and, for identical rules, which of them),
 * not by its index, plus the case it is about (`Secrets`, `pod creation` …) — so inserting or removing other rules
 * above it leaves the fingerprint as it was, while a changed rule, or a new case on the same rule, is a new finding.
 */
import { AUDIT_POLICY_FILE, auditPolicyAnalysis, issueLine } from '../../engines/audit-policy/objects.js';
import type { LintCode } from '../../engines/audit-policy/lint.js';
import type { PolicyProblemCode } from '../../engines/audit-policy/load.js';
import type { AuditPolicy } from '../../engines/audit-policy/types.js';
import { defineCheck, type Check, type CheckMeta } from '../../framework/define.js';

/** FNV-1a, 32 bits, as 8 hex digits: a short stable name for a rule's content (no I/O, no crypto needed). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const ruleKeysOf = new WeakMap<AuditPolicy, readonly string[]>();

/** `rule(1a2b3c4d)`, `rule(1a2b3c4d)#2` for the second identical rule: each rule by its content, in policy order. */
export function ruleKeys(policy: AuditPolicy): readonly string[] {
  let keys = ruleKeysOf.get(policy);
  if (keys) return keys;
  const seen = new Map<string, number>();
  keys = policy.rules.map(({ index: _index, ...content }) => {
    const hash = fnv1a(JSON.stringify(content));
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `rule(${hash})${n > 1 ? `#${n}` : ''}`;
  });
  ruleKeysOf.set(policy, keys);
  return keys;
}

/** The baseline key of an issue at `path` (`rules[3].level` → `rule(…).level`), with its case. */
export function issueKey(policy: AuditPolicy | undefined, path: string, subject?: string): string {
  const keys = policy ? ruleKeys(policy) : [];
  const m = /^rules\[(\d+)\]/.exec(path);
  const key = m !== null && keys[Number(m[1])] !== undefined ? `${keys[Number(m[1])] ?? ''}${path.slice(m[0].length)}` : path;
  return subject !== undefined ? `${key}:${subject}` : key;
}

type Meta = Omit<CheckMeta<'issue', undefined>, 'kinds' | 'messages' | 'category' | 'recommended'>;

/** A check over lint issues of these codes. */
export function policyLintCheck(id: string, codes: readonly LintCode[], meta: Meta): Check<'issue', undefined> {
  return defineCheck({
    id,
    meta: { ...meta, category: 'audit', kinds: [AUDIT_POLICY_FILE], reads: [AUDIT_POLICY_FILE], messages: { issue: '{{message}}' }, recommended: false },
    create(ctx) {
      return (obj) => {
        const a = ctx.engine(auditPolicyAnalysis).get(obj);
        if (!a) return;
        for (const i of a.issues) {
          if (!codes.includes(i.code)) continue;
          const location = a.locate(issueLine(a, i));
          // "No catch-all" is about the policy, not about whichever rule happens to be last.
          const key = i.code === 'no-catch-all' ? 'no-catch-all' : issueKey(a.loaded.policy, i.path, i.subject);
          ctx.report({ messageId: 'issue', data: { message: i.message }, object: obj, resource: a.resource, source: a.source, path: i.path, key, severity: i.severity, ...(location ? { location } : {}) });
        }
      };
    },
  });
}

/** A check over load problems: errors (the server refuses the file) or warnings (it ignores part of it). */
export function policyLoadCheck(id: string, severity: 'error' | 'warning', codes: readonly PolicyProblemCode[] | 'all', meta: Meta): Check<'issue', undefined> {
  return defineCheck({
    id,
    meta: { ...meta, category: 'audit', kinds: [AUDIT_POLICY_FILE], reads: [AUDIT_POLICY_FILE], messages: { issue: '{{message}}' }, recommended: false },
    create(ctx) {
      return (obj) => {
        const a = ctx.engine(auditPolicyAnalysis).get(obj);
        if (!a) return;
        for (const p of a.loaded.problems) {
          if (p.severity !== severity || (codes !== 'all' && !codes.includes(p.code))) continue;
          const rule = p.rule !== undefined ? `rule ${p.rule}: ` : '';
          const location = a.locate(issueLine(a, p));
          const path = p.path === '' ? '(file)' : p.path;
          ctx.report({ messageId: 'issue', data: { message: `${rule}${p.message}` }, object: obj, resource: a.resource, source: a.source, path, key: issueKey(a.loaded.policy, path), ...(location ? { location } : {}) });
        }
      };
    },
  });
}
