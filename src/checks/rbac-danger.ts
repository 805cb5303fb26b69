/**
 * The shape shared by the dangerous-permission checks (`rbac-secrets-read`, `rbac-pod-create`, …): each
 * visits the RoleBindings and ClusterRoleBindings and reports the ones whose role grants its danger to a
 * subject that is not a Kubernetes component, with the role and rule that grant it.
 */
import type { References } from '../core/finding.js';
import type { Severity } from '../core/severity.js';
import { rbacEngine } from '../engines/rbac/index.js';
import { allDangers, findDangers, isSystemSubject, ruleDisplay, subjectDisplay, type DangerHit } from '../engines/rbac/index.js';
import { missingRoleText, type RbacIndex } from '../engines/rbac/authorizer.js';
import type { K8sObject } from '../model/object.js';
import { defineCheck, type Check } from '../framework/define.js';

const hitsByIndex = new WeakMap<RbacIndex, Map<K8sObject, DangerHit[]>>();

/** Dangers of the index, grouped by the binding object that grants them (computed once per index). */
export function dangerHitsOf(index: RbacIndex): Map<K8sObject, DangerHit[]> {
  let m = hitsByIndex.get(index);
  if (m) return m;
  m = new Map();
  for (const h of findDangers(index)) {
    const obj = h.binding.record.object;
    if (!obj || h.binding.record.isDefault) continue;
    const list = m.get(obj);
    if (list) list.push(h);
    else m.set(obj, [h]);
  }
  hitsByIndex.set(index, m);
  return m;
}

export interface DangerCheckDocs {
  readonly description: string;
  readonly remediation: string;
  readonly references: References;
  readonly recommended?: boolean;
}

/** Define the check for one danger of the catalogue. */
export function dangerCheck(id: string, docs: DangerCheckDocs): Check<'granted'> {
  const spec = allDangers().find((d) => d.id === id);
  if (!spec) throw new Error(`no RBAC danger ${id}`);
  const severity: Severity = spec.severity.cluster;
  return defineCheck({
    id,
    meta: {
      title: spec.title,
      description: docs.description,
      severity,
      category: 'rbac',
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
      messages: { granted: '{{subjects}} can {{what}} {{scope}}, through {{role}} rules[{{rule}}] ({{ruleText}})' },
      remediation: docs.remediation,
      references: docs.references,
      recommended: docs.recommended ?? true,
    },
    create(ctx) {
      return (obj) => {
        // Built on the first binding (once per run): a run without RBAC objects never builds the index.
        const index = ctx.engine(rbacEngine);
        const b = index.bindingOf(obj);
        if (b?.unresolved === 'missing-role' && !b.record.isDefault && b.record.subjects.length > 0) {
          // One item per binding in the report, not one per RBAC check (shared with rbac-escalation-path).
          ctx.notEvaluated({ reason: 'missing-input', object: obj, shared: true, message: missingRoleText(b) });
          return;
        }
        for (const h of dangerHitsOf(index).get(obj) ?? []) {
          if (h.danger.id !== id) continue;
          const subjects = h.subjects.filter((s) => !isSystemSubject(s));
          if (subjects.length === 0) continue;
          ctx.report({
            messageId: 'granted',
            object: obj,
            path: 'roleRef',
            severity: h.scope === 'cluster' ? h.danger.severity.cluster : h.danger.severity.namespace,
            data: {
              subjects: subjects.map(subjectDisplay).join(', '),
              what: h.danger.what,
              scope: h.scope === 'cluster' ? 'cluster-wide' : `in namespace ${h.scope}`,
              role: h.role.display,
              rule: h.rule.index,
              ruleText: ruleDisplay(h.rule.rule),
            },
          });
        }
      };
    },
  });
}
