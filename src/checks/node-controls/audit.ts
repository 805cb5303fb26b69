/**
 * A node audit's contribution to the one runner: the benchmark view of the Report (`report.controls`), computed by
 * the runner's `sections` hook from the run's own node engine and its per-check results, and the translation of
 * `--checks` ids (kspect or CIS). Pure.
 */
import { nodeEngine } from '../../engines/node/engine.js';
import type { ReportSections, RunView } from '../../framework/runner.js';
import { nodeChecks } from '../registry/node.js';
import { benchmarkView, findNodeControl } from './benchmark.js';
import { isNodeCheck, nodeViewOf } from './define.js';

/** The runner's `sections` hook of a node audit: the benchmark view (nothing when the inventory holds no NodeAudit). */
export function nodeSections(view: RunView): ReportSections {
  const node = nodeViewOf(view.engine(nodeEngine));
  if (!node) return {};
  const byId = new Map(nodeChecks.filter(isNodeCheck).map((c) => [c.id, c]));
  const ran = view.results.flatMap((r) => {
    const check = byId.get(r.id);
    return check ? [{ check, severity: r.severity }] : [];
  });
  const controls = benchmarkView({ ran, findings: view.findings, suppressed: view.suppressed, notEvaluated: view.notEvaluated, view: node });
  return controls ? { controls } : {};
}

/** `--checks` ids of a node audit: CIS ids (`1.2.15`) become the control's id; other ids are kept for the runner to judge. */
export function nodeCheckIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => findNodeControl(nodeChecks, id)?.id ?? id))];
}
