/**
 * Framework views: a Report seen control by control through the mappings of data/frameworks/. Pure functions of
 * the Report and the data; nothing is re-judged here — the checks' outcomes (the one runner's CheckResults) decide.
 *
 * A control is
 *   FAIL          when a mapped check reported findings (they are the evidence);
 *   NOT_EVALUATED when a mapped check could not decide (forbidden, unreadable …), or when no mapped check ran in
 *                 this run — never passed;
 *   NOT_APPLICABLE when every mapped check that ran was not applicable (nothing it judges was in the input: the
 *                 runner's `not-applicable` outcome) — never passed either;
 *   MANUAL        when the mapped checks only list observations for a human, or when kspect has no check for a
 *                 control the framework itself calls manual (what kspect observed is listed; never a FAIL);
 *   PASS          when mapped checks ran over objects they judge and found nothing (suppressed findings are named).
 * The score is PASS / (PASS + FAIL) in percent; MANUAL, NOT_EVALUATED and NOT_APPLICABLE are counted beside it,
 * never in it.
 */
import type { Finding, NotEvaluated } from '../../core/finding.js';
import type { CheckResult, FrameworkControlResult, FrameworkScore, FrameworkView, FrameworkVerdict, Report } from '../../core/report.js';
import type { FrameworkData, FrameworkId } from './data.js';

/** Findings named as evidence per control at most (the count is always given). */
const MAX_EVIDENCE = 5;

/** Check categories whose findings are about namespaced objects: their controls get per-namespace verdicts. */
const NAMESPACED_CATEGORIES: ReadonlySet<string> = new Set(['workload', 'pod-security', 'network', 'namespace', 'secrets', 'supply-chain', 'rbac']);

function where(f: { readonly resource?: Finding['resource']; readonly location?: Finding['location']; readonly source?: Finding['source'] }): string {
  const r = f.resource;
  const res = r ? `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}` : (f.source ? `${f.source.type} ${f.source.uri}` : '');
  const loc = f.location ? ` (${f.location.file}:${f.location.line})` : '';
  return `${res}${loc}`;
}

export function scoreOf(verdicts: Iterable<FrameworkVerdict>): FrameworkScore {
  let pass = 0;
  let fail = 0;
  let manual = 0;
  let notEvaluated = 0;
  let notApplicable = 0;
  for (const v of verdicts) {
    if (v === 'PASS') pass++;
    else if (v === 'FAIL') fail++;
    else if (v === 'MANUAL') manual++;
    else if (v === 'NOT_APPLICABLE') notApplicable++;
    else notEvaluated++;
  }
  return { pass, fail, manual, notEvaluated, notApplicable, score: pass + fail === 0 ? null : Math.round((pass / (pass + fail)) * 1000) / 10 };
}

/** Check id → the framework's control ids, inverted: control id → mapped check ids (sorted). */
export function checksByControl(data: FrameworkData, framework: FrameworkId): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [check, entry] of Object.entries(data.mappings)) {
    for (const id of entry[framework]) {
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(check);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

interface Indexed {
  readonly results: ReadonlyMap<string, CheckResult>;
  readonly findings: ReadonlyMap<string, Finding[]>;
  readonly suppressed: ReadonlyMap<string, number>;
  readonly notEvaluated: ReadonlyMap<string, NotEvaluated[]>;
  readonly categories: ReadonlyMap<string, string>;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function index(report: Report): Indexed {
  const findings = new Map<string, Finding[]>();
  // A finding folded from several checks counts for each of them.
  for (const f of report.findings) for (const id of [f.checkId, ...(f.alsoReportedBy ?? [])]) push(findings, id, f);
  const suppressed = new Map<string, number>();
  for (const s of report.suppressed) suppressed.set(s.finding.checkId, (suppressed.get(s.finding.checkId) ?? 0) + 1);
  const notEvaluated = new Map<string, NotEvaluated[]>();
  for (const n of report.notEvaluated) if (n.checkId !== undefined) push(notEvaluated, n.checkId, n);
  return {
    results: new Map((report.results ?? []).map((r) => [r.id, r])),
    findings,
    suppressed,
    notEvaluated,
    categories: new Map(report.checks.map((c) => [c.id, c.category])),
  };
}

function decide(checks: readonly string[], automated: boolean, ix: Indexed): { verdict: FrameworkVerdict; findings: number; evidence: string[] } {
  const ran = checks.flatMap((id) => {
    const r = ix.results.get(id);
    return r ? [r] : [];
  });
  if (checks.length === 0) {
    return automated
      ? { verdict: 'NOT_EVALUATED', findings: 0, evidence: ['no kspect check judges this control'] }
      : { verdict: 'MANUAL', findings: 0, evidence: ['a manual control kspect has no check for: judge it by hand'] };
  }
  if (ran.length === 0) return { verdict: 'NOT_EVALUATED', findings: 0, evidence: [`none of its checks ran in this run (${checks.join(', ')})`] };
  const failing = ran.filter((r) => r.findings > 0);
  if (failing.length > 0) {
    const all = failing.flatMap((r) => ix.findings.get(r.id) ?? []);
    const unique = [...new Set(all)];
    const evidence = unique.slice(0, MAX_EVIDENCE).map((f) => `${f.checkId}: ${where(f)}: ${f.message}`);
    if (unique.length > MAX_EVIDENCE) evidence.push(`… and ${unique.length - MAX_EVIDENCE} more finding${unique.length - MAX_EVIDENCE === 1 ? '' : 's'}`);
    return { verdict: 'FAIL', findings: unique.length, evidence };
  }
  const undecided = ran.filter((r) => r.outcome === 'not-evaluated');
  if (undecided.length > 0) {
    const items = undecided.flatMap((r) => (ix.notEvaluated.get(r.id) ?? []).filter((n) => n.reason !== 'manual'));
    const evidence = items.slice(0, MAX_EVIDENCE).map((n) => `${n.checkId ?? ''}: ${n.reason}: ${n.message}`);
    if (items.length > MAX_EVIDENCE) evidence.push(`… and ${items.length - MAX_EVIDENCE} more`);
    return { verdict: 'NOT_EVALUATED', findings: 0, evidence: evidence.length > 0 ? evidence : undecided.map((r) => `${r.id}: could not be evaluated`) };
  }
  const manual = ran.filter((r) => r.outcome === 'manual');
  if (manual.length > 0) {
    const items = manual.flatMap((r) => ix.notEvaluated.get(r.id) ?? []);
    const evidence = items.slice(0, MAX_EVIDENCE).map((n) => `${n.checkId ?? ''}: ${n.message}`);
    return { verdict: 'MANUAL', findings: 0, evidence: evidence.length > 0 ? evidence : manual.map((r) => `${r.id}: for a human to judge`) };
  }
  // A check that judged nothing is not applicable (the runner's outcome); one whose findings were all suppressed passed.
  const passed = ran.filter((r) => r.outcome === 'pass' || (r.outcome === 'fail' && r.findings === 0));
  if (passed.length === 0) return { verdict: 'NOT_APPLICABLE', findings: 0, evidence: [`nothing its checks judge was in the input (${ran.map((r) => r.id).join(', ')})`] };
  const evidence = passed.map((r) => {
    const s = ix.suppressed.get(r.id) ?? 0;
    return `${r.id}: ${r.objects} object${r.objects === 1 ? '' : 's'} judged, no finding${s > 0 ? ` (${s} suppressed)` : ''}`;
  });
  return { verdict: 'PASS', findings: 0, evidence };
}

export interface FrameworkViewOptions {
  /** Namespaces of the run (besides those its findings name), for the per-namespace scores. */
  readonly namespaces?: readonly string[];
}

/** The view of one framework over a Report. */
export function frameworkView(report: Report, data: FrameworkData, framework: FrameworkId, options: FrameworkViewOptions = {}): FrameworkView {
  const catalog = data.catalogs[framework];
  const byControl = checksByControl(data, framework);
  const ix = index(report);
  const controls: FrameworkControlResult[] = catalog.controls.map((c) => {
    const checks = byControl.get(c.id) ?? [];
    const d = decide(checks, c.automated, ix);
    return { id: c.id, title: c.title, section: c.section, verdict: d.verdict, checks, findings: d.findings, evidence: d.evidence };
  });
  // Per namespace: a namespaced control decided PASS or FAIL overall is FAIL where one of its findings is, else PASS.
  const namespaces = new Set(options.namespaces ?? []);
  for (const f of report.findings) if (f.resource?.namespace !== undefined) namespaces.add(f.resource.namespace);
  for (const s of report.suppressed) if (s.finding.resource?.namespace !== undefined) namespaces.add(s.finding.resource.namespace);
  const namespaced = controls.filter((c) => (c.verdict === 'PASS' || c.verdict === 'FAIL') && c.checks.some((id) => NAMESPACED_CATEGORIES.has(ix.categories.get(id) ?? '')));
  const failingIn = new Map<string, Set<string>>();
  for (const c of namespaced) {
    const set = new Set<string>();
    for (const id of c.checks) for (const f of ix.findings.get(id) ?? []) if (f.resource?.namespace !== undefined) set.add(f.resource.namespace);
    failingIn.set(c.id, set);
  }
  const perNamespace = [...namespaces].sort().map((ns) => ({ namespace: ns, ...scoreOf(namespaced.map((c) => (failingIn.get(c.id)?.has(ns) ? 'FAIL' : 'PASS'))) }));
  return { framework, name: catalog.name, version: catalog.version, summary: scoreOf(controls.map((c) => c.verdict)), controls, namespaces: perNamespace };
}

/** The report with the views of the frameworks asked for. */
export function withFrameworkViews(report: Report, data: FrameworkData, frameworks: readonly FrameworkId[], options: FrameworkViewOptions = {}): Report {
  if (frameworks.length === 0) return report;
  return { ...report, frameworks: frameworks.map((f) => frameworkView(report, data, f, options)) };
}
