/**
 * `checkNode()`: read a node (its files under `root`, optionally its processes) into inventory objects and run the
 * node checks — CIS Kubernetes Benchmark v1.12 sections 1, 2, 4 and kspect's own — through the one runner. The
 * Report carries the benchmark view in `controls`, and in `audit` which Falco k8saudit detections the node's audit
 * policy makes impossible (see docs/audit.md). Reads only.
 */
import { nodeCheckIds, nodeSections } from '../checks/node-controls/audit.js';
import { nodeChecks } from '../checks/registry/node.js';
import type { Report } from '../core/report.js';
import { readNode, type ReadNodeOptions } from '../sources/node.js';
import { nodeAuditCoverage } from './audit.js';
import { judge, type JudgeCommonOptions } from './run.js';

export interface CheckNodeOptions extends JudgeCommonOptions, ReadNodeOptions {}

/** Audit a node. Throws UsageError only for invalid options (unknown check ids, bad parameters). */
export async function checkNode(options: CheckNodeOptions = {}): Promise<Report> {
  const node = await readNode(options);
  const report = judge({
    objects: node.objects,
    checks: nodeChecks,
    ...(options.config ? { config: options.config } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.only ? { only: nodeCheckIds(options.only) } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.toolVersion !== undefined ? { toolVersion: options.toolVersion } : {}),
    problems: node.problems,
    inputs: [options.root ?? '/'],
    sections: nodeSections,
  });
  // Which Falco detections the node's audit policy makes impossible (kspect audit coverage), when it has one.
  const coverage = await nodeAuditCoverage(node.snapshot, options.settings?.k8sVersion ?? options.config?.k8sVersion);
  return coverage ? { ...report, audit: coverage } : report;
}
