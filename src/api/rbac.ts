/**
 * `checkRbac()`: the RBAC checks over roles, bindings and service accounts — dangerous permissions by binding, and
 * (with `only: ['rbac-escalation-path']`, as `kspect rbac paths` runs it) escalation paths to cluster-admin.
 */
import { rbacChecks } from '../checks/registry/rbac.js';
import type { Report } from '../core/report.js';
import { judgeInputs, rbacEngineProblems, type CheckManifestsOptions } from './scan.js';

export type CheckRbacOptions = Omit<CheckManifestsOptions, 'checks'>;

/** Judge the RBAC objects of manifests (or of objects read from a cluster). Throws UsageError only for invalid options. */
export function checkRbac(options: CheckRbacOptions): Promise<Report> {
  return judgeInputs(options, {
    checks: rbacChecks,
    // What the RBAC engine could not read (a rule of the wrong type, a binding without roleRef) is an input problem.
    sections: (view) => rbacEngineProblems(view),
  });
}
