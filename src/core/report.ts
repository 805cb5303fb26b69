/**
 * The report of a run: the one value every reporter renders.
 * Versioned: `schemaVersion` changes whenever a field changes meaning or disappears.
 */
import type { Finding, NotEvaluated, Problem, References, SuppressedFinding } from './finding.js';
import { SEVERITIES, type Severity } from './severity.js';

export const REPORT_SCHEMA_VERSION = 1;

/** What a reporter needs to know about a check that ran. */
export interface CheckInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly category: string;
  readonly remediation: string;
  readonly references: References;
}

export interface Summary {
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly checksRun: number;
  readonly objectsScanned: number;
  readonly skipped: number;
  readonly suppressed: number;
  readonly notEvaluated: number;
  readonly problems: number;
}

/** The verdict of one benchmark control (kspect node), like kube-bench's states. */
export type ControlVerdict = 'PASS' | 'FAIL' | 'WARN' | 'MANUAL' | 'NOT_EVALUATED';

export interface ControlResult {
  /** kspect's id of the control (also the checkId of its findings). */
  readonly id: string;
  /** CIS Kubernetes Benchmark id, for CIS controls. */
  readonly cis?: string;
  readonly section: string;
  readonly title: string;
  /** False for manual CIS checks: listed as MANUAL, never passed. */
  readonly automated: boolean;
  readonly verdict: ControlVerdict;
  /** Why: what was observed, or why it could not be evaluated. */
  readonly reason: string;
  /** One line per thing looked at (files, flags), when there are several. */
  readonly details?: readonly string[];
}

/** Per-control verdicts of a benchmark run, grouped by section. */
export interface ControlsReport {
  readonly benchmark: string;
  readonly sections: readonly { readonly id: string; readonly title: string }[];
  readonly results: readonly ControlResult[];
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'kspect'; readonly version: string };
  /** ISO time, injected by the caller so output is reproducible. */
  readonly generatedAt: string;
  readonly inputs: readonly string[];
  readonly summary: Summary;
  readonly checks: readonly CheckInfo[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly problems: readonly Problem[];
  /** Per-control verdicts (kspect node); absent for runs without a benchmark. */
  readonly controls?: ControlsReport;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}
