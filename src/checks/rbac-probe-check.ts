/**
 * Permission checks defined by probes, beside the danger catalogue of `rbac-danger.ts`: each visits the RoleBindings
 * and ClusterRoleBindings and reports those whose role grants one of its probes to a subject that is not a
 * Kubernetes component. Roles with full access are left to `rbac-cluster-admin-binding`, which states it once.
 */
import type { References } from '../core/finding.js';
import type { Severity } from '../core/severity.js';
import { isFullAccessRule, isSystemSubject, probeGrant, rbacEngine, ruleDisplay, subjectDisplay, subjectOf, type CompiledRule, type Probe } from '../engines/rbac/index.js';
import { defineCheck, type Check, type CheckCategory } from '../framework/define.js';

export interface ProbeCheckSpec {
  readonly id: string;
  readonly title: string;
  /** Completes "SUBJECT can …". */
  readonly what: string;
  readonly description: string;
  readonly remediation: string;
  readonly references: References;
  readonly severity: { readonly cluster: Severity; readonly namespace: Severity };
  readonly probes: readonly Probe[];
  /** Namespaces where a RoleBinding grants the danger (default: any); ClusterRoleBindings always do. */
  readonly namespaces?: readonly string[];
  /** Only rules that name one of these objects, or no object at all, grant the danger. */
  readonly names?: readonly string[];
  /** Rules limited to named objects do not count. */
  readonly ignoreNamed?: boolean;
  /** The probes apply only from this Kubernetes minor on (older versions: nothing to report). */
  readonly sinceMinor?: number;
  readonly recommended?: boolean;
  readonly category?: CheckCategory;
}

function grants(r: CompiledRule, p: Probe, spec: ProbeCheckSpec): boolean {
  const g = probeGrant(r, p);
  if (g === undefined) return false;
  if (g === 'named') {
    if (spec.ignoreNamed === true) return false;
    if (spec.names !== undefined) return (r.names ?? []).some((n) => spec.names?.includes(n) === true);
  }
  return true;
}

/** Define a check from a probe specification. */
export function probeCheck(spec: ProbeCheckSpec): Check<'granted'> {
  return defineCheck({
    id: spec.id,
    meta: {
      title: spec.title,
      description: spec.description,
      severity: spec.severity.cluster,
      category: spec.category ?? 'rbac',
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
      messages: { granted: '{{subjects}} can {{what}} {{scope}}, through {{role}} rules[{{rule}}] ({{ruleText}})' },
      remediation: spec.remediation,
      references: spec.references,
      recommended: spec.recommended ?? true,
    },
    create(ctx) {
      const minor = Number(/^v?1\.(\d+)/.exec(ctx.settings.k8sVersion ?? '')?.[1]);
      const applies = spec.sinceMinor === undefined || !Number.isFinite(minor) || minor >= spec.sinceMinor;
      return (obj) => {
        if (!applies) return;
        const index = ctx.engine(rbacEngine);
        const b = index.bindingOf(obj);
        if (!b) return;
        if (b.unresolved === 'missing-role' && !b.record.isDefault && b.record.subjects.length > 0) {
          ctx.notEvaluated({ reason: 'missing-input', object: obj, message: `${b.display} references ${b.record.roleRef.kind} ${b.record.roleRef.name}, which is not in the input: whether it grants this is unknown` });
          return;
        }
        const role = b.role;
        if (!role || b.record.isDefault || b.record.subjects.length === 0) return;
        if (role.rules.some(isFullAccessRule)) return;
        const cluster = b.record.kind === 'ClusterRoleBinding';
        const namespace = b.record.namespace ?? 'default';
        if (!cluster && spec.namespaces !== undefined && !spec.namespaces.includes(namespace)) return;
        const subjects = b.record.subjects.map(subjectOf).filter((s) => !isSystemSubject(s));
        if (subjects.length === 0) return;
        for (const p of spec.probes) {
          if (!cluster && p.clusterScoped === true) continue;
          const rule = role.rules.find((r) => grants(r, p, spec));
          if (!rule) continue;
          ctx.report({
            messageId: 'granted',
            object: obj,
            path: 'roleRef',
            severity: cluster ? spec.severity.cluster : spec.severity.namespace,
            data: {
              subjects: subjects.map(subjectDisplay).join(', '),
              what: spec.what,
              scope: cluster ? 'cluster-wide' : `in namespace ${namespace}`,
              role: role.display,
              rule: rule.index,
              ruleText: ruleDisplay(rule.rule),
            },
          });
          return;
        }
      };
    },
  });
}
