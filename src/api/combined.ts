/**
 * `checkEverything()`: one Report for everything a person wants to see — manifests and/or a live cluster, a node's
 * file tree, PKI files and audit policies — each judged by its own domain through the one runner, then merged into
 * one Report (what `kspect report` prints), so the HTML shows the whole chain in one file.
 */
import { compareFindings } from '../core/finding.js';
import { countBySeverity, type CheckInfo, type CheckOutcome, type CheckResult, type Report } from '../core/report.js';
import { worse } from '../core/severity.js';

const OUTCOME_ORDER: readonly CheckOutcome[] = ['fail', 'not-evaluated', 'manual', 'pass', 'not-applicable'];

/** One check's results of several runs: the worst outcome, the counts added up. */
function mergeResult(a: CheckResult, b: CheckResult): CheckResult {
  const outcome = OUTCOME_ORDER[Math.min(OUTCOME_ORDER.indexOf(a.outcome), OUTCOME_ORDER.indexOf(b.outcome))] ?? a.outcome;
  const worst = a.worst && b.worst ? worse(a.worst, b.worst) : (a.worst ?? b.worst);
  return { id: a.id, outcome, severity: a.severity, findings: a.findings + b.findings, suppressed: a.suppressed + b.suppressed, notEvaluated: a.notEvaluated + b.notEvaluated, ...(worst ? { worst } : {}), resources: a.resources + b.resources, objects: a.objects + b.objects };
}

/** Merge the Reports of several domain runs (the first one's tool and time) into one. */
export function mergeReports(reports: readonly Report[]): Report {
  const first = reports[0];
  if (!first) throw new Error('mergeReports needs at least one report');
  if (reports.length === 1) return first;
  const checks = new Map<string, CheckInfo>();
  const results = new Map<string, CheckResult>();
  for (const r of reports) {
    for (const c of r.checks) if (!checks.has(c.id)) checks.set(c.id, c);
    for (const x of r.results ?? []) {
      const had = results.get(x.id);
      results.set(x.id, had ? mergeResult(had, x) : x);
    }
  }
  const findings = reports.flatMap((r) => r.findings).sort(compareFindings);
  const suppressed = reports.flatMap((r) => r.suppressed);
  const notEvaluated = reports.flatMap((r) => r.notEvaluated);
  const problems = reports.flatMap((r) => r.problems);
  const sum = (f: (r: Report) => number): number => reports.reduce((n, r) => n + f(r), 0);
  const pick = <K extends 'pki' | 'controls' | 'probe' | 'etcd' | 'audit' | 'rbacPaths' | 'network'>(k: K): Partial<Pick<Report, K>> => {
    const found = reports.find((r) => r[k] !== undefined);
    return found ? ({ [k]: found[k] } as Partial<Pick<Report, K>>) : {};
  };
  const manual = sum((r) => r.summary.manual ?? 0);
  return {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    generatedAt: first.generatedAt,
    inputs: reports.flatMap((r) => r.inputs),
    summary: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      checksRun: checks.size,
      objectsScanned: sum((r) => r.summary.objectsScanned),
      skipped: sum((r) => r.summary.skipped),
      suppressed: suppressed.length,
      notEvaluated: notEvaluated.length,
      ...(manual > 0 ? { manual } : {}),
      problems: problems.length,
    },
    checks: [...checks.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    findings,
    suppressed,
    notEvaluated,
    problems,
    results: [...results.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ...pick('pki'),
    ...pick('controls'),
    ...pick('probe'),
    ...pick('etcd'),
    ...pick('audit'),
    ...pick('rbacPaths'),
    ...pick('network'),
  };
}
