/**
 * `checkRbac()`: the RBAC checks over roles, bindings and service accounts — dangerous permissions by binding, and
 * (with `only: ['rbac-escalation-path']`, as `kspect rbac paths` runs it) escalation paths to cluster-admin.
 */
import { rbacChecks } from '../checks/registry/rbac.js';
import type { Problem, ResourceRef } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { missingRoleProblem, rbacEngine, type RbacIndex } from '../engines/rbac/index.js';
import type { RunView } from '../framework/runner.js';
import { judgeInputs, rbacEngineProblems, type CheckManifestsOptions } from './scan.js';

export type CheckRbacOptions = Omit<CheckManifestsOptions, 'checks'>;

/** Judge the RBAC objects of manifests (or of objects read from a cluster). Throws UsageError only for invalid options. */
export function checkRbac(options: CheckRbacOptions): Promise<Report> {
  return judgeInputs(options, {
    checks: rbacChecks,
    // What the RBAC engine could not read (a rule of the wrong type, a binding without roleRef) is an input problem.
    sections: (view) => {
      const sections = rbacEngineProblems(view);
      const problems = sections.problems?.flatMap((p) => (p.code === 'rbac-missing-role' ? unstatedMissingRoles(view) : [p]));
      return problems === undefined ? sections : { ...sections, problems };
    },
  });
}

/**
 * A binding to a role that is not in the input is said once: by the report's finding of rbac-missing-role on it
 * (shown or suppressed) or its not-evaluated item (the danger checks and rbac-escalation-path cannot judge it) — as in
 * a scan. The engine's warning (one line naming the count) stays only for such bindings the report does not name (none
 * of the checks that say it ran: `--checks`, or a binding without subjects), and names only those.
 */
function unstatedMissingRoles(view: RunView): Problem[] {
  const index: RbacIndex = view.engine(rbacEngine);
  const stated = new Set<string>();
  const add = (r: ResourceRef | undefined): void => {
    if (r !== undefined && (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding')) stated.add(refKey(r.kind, r.namespace, r.name));
  };
  for (const f of view.findings) if (f.checkId === 'rbac-missing-role') add(f.resource);
  for (const s of view.suppressed) if (s.finding.checkId === 'rbac-missing-role') add(s.finding.resource);
  for (const n of view.notEvaluated) if (n.reason === 'missing-input') add(n.resource);
  const unstated = index.missingRoleBindings.filter((b) => !b.record.isDefault && !stated.has(refKey(b.record.kind, b.record.object?.metadata.namespace, b.record.object?.metadata.name ?? b.record.name)));
  const problem = missingRoleProblem(unstated);
  return problem ? [problem] : [];
}

function refKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}
