/**
 * rbac-escalation-path: identities that can become cluster-admin (or another identity) through a chain of
 * permissions — creating a pod that runs as a powerful service account, minting its token, impersonating it,
 * binding or escalating roles — found on the RBAC engine's escalation graph.
 */
import { ok, err } from '../../core/result.js';
import { ADMIN_NODE, escalationPaths, parseSubject, rbacEngine, subjectDisplay, type Step, type SubjectRef } from '../../engines/rbac/index.js';
import { missingRoleText } from '../../engines/rbac/authorizer.js';
import type { K8sObject } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

export interface EscalationOptions {
  /** Only paths from this identity (a user, system:serviceaccount:NS:NAME or group:NAME). */
  readonly from?: string;
  /** The identity to reach instead of cluster-admin. */
  readonly to?: string;
}

function subjectOption(v: unknown, key: string): { ok: true; value: string | undefined } | { ok: false; error: string } {
  if (v === undefined) return { ok: true, value: undefined };
  if (typeof v !== 'string' || (v !== ADMIN_NODE && !parseSubject(v))) return { ok: false, error: `${key} must be a user, system:serviceaccount:NS:NAME or group:NAME` };
  return { ok: true, value: v };
}

const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;

/** The resource a finding is about (object literals, not spreads: one per finding, 18,000 on 50,000 bindings). */
function resourceOfSubject(s: SubjectRef): { apiVersion: string; kind: string; namespace?: string; name: string } {
  if (s.kind !== 'ServiceAccount') return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: s.kind, name: s.name };
  return s.namespace !== undefined ? { apiVersion: 'v1', kind: 'ServiceAccount', namespace: s.namespace, name: s.name } : { apiVersion: 'v1', kind: 'ServiceAccount', name: s.name };
}

export const rbacEscalationPath = defineCheck<'path', EscalationOptions>({
  id: 'rbac-escalation-path',
  meta: {
    title: 'Escalation path to cluster-admin',
    description:
      'An identity that is not cluster-admin can often become one in a few steps: create a pod that runs as a service account bound to cluster-admin (and read its token), create a token for such a service account, impersonate it, bind a powerful role to itself or escalate a role it may edit. Each finding is the shortest such chain from one identity, step by step, with the binding, role and rule that allow each step; identities that already are cluster-admin equivalent are not listed. `kspect rbac paths` runs this check (with --from and --to as its parameters) and can draw the graph.',
    severity: 'high',
    category: 'rbac',
    reads: ['*'],
    kinds: [],
    messages: { path: '{{subject}} can become {{target}} in {{n}} {{steps}}: {{path}}' },
    remediation:
      'Break the first step of the chain: remove the binding that grants it, narrow the role (no pods/create in namespaces whose service accounts are powerful, no serviceaccounts/token, impersonate, bind or escalate), or unbind the powerful role from the service account at its end.',
    references: { mitre: ['T1078', 'T1098.006'], nsa: ['Authentication and authorization'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'] },
    // Opt-in for scan (rbac-* checks report each dangerous grant already); `kspect rbac paths` always runs it.
    recommended: false,
    options: {
      defaults: {},
      parse(value) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('must be a mapping with from and/or to');
        const v = value as Record<string, unknown>;
        for (const k of Object.keys(v)) if (k !== 'from' && k !== 'to') return err(`unknown parameter "${k}"`);
        const from = subjectOption(v.from, 'from');
        if (!from.ok) return err(from.error);
        const to = subjectOption(v.to, 'to');
        if (!to.ok) return err(to.error);
        return ok({ ...(from.value !== undefined ? { from: from.value } : {}), ...(to.value !== undefined ? { to: to.value } : {}) });
      },
      docs: { from: 'only paths from this identity (user, system:serviceaccount:NS:NAME or group:NAME)', to: 'the identity to reach instead of cluster-admin' },
    },
  },
  create(ctx, options) {
    return {
      end() {
        const judged = ctx.inventory.ofKind('RoleBinding').length + ctx.inventory.ofKind('ClusterRoleBinding').length;
        if (judged === 0) return;
        ctx.judged(judged);
        const index = ctx.engine(rbacEngine);
        // A binding whose role is not in the input may grant any step of a path: not evaluated, never a silent "none".
        // In the order of the binding objects (the RoleBindings, then the ClusterRoleBindings, each in input order, as
        // the index holds them): from the index's list of such bindings, not by looking up each of 50,000 objects'
        // entry (bindingOf, which builds a map by object when asked out of the index's order).
        for (const kind of BINDING_KINDS)
          for (const b of index.missingRoleBindings) {
            const obj = b.record.object;
            if (obj?.kind === kind && !b.record.isDefault && b.record.subjects.length > 0) ctx.notEvaluated({ reason: 'missing-input', object: obj, shared: true, message: missingRoleText(b) });
          }
        const from = options.from !== undefined ? parseSubject(options.from) : undefined;
        const to = options.to !== undefined && options.to !== ADMIN_NODE ? parseSubject(options.to) : undefined;
        const { graph, paths } = escalationPaths(index, { ...(from ? { from } : {}), ...(to ? { target: to } : {}) });
        // A step's text, once per step: paths share their ends (on 50,000 bindings, 18,000 paths of 79,000 steps, 18,300
        // of them distinct).
        const texts = new Map<Step, string>();
        const textOf = (s: Step): string => {
          let t = texts.get(s);
          if (t === undefined) texts.set(s, (t = `${s.description} ⇒ ${graph.nodes.get(s.to)?.label ?? s.to}`));
          return t;
        };
        const target = to ? subjectDisplay(to) : 'cluster-admin';
        for (const p of paths) {
          // The finding points at the binding that allows the first step (suppress it there, with an annotation).
          let object: K8sObject | undefined;
          for (const s of p.steps) {
            const b = s.grant?.binding.record;
            if (b?.object !== undefined && !b.isDefault) {
              object = b.object;
              break;
            }
          }
          const resource = resourceOfSubject(p.from);
          const data = {
            subject: subjectDisplay(p.from),
            target,
            n: p.steps.length,
            steps: p.steps.length === 1 ? 'step' : 'steps',
            path: p.steps.map((s, i) => `(${i + 1}) ${textOf(s)}`).join('; '),
          };
          ctx.report(object ? { messageId: 'path', resource, object, path: 'roleRef', data } : { messageId: 'path', resource, data });
        }
      },
    };
  },
});
