/**
 * A node audit through the one runner: the node's inventory objects, the registered node checks (configuration,
 * `--checks`, severity overrides, exemptions and baselines applied by the runner), and the Report — with its
 * benchmark view (`report.controls`) derived from the runner's findings and not-evaluated items. Pure.
 */
import type { Baseline } from '../../core/baseline.js';
import type { KspectConfig } from '../../core/config.js';
import type { NotEvaluated, Problem } from '../../core/finding.js';
import type { Report } from '../../core/report.js';
import { nodeEngine } from '../../engines/node/engine.js';
import type { RunSettings } from '../../framework/define.js';
import { resolveChecks, runChecks, type ActiveCheck } from '../../framework/runner.js';
import { buildInventory, type Inventory } from '../../model/inventory.js';
import type { K8sObject } from '../../model/object.js';
import { nodeChecks } from '../registry/node.js';
import { benchmarkView, findNodeControl } from './benchmark.js';
import { nodeViewOf } from './define.js';

/** Add the benchmark view of a node audit to the runner's report (unchanged when the run was not a node audit). */
export function nodeBenchmark(report: Report, run: { readonly inventory: Inventory; readonly checks: readonly ActiveCheck[]; readonly settings: RunSettings }): Report {
  const view = nodeViewOf(nodeEngine.build(run.inventory, run.settings));
  const controls = benchmarkView({ ran: run.checks, findings: report.findings, suppressed: report.suppressed, notEvaluated: report.notEvaluated, view });
  return controls ? { ...report, controls } : report;
}

/** Node check ids for `--checks`: kspect ids and CIS ids (`1.2.15`) alike; unknown ones are returned apart. */
export function nodeCheckIds(ids: readonly string[]): { ids: string[]; unknown: string[] } {
  const out: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const c = findNodeControl(nodeChecks, id);
    if (c) out.push(c.id);
    else unknown.push(id);
  }
  return { ids: [...new Set(out)], unknown };
}

export interface NodeAuditInput {
  /** The node's inventory objects (sources/node.ts reads them; a fixture or a library user may build them). */
  readonly objects: readonly K8sObject[];
  readonly config: KspectConfig;
  readonly baseline?: Baseline;
  /** Only these checks (kspect or CIS ids). */
  readonly only?: readonly string[];
  readonly settings: RunSettings;
  readonly problems?: readonly Problem[];
  readonly notEvaluated?: readonly NotEvaluated[];
  readonly inputs: readonly string[];
  readonly toolVersion: string;
}

/** Audit a node: run the node checks over its objects; errors are configuration problems (unknown ids, bad parameters). */
export function auditNodeObjects(input: NodeAuditInput): { report: Report; errors: string[] } {
  const only = input.only ? nodeCheckIds(input.only) : undefined;
  const { active, errors } = resolveChecks(nodeChecks, input.config, only?.ids);
  if (only) for (const u of only.unknown) errors.push(`unknown control "${u}" (see kspect node --list-checks)`);
  const inventory = buildInventory(input.objects);
  const report = runChecks({
    inventory,
    checks: active,
    settings: input.settings,
    config: input.config,
    ...(input.baseline ? { baseline: input.baseline } : {}),
    ...(input.problems ? { problems: input.problems } : {}),
    ...(input.notEvaluated ? { notEvaluated: input.notEvaluated } : {}),
    inputs: input.inputs,
    toolVersion: input.toolVersion,
  });
  return { report: nodeBenchmark(report, { inventory, checks: active, settings: input.settings }), errors };
}
