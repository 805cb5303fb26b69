/**
 * What the human formats show of a Report: the `--severity` display filter (what is listed, and what was hidden),
 * resource labels, and the per-check summary (count, worst severity, resources affected) — like kube-linter's and
 * kubescape's control tables. Pure functions of the Report; nothing here changes what the Report counts.
 */
import type { Finding, SuppressedFinding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { KeyNumbers, NumberSet } from '../core/distinct.js';
import { SEVERITIES, atLeast, severityRank as rank, type Severity } from '../core/severity.js';

/** How the table groups findings (`--group-by`). */
export type GroupBy = 'resource' | 'check' | 'namespace';
export const GROUP_BY: readonly GroupBy[] = ['resource', 'check', 'namespace'];

/** Findings below the display threshold, per severity. */
export interface Hidden {
  readonly total: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

export interface View {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Findings (not suppressed ones) left out by the display filter. */
  readonly hidden: Hidden;
  readonly minSeverity?: Severity;
}

function zero(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Apply the `--severity` display filter: only findings at or above `minSeverity` are listed. */
export function displayView(report: Report, minSeverity: Severity | undefined): View {
  if (minSeverity === undefined || minSeverity === 'info') return { findings: report.findings, suppressed: report.suppressed, hidden: { total: 0, bySeverity: zero() } };
  const bySeverity = zero();
  let total = 0;
  const findings: Finding[] = [];
  for (const f of report.findings) {
    if (atLeast(f.severity, minSeverity)) findings.push(f);
    else {
      bySeverity[f.severity]++;
      total++;
    }
  }
  return { findings, suppressed: report.suppressed.filter((s) => atLeast(s.finding.severity, minSeverity)), hidden: { total, bySeverity }, minSeverity };
}

/** `2 low, 1 info` — the non-zero counts, most severe first. */
export function countsText(bySeverity: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.filter((s) => bySeverity[s] > 0)
    .map((s) => `${bySeverity[s]} ${s}`)
    .join(', ');
}

/** `Kind namespace/name` (without the container), or the source of a finding that has no resource. */
export function resourceLabel(f: Finding, withNamespace = true): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '(global)';
  // Once per resource object: a run's findings on one object share it (a large report has 100,000 findings), and
  // come one after the other (the last answer is kept: no lookup).
  if (r === lastLabelled.resource && withNamespace === lastLabelled.withNamespace) return lastLabelled.label;
  const cache = withNamespace ? labels : shortLabels;
  let label = cache.get(r);
  if (label === undefined) cache.set(r, (label = `${r.kind} ${withNamespace && r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`));
  lastLabelled.resource = r;
  lastLabelled.withNamespace = withNamespace;
  lastLabelled.label = label;
  return label;
}

/** resourceLabel's last answer (a resource object is never changed once a finding holds it). */
const lastLabelled: { resource: object | undefined; withNamespace: boolean; label: string } = { resource: undefined, withNamespace: true, label: '' };
/** resourceKey's last answer. */
const lastKeyed: { resource: object | undefined; key: string } = { resource: undefined, key: '' };

type Resource = NonNullable<Finding['resource']>;
const labels = new WeakMap<Resource, string>();
const shortLabels = new WeakMap<Resource, string>();
const keys = new WeakMap<Resource, string>();

/**
 * The file to print beside a finding's resource label, or '' when the label already names it: findings about a
 * source (`file a.crt`, `endpoint host:443`) and file-backed objects named after their file (an audit Policy, a
 * probed endpoint) would otherwise show the same name twice.
 */
export function fileBesideLabel(f: Finding): string {
  const file = f.location?.file ?? f.source?.uri ?? '';
  if (file === '') return '';
  if (f.resource === undefined) return f.source?.uri === file ? '' : file;
  return f.resource.name === file ? '' : file;
}

/** A resource's identity: its parts (what KeyNumbers numbers), and as text, joined by NUL. */
const refParts = (r: Resource): readonly string[] => [r.apiVersion, r.kind, r.namespace ?? '', r.name];
const refKey = (r: Resource): string => refParts(r).join('\u0000');

/** The identity of the resource (or source) a finding is about, for counting distinct resources. */
export function resourceKey(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type}\u0000${f.source.uri}` : '';
  if (r === lastKeyed.resource) return lastKeyed.key;
  let key = keys.get(r);
  if (key === undefined) keys.set(r, (key = refKey(r)));
  lastKeyed.resource = r;
  lastKeyed.key = key;
  return key;
}

export interface CheckSummary {
  readonly id: string;
  readonly title: string;
  readonly worst: Severity;
  readonly findings: number;
  readonly resources: number;
  readonly suppressed: number;
}

/**
 * One line per check with findings (suppressed ones included): how many, the worst severity, how many distinct
 * resources. Counts every finding of the Report, whatever the display filter. Sorted by worst severity, then by
 * count, then by id.
 */
export function checkSummaries(report: Report): CheckSummary[] {
  const acc = new Map<string, { title: string; worst: Severity; findings: number; suppressed: number; resources: NumberSet }>();
  const entry = (f: Finding): { title: string; worst: Severity; findings: number; suppressed: number; resources: NumberSet } => {
    let e = acc.get(f.checkId);
    if (!e) acc.set(f.checkId, (e = { title: f.title, worst: f.severity, findings: 0, suppressed: 0, resources: new NumberSet() }));
    if (rank(f.severity) > rank(e.worst)) e.worst = f.severity;
    return e;
  };
  // Distinct resources by number (core/distinct.ts): looked up by the key's parts, not a string set per check.
  const numbers = new KeyNumbers<Resource>();
  // Indexed: run once over every finding, partly by the interpreter (a for-of loop there makes an iterator result each).
  for (let i = 0; i < report.findings.length; i++) {
    const f = report.findings[i] as Finding;
    const e = entry(f);
    e.findings++;
    e.resources.add(f.resource ? numbers.ofRef(f.resource, refParts) : numbers.ofKey(resourceKey(f)));
  }
  for (const s of report.suppressed) entry(s.finding).suppressed++;
  const titles = new Map(report.checks.map((c) => [c.id, c.title]));
  return [...acc]
    .map(([id, e]) => ({ id, title: titles.get(id) ?? e.title, worst: e.worst, findings: e.findings, resources: e.resources.size, suppressed: e.suppressed }))
    .sort((a, b) => rank(b.worst) - rank(a.worst) || b.findings - a.findings || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Findings ordered by severity, most severe first; stable within a severity. */
export function bySeverity<T>(items: readonly T[], severity: (t: T) => Severity): T[] {
  const buckets: T[][] = SEVERITIES.map(() => []);
  for (const t of items) buckets[4 - rank(severity(t))]?.push(t);
  return buckets.flat();
}

/** ` (3 not applicable)` when checks of the run judged nothing (their `not-applicable` outcome), else empty. */
export function notApplicableText(report: Report): string {
  const n = (report.results ?? []).filter((r) => r.outcome === 'not-applicable').length;
  return n > 0 ? ` (${n} not applicable)` : '';
}
