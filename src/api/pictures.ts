/**
 * What the HTML report draws besides the findings, computed from the run's engines when a picture is asked for
 * (`--format html`): the shortest escalation paths to cluster-admin (RBAC engine) and reachability by namespace and
 * workload class (NetworkPolicy engine). Capped, so the page stays small however large the cluster.
 */
import type { RbacPathsSection } from '../core/report.js';
import type { ReportSections, RunView } from '../framework/runner.js';
import { escalationPaths, rbacEngine, subjectDisplay, subjectKey } from '../engines/rbac/index.js';
import { networkSection } from './network-picture.js';

/** Paths listed at most (the rest are counted). */
export const MAX_PATHS = 200;

/** The escalation paths of the run's RBAC objects, or undefined when it had no bindings. */
export function rbacPathsSection(view: RunView): RbacPathsSection | undefined {
  if (view.inventory.ofKinds(['RoleBinding', 'ClusterRoleBinding']).length === 0) return undefined;
  const { graph, paths } = escalationPaths(view.engine(rbacEngine));
  const nodes: Record<string, string> = {};
  const label = (key: string): string => graph.nodes.get(key)?.label ?? key;
  const listed = paths.slice(0, MAX_PATHS).map((p) => {
    const from = subjectKey(p.from);
    nodes[from] = subjectDisplay(p.from);
    return {
      from,
      steps: p.steps.map((s) => {
        nodes[s.from] ??= label(s.from);
        nodes[s.to] ??= label(s.to);
        return { from: s.from, to: s.to, kind: s.kind, description: s.description };
      }),
    };
  });
  return { nodes, paths: listed, unlisted: paths.length - listed.length };
}

/** The sections a picture needs. */
export function pictureSections(view: RunView): ReportSections {
  const rbacPaths = rbacPathsSection(view);
  const network = networkSection(view);
  return { ...(rbacPaths ? { rbacPaths } : {}), ...(network ? { network } : {}) };
}
