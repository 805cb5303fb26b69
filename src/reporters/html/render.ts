/**
 * The HTML report: one self-contained file a person opens from a CI artifact, an e-mail or a Jenkins build page.
 *
 * - No network: CSS and script inline, pictures drawn as SVG when the report is written, data embedded as JSON; a
 *   Content-Security-Policy meta tag allows only the page's own style and script (by hash) and nothing else.
 * - Readable without scripts and without inline styles (Jenkins' default CSP blocks both): the server-rendered HTML
 *   holds the summary and every finding; the script only adds filters and sorting.
 * - Every string from input is escaped (escape.ts); the embedded JSON cannot close its script element.
 * - Written in chunks (a report of 20,000 findings never becomes one string before it is written).
 */
import { createHash } from 'node:crypto';
import type { Finding, SuppressedFinding } from '../../core/finding.js';
import type { CheckResult, FrameworkView, Report } from '../../core/report.js';
import { SEVERITIES, atLeast, type Severity } from '../../core/severity.js';
import { escapeText } from '../../core/text.js';
import { displayView } from '../view.js';
import { CSS, JS } from './assets.js';
import { anchor, h, scriptJson, t } from './escape.js';
import { expiryTimeline, heatmap, historyChart, rbacGraph, scoreRing, severityBars, type HistoryPoint } from './svg.js';

export type { HistoryPoint } from './svg.js';

/** Where the output goes, chunk by chunk. */
export type HtmlSink = (chunk: string) => void;

export interface HtmlOptions {
  readonly showSuppressed?: boolean;
  readonly minSeverity?: Severity;
  /** Earlier runs (`--history old.json...`), oldest first; this run is added as the last point. */
  readonly history?: readonly HistoryPoint[];
}

const CHUNK = 64 * 1024;

/** Buffers pieces and hands the sink about 64 KiB at a time. */
class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: HtmlSink) {}
  w(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    const c = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.sink(c);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The Content-Security-Policy of the page: its own style and script by hash, inline SVG and data: images, nothing else. */
export function contentSecurityPolicy(): string {
  return `default-src 'none'; script-src 'sha256-${sha256(JS)}'; style-src 'sha256-${sha256(CSS)}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** The posture score of a run: checks that looked and found nothing, among checks that looked. */
export function postureScore(results: readonly CheckResult[] | undefined): number | null {
  if (!results) return null;
  let pass = 0;
  let fail = 0;
  for (const r of results) {
    if (r.outcome === 'pass') pass++;
    else if (r.outcome === 'fail' && r.findings > 0) fail++;
  }
  return pass + fail === 0 ? null : Math.round((pass / (pass + fail)) * 1000) / 10;
}

/** The history point of a report (for `--history`). */
export function historyPoint(report: Report, label: string): HistoryPoint {
  return { label, generatedAt: report.generatedAt, score: postureScore(report.results), bySeverity: report.summary.bySeverity, findings: report.summary.findings };
}

const FRAMEWORK_SHORT: Readonly<Record<string, string>> = { cis: 'CIS', nsa: 'NSA-CISA', mitre: 'ATT&CK', pss: 'PSS' };

function sevBadge(s: Severity): string {
  return `<span class="sev ${s}">${s}</span>`;
}

function verdictBadge(v: string): string {
  return `<span class="v ${h(v)}">${h(v.replace('_', ' '))}</span>`;
}

function resourceText(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '(no resource)';
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

function locationText(f: { readonly location?: Finding['location']; readonly source?: Finding['source'] }): string {
  if (f.location) return `${f.location.file}:${f.location.line}`;
  if (f.source) return `${f.source.type} ${f.source.uri}`;
  return '';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SEV_INDEX: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Findings grouped by namespace, then resource; each group keeps the Report's order. */
function groupFindings(findings: readonly Finding[]): { ns: string; resources: { label: string; items: { f: Finding; i: number }[] }[] }[] {
  const byNs = new Map<string, Map<string, { f: Finding; i: number }[]>>();
  findings.forEach((f, i) => {
    const ns = f.resource?.namespace ?? '';
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map<string, { f: Finding; i: number }[]>()));
    const key = `${resourceText(f)}${f.resource?.container !== undefined ? '' : ''}`;
    let l = m.get(key);
    if (!l) m.set(key, (l = []));
    l.push({ f, i });
  });
  return [...byNs.keys()]
    .sort((a, b) => (a === '' ? 1 : b === '' ? -1 : cmp(a, b)))
    .map((ns) => {
      const m = byNs.get(ns) ?? new Map<string, { f: Finding; i: number }[]>();
      return { ns, resources: [...m.keys()].sort(cmp).map((label) => ({ label, items: m.get(label) ?? [] })) };
    });
}

/** One finding's cells, kept small (a report holds 20,000 of them): columns 4–6 are monospace by CSS. */
function findingCells(f: Finding, checkAnchor: (id: string) => string): string {
  const container = f.resource?.container !== undefined ? ` <code>[${t(f.resource.container)}]</code>` : '';
  return `<td><b class="${f.severity}">${f.severity}</b></td><td><a href="#${checkAnchor(f.checkId)}">${t(f.checkId)}</a></td><td>${t(f.message)}${container}</td><td>${t(locationText(f))}</td><td>${t(f.path ?? '')}</td><td>${t(f.evidence ?? '')}</td>`;
}

const FINDING_HEAD = '<colgroup><col class="c-sev"><col class="c-check"><col><col class="c-loc"><col class="c-path"><col class="c-ev"></colgroup><thead><tr><th scope="col" data-sort>Severity</th><th scope="col" data-sort>Check</th><th scope="col" data-sort>Message</th><th scope="col" data-sort>Location</th><th scope="col">Field</th><th scope="col">Evidence</th></tr></thead>';

function frameworkTable(out: Out, v: FrameworkView): void {
  const s = v.summary;
  out.w(`<section id="${anchor('fw-', v.framework)}" aria-labelledby="${anchor('fwh-', v.framework)}"><h3 id="${anchor('fwh-', v.framework)}">${h(v.name)} ${h(v.version)}</h3>`);
  out.w(`<p>Score <strong>${s.score === null ? 'none (nothing decided)' : `${s.score}%`}</strong> · ${s.pass} pass · ${s.fail} fail · ${s.manual} manual · ${s.notEvaluated} not evaluated · ${s.notApplicable} not applicable</p>`);
  out.w(`<details><summary>${v.controls.length} controls</summary><table><thead><tr><th scope="col" data-sort>Control</th><th scope="col" data-sort>Verdict</th><th scope="col">Title</th><th scope="col">Checks</th><th scope="col">Evidence</th></tr></thead><tbody>`);
  for (const c of v.controls) {
    out.w(`<tr data-row><td class="mono">${h(c.id)}</td><td>${verdictBadge(c.verdict)}</td><td>${h(c.title)}</td><td class="mono">${c.checks.map((id) => h(id)).join('<br>')}</td><td>${c.evidence.map((e) => h(e)).join('<br>')}</td></tr>`);
  }
  out.w('</tbody></table></details>');
  if (v.namespaces.length > 0) {
    out.w(`<details><summary>Score per namespace (${v.namespaces.length})</summary><table><thead><tr><th scope="col" data-sort>Namespace</th><th scope="col" class="num">Score</th><th scope="col" class="num">Pass</th><th scope="col" class="num">Fail</th></tr></thead><tbody>`);
    for (const ns of v.namespaces) out.w(`<tr data-row><td>${h(ns.namespace)}</td><td class="num">${ns.score === null ? '–' : `${ns.score}%`}</td><td class="num">${ns.pass}</td><td class="num">${ns.fail}</td></tr>`);
    out.w('</tbody></table></details>');
  }
  out.w('</section>');
}

function suppressedTable(out: Out, items: readonly SuppressedFinding[]): void {
  out.w(`<div class="scroll"><table id="suppressed-table"><thead><tr><th scope="col">Severity</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Message</th><th scope="col">Location</th><th scope="col">Suppressed by</th><th scope="col">Reason</th></tr></thead><tbody>`);
  for (const s of items) {
    const f = s.finding;
    const at = s.annotation ? ` (${s.annotation.object}${s.annotation.file !== undefined ? ` at ${s.annotation.file}:${s.annotation.line ?? ''}` : ''})` : '';
    out.w(`<tr data-s><td>${sevBadge(f.severity)}</td><td class="mono">${h(f.checkId)}</td><td>${h(resourceText(f))}</td><td>${h(f.message)}</td><td class="mono">${h(locationText(f))}</td><td>${h(s.by + at)}</td><td>${h(s.reason)}</td></tr>`);
  }
  out.w('</tbody></table></div>');
}

/** Write the report as one HTML document, in chunks. */
export function writeHtml(report: Report, options: HtmlOptions, sink: HtmlSink): void {
  const out = new Out(sink);
  const view = displayView(report, options.minSeverity);
  const s = report.summary;
  const score = postureScore(report.results);
  const checkIds = [...new Set([...report.checks.map((c) => c.id), ...view.findings.map((f) => f.checkId)])].sort(cmp);
  const checkIndex = new Map(checkIds.map((id, i) => [id, i]));
  const checkAnchor = (id: string): string => anchor('c-', id);
  const groups = groupFindings(view.findings);
  const nsNames = [...new Set(['', ...view.findings.map((f) => f.resource?.namespace ?? '')])].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : cmp(a, b)));
  const nsIndex = new Map(nsNames.map((n, i) => [n, i]));
  const generatedAt = new Date(Date.parse(report.generatedAt) || 0);

  out.w(`<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="generator" content="kspect ${h(report.tool.version)}"><title>kspect report — ${s.findings} finding${s.findings === 1 ? '' : 's'}</title><style>${CSS}</style></head><body>\n`);
  out.w(`<header><h1>kspect security report</h1><p class="meta">Generated ${h(report.generatedAt)} by kspect ${h(report.tool.version)} · inputs: ${report.inputs.length === 0 ? 'none' : report.inputs.map((i) => `<span class="mono">${h(i)}</span>`).join(', ')}</p>`);
  const sections: [string, string, boolean][] = [
    ['summary', 'Summary', true],
    ['problems', 'Input problems', report.problems.length > 0],
    ['frameworks', 'Frameworks', (report.frameworks ?? []).length > 0],
    ['rbac', 'RBAC escalation', report.rbacPaths !== undefined],
    ['network', 'Network', report.network !== undefined],
    ['pki', 'Certificates', report.pki !== undefined && report.pki.certificates.length > 0],
    ['node', 'Node benchmark', report.controls !== undefined],
    ['history', 'History', (options.history ?? []).length > 0],
    ['findings', 'Findings', true],
    ['suppressed', 'Suppressed', report.suppressed.length > 0],
    ['not-evaluated', 'Not evaluated', report.notEvaluated.length > 0],
    ['checks', 'Checks', report.checks.length > 0],
  ];
  out.w(`<nav aria-label="Sections"><ul>${sections.filter((x) => x[2]).map(([id, t]) => `<li><a href="#${id}">${t}</a></li>`).join('')}</ul></nav></header>\n<main>\n`);

  // Summary.
  out.w(`<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2><div class="cards">`);
  out.w(`<div class="card">${scoreRing(score, 'Posture score: checks that found nothing among checks that judged something', 'svg-score')}<span>Posture score</span></div>`);
  out.w(`<div class="card"><span class="n" id="total-findings">${s.findings}</span>findings</div>`);
  for (const sev of SEVERITIES) out.w(`<div class="card"><span class="n" data-count="${sev}">${s.bySeverity[sev]}</span>${sev}</div>`);
  out.w(`<div class="card"><span class="n" id="total-suppressed">${s.suppressed}</span>suppressed</div><div class="card"><span class="n" id="total-not-evaluated">${s.notEvaluated}</span>not evaluated${s.manual !== undefined && s.manual > 0 ? ` (${s.manual} manual)` : ''}</div><div class="card"><span class="n" id="total-problems">${s.problems}</span>input problems</div></div>`);
  if (s.problems > 0 || s.notEvaluated > 0) {
    out.w(`<div class="alert" role="note"><strong>Not everything was judged.</strong> ${s.problems > 0 ? `<a href="#problems">${s.problems} input problem${s.problems === 1 ? '' : 's'}</a> (inputs that could not be read or understood). ` : ''}${s.notEvaluated > 0 ? `<a href="#not-evaluated">${s.notEvaluated} item${s.notEvaluated === 1 ? '' : 's'} not evaluated</a> — never counted as passed.` : ''}</div>`);
  }
  out.w(`<p>${s.checksRun} checks ran on ${s.objectsScanned} objects (${s.skipped} documents skipped).</p>`);
  out.w(`<figure>${severityBars(s.bySeverity)}<figcaption>Findings by severity</figcaption></figure>`);
  // By domain (check category).
  const category = new Map(report.checks.map((c) => [c.id, c.category]));
  const domains = new Map<string, { findings: number; bySev: Record<Severity, number>; pass: number; fail: number }>();
  const dom = (c: string): { findings: number; bySev: Record<Severity, number>; pass: number; fail: number } => {
    let d = domains.get(c);
    if (!d) domains.set(c, (d = { findings: 0, bySev: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, pass: 0, fail: 0 }));
    return d;
  };
  for (const f of report.findings) {
    const d = dom(category.get(f.checkId) ?? 'other');
    d.findings++;
    d.bySev[f.severity]++;
  }
  for (const r of report.results ?? []) {
    const d = dom(category.get(r.id) ?? 'other');
    if (r.outcome === 'pass') d.pass++;
    else if (r.outcome === 'fail' && r.findings > 0) d.fail++;
  }
  out.w(`<h3>By domain</h3><table id="domains"><thead><tr><th scope="col">Domain</th><th scope="col" class="num">Findings</th>${SEVERITIES.map((x) => `<th scope="col" class="num">${x}</th>`).join('')}<th scope="col" class="num">Checks passed</th><th scope="col" class="num">Checks failed</th></tr></thead><tbody>`);
  for (const [name, d] of [...domains].sort((a, b) => cmp(a[0], b[0]))) out.w(`<tr><th scope="row">${h(name)}</th><td class="num">${d.findings}</td>${SEVERITIES.map((x) => `<td class="num">${d.bySev[x]}</td>`).join('')}<td class="num">${d.pass}</td><td class="num">${d.fail}</td></tr>`);
  out.w('</tbody></table>');
  if ((report.frameworks ?? []).length > 0) {
    out.w(`<h3>By framework</h3><table id="framework-scores"><thead><tr><th scope="col">Framework</th><th scope="col" class="num">Score</th><th scope="col" class="num">Pass</th><th scope="col" class="num">Fail</th><th scope="col" class="num">Manual</th><th scope="col" class="num">Not evaluated</th><th scope="col" class="num">Not applicable</th></tr></thead><tbody>`);
    for (const v of report.frameworks ?? []) out.w(`<tr><th scope="row"><a href="#${anchor('fw-', v.framework)}">${h(v.name)} ${h(v.version)}</a></th><td class="num">${v.summary.score === null ? '–' : `${v.summary.score}%`}</td><td class="num">${v.summary.pass}</td><td class="num">${v.summary.fail}</td><td class="num">${v.summary.manual}</td><td class="num">${v.summary.notEvaluated}</td><td class="num">${v.summary.notApplicable}</td></tr>`);
    out.w('</tbody></table>');
  }
  out.w('</section>\n');

  if (report.problems.length > 0) {
    out.w(`<section id="problems" aria-labelledby="h-problems"><h2 id="h-problems">Input problems (${report.problems.length})</h2><div class="alert"><ul>`);
    for (const p of report.problems) out.w(`<li><strong>${h(p.severity)}</strong> <span class="mono">${h(`${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}`)}</span> ${h(p.message)} <span class="mono">(${h(p.code)})</span></li>`);
    out.w('</ul></div></section>\n');
  }

  if ((report.frameworks ?? []).length > 0) {
    out.w(`<section id="frameworks" aria-labelledby="h-frameworks"><h2 id="h-frameworks">Frameworks</h2><p>PASS: mapped checks judged objects and found nothing. FAIL: findings (the evidence). MANUAL: for a human to judge, with what kspect observed. NOT EVALUATED: not decided in this run — never counted as passed. NOT APPLICABLE: nothing its checks judge was in the input — neither passed nor failed. Score = PASS / (PASS + FAIL).</p>`);
    for (const v of report.frameworks ?? []) frameworkTable(out, v);
    out.w('</section>\n');
  }

  if (report.rbacPaths) {
    const rp = report.rbacPaths;
    const label = (id: string): string => rp.nodes[id] ?? id;
    out.w(`<section id="rbac" aria-labelledby="h-rbac"><h2 id="h-rbac">RBAC: escalation paths to cluster-admin (${rp.paths.length + rp.unlisted})</h2>`);
    if (rp.paths.length === 0) out.w('<p>No identity can become cluster-admin through the permissions judged.</p>');
    else {
      const svg = rbacGraph(rp);
      out.w(svg === '' ? '<p>The graph is too large to draw; the paths are listed below.</p>' : `<figure><div class="scroll">${svg}</div><figcaption>Shortest paths, laid out left to right; each arrow is one step.</figcaption></figure>`);
      out.w('<ol class="paths">');
      for (const p of rp.paths) out.w(`<li><strong>${h(label(p.from))}</strong>: ${p.steps.map((st) => `${h(st.description)} <span class="mono">[${h(st.kind)}]</span>`).join(' → ')}</li>`);
      out.w('</ol>');
      if (rp.unlisted > 0) out.w(`<p>${rp.unlisted} more path${rp.unlisted === 1 ? '' : 's'} not listed (see <span class="mono">kspect rbac paths</span>).</p>`);
    }
    out.w('</section>\n');
  }

  if (report.network) {
    const nw = report.network;
    out.w(`<section id="network" aria-labelledby="h-network"><h2 id="h-network">Network reachability</h2><p>${nw.pods} pods in ${nw.namespaces.length} namespaces, ${nw.policies} NetworkPolicies; ${nw.classes.length} workload classes (pods that every policy treats alike).</p>`);
    out.w(`<figure><div class="scroll">${heatmap(nw.namespaces, (a, b) => {
      const pairs = nw.pairs[a]?.[b] ?? 0;
      return pairs === 0 ? undefined : (nw.allowed[a]?.[b] ?? 0) / pairs;
    }, 'Namespace × namespace: share of pod pairs (row → column) that may connect on some port')}</div><figcaption>Green: no pod of the row can reach the column; yellow to red: more of the pod pairs can connect; grey: no pod pairs.</figcaption></figure>`);
    out.w(`<details><summary>Namespace pairs as a table</summary><table><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col" class="num">Pod pairs</th><th scope="col" class="num">May connect</th></tr></thead><tbody>`);
    nw.namespaces.forEach((a, i) => {
      nw.namespaces.forEach((b, j) => {
        const pairs = nw.pairs[i]?.[j] ?? 0;
        if (pairs > 0) out.w(`<tr data-row><td>${h(a)}</td><td>${h(b)}</td><td class="num">${pairs}</td><td class="num">${nw.allowed[i]?.[j] ?? 0}</td></tr>`);
      });
    });
    out.w('</tbody></table></details>');
    out.w(`<h3>Workload classes</h3><div class="scroll"><table><thead><tr><th scope="col" data-sort>Namespace</th><th scope="col" data-sort>Pods</th><th scope="col">Example</th><th scope="col" data-sort>Ingress isolated</th><th scope="col" data-sort>Egress isolated</th><th scope="col" class="num" data-sort>Reaches pods</th><th scope="col" class="num" data-sort>Reached by pods</th></tr></thead><tbody>`);
    for (const c of nw.classes) out.w(`<tr data-row><td>${h(c.namespace)}</td><td class="num">${c.pods}</td><td class="mono">${h(c.example)}</td><td>${c.ingressIsolated ? 'yes' : 'no'}</td><td>${c.egressIsolated ? 'yes' : 'no'}</td><td class="num">${c.reaches}</td><td class="num">${c.reachedBy}</td></tr>`);
    out.w('</tbody></table></div></section>\n');
  }

  if (report.pki && report.pki.certificates.length > 0) {
    const certs = report.pki.certificates;
    out.w(`<section id="pki" aria-labelledby="h-pki"><h2 id="h-pki">Certificates (${certs.length})</h2><figure><div class="scroll">${expiryTimeline(certs, generatedAt)}</div><figcaption>Validity periods, soonest expiry first; red expired, orange under 30 days, yellow under 90.</figcaption></figure>`);
    out.w(`<div class="scroll"><table><thead><tr><th scope="col" data-sort>Certificate</th><th scope="col" data-sort>Role</th><th scope="col">Identity (CN / O)</th><th scope="col" data-sort>Not after</th><th scope="col" class="num" data-sort>Days left</th><th scope="col">Key</th><th scope="col">Issuer</th></tr></thead><tbody>`);
    for (const c of certs) out.w(`<tr data-row><td class="mono">${h(c.certificate)}</td><td>${h(c.role)}${c.kubeadmName !== undefined ? ` (${h(c.kubeadmName)})` : ''}</td><td>${c.identity ? `${h(c.identity.user)}${c.identity.groups.length > 0 ? ` / ${h(c.identity.groups.join(', '))}` : ''}` : h(c.subject)}</td><td class="mono">${h(c.notAfter)}</td><td class="num">${c.residualDays}</td><td>${h(c.publicKey)}</td><td>${h(c.issuer)}</td></tr>`);
    out.w('</tbody></table></div></section>\n');
  }

  if (report.controls) {
    const c = report.controls;
    out.w(`<section id="node" aria-labelledby="h-node"><h2 id="h-node">${h(c.benchmark)}</h2><table><thead><tr><th scope="col" data-sort>CIS</th><th scope="col" data-sort>Verdict</th><th scope="col">Control</th><th scope="col">kspect id</th><th scope="col">Observed</th></tr></thead>`);
    for (const sec of c.sections) {
      const rs = c.results.filter((r) => r.section === sec.id);
      if (rs.length === 0) continue;
      out.w(`<tbody><tr class="res"><th scope="colgroup" colspan="5">${h(sec.id)} ${h(sec.title)}</th></tr>`);
      for (const r of rs) out.w(`<tr data-row><td class="mono">${h(r.cis ?? '')}</td><td>${verdictBadge(r.verdict)}</td><td>${h(r.title)}</td><td class="mono">${h(r.id)}</td><td>${h(r.reason)}</td></tr>`);
      out.w('</tbody>');
    }
    out.w('</table></section>\n');
  }

  if ((options.history ?? []).length > 0) {
    const points = [...(options.history ?? []), historyPoint(report, 'this run')];
    out.w(`<section id="history" aria-labelledby="h-history"><h2 id="h-history">History (${points.length} runs)</h2><figure>${historyChart(points)}<figcaption>Findings per severity (solid) and posture score (dashed, right axis), oldest run first.</figcaption></figure><table><thead><tr><th scope="col">Run</th><th scope="col">Generated</th><th scope="col" class="num">Score</th><th scope="col" class="num">Findings</th>${SEVERITIES.map((x) => `<th scope="col" class="num">${x}</th>`).join('')}</tr></thead><tbody>`);
    for (const p of points) out.w(`<tr><td class="mono">${h(p.label)}</td><td class="mono">${h(p.generatedAt)}</td><td class="num">${p.score === null ? '–' : `${p.score}%`}</td><td class="num">${p.findings}</td>${SEVERITIES.map((x) => `<td class="num">${p.bySeverity[x]}</td>`).join('')}</tr>`);
    out.w('</tbody></table></section>\n');
  }

  // Findings.
  out.w(`<section id="findings" aria-labelledby="h-findings"><h2 id="h-findings">Findings (${view.findings.length})</h2>`);
  if (view.minSeverity !== undefined && view.hidden.total > 0) out.w(`<p>${view.hidden.total} finding${view.hidden.total === 1 ? '' : 's'} below ${view.minSeverity} not listed (--severity).</p>`);
  out.w(`<form id="filters" hidden aria-label="Filter findings"><label for="f-sev">Severity<select id="f-sev"><option value="">all</option></select></label><label for="f-ns">Namespace<select id="f-ns"><option value="">all</option></select></label><label for="f-check">Check<select id="f-check"><option value="">all</option></select></label><label for="f-fw">Framework<select id="f-fw"><option value="">all</option></select></label><label for="f-text">Text<input id="f-text" type="search"></label><button type="button" id="f-reset">Reset</button><output id="shown" for="f-sev f-ns f-check f-fw f-text">${view.findings.length} of ${view.findings.length} findings shown</output></form>`);
  if (view.findings.length === 0) out.w('<p>No findings.</p>');
  for (const g of groups) {
    const count = g.resources.reduce((a, r) => a + r.items.length, 0);
    const title = g.ns === '' ? 'Not namespaced' : `Namespace ${g.ns}`;
    out.w(`<section class="ns" data-ns="${h(g.ns)}" aria-label="${h(title)}"><h3>${h(title)} (${count})</h3><table class="findings">${FINDING_HEAD}`);
    for (const r of g.resources) {
      out.w(`<tbody><tr class="res"><th scope="colgroup" colspan="6">${h(r.label)} (${r.items.length})</th></tr>`);
      for (const { f, i } of r.items) out.w(`<tr data-f="${i}">${findingCells(f, checkAnchor)}</tr>`);
      out.w('</tbody>');
    }
    out.w('</table></section>\n');
  }
  out.w('</section>\n');

  if (report.suppressed.length > 0) {
    out.w(`<section id="suppressed" aria-labelledby="h-suppressed"><h2 id="h-suppressed">Suppressed findings (${report.suppressed.length})</h2><p>Accepted by an annotation, the configuration or a baseline: listed, never counted as findings.</p>`);
    suppressedTable(out, report.suppressed);
    out.w('</section>\n');
  }

  if (report.notEvaluated.length > 0) {
    out.w(`<section id="not-evaluated" aria-labelledby="h-ne"><h2 id="h-ne">Not evaluated (${report.notEvaluated.length})</h2><div class="scroll"><table><thead><tr><th scope="col">Reason</th><th scope="col">Check</th><th scope="col">Where</th><th scope="col">What</th></tr></thead><tbody>`);
    for (const n of report.notEvaluated) {
      const r = n.resource;
      const at = r ? `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}` : locationText(n);
      out.w(`<tr data-ne><td>${h(n.reason)}</td><td class="mono">${h(n.checkId ?? '')}</td><td class="mono">${h(at)}</td><td>${h(n.message)}</td></tr>`);
    }
    out.w('</tbody></table></div></section>\n');
  }

  if (report.checks.length > 0) {
    const results = new Map((report.results ?? []).map((r) => [r.id, r]));
    out.w(`<section id="checks" aria-labelledby="h-checks"><h2 id="h-checks">Checks (${report.checks.length})</h2><details><summary>What each check looks for and how to fix it</summary><table><thead><tr><th scope="col">Check</th><th scope="col">Severity</th><th scope="col">Outcome</th><th scope="col">Title and remediation</th><th scope="col">References</th></tr></thead><tbody>`);
    for (const c of report.checks) {
      const r = results.get(c.id);
      const refs = [
        ...(c.references.cis ?? []).map((x) => `CIS ${x}`),
        ...(c.references.nsa ?? []).map((x) => `NSA-CISA: ${x}`),
        ...(c.references.mitre ?? []).map((x) => `ATT&CK ${x}`),
        ...(c.references.pss ?? []).map((x) => `PSS ${x}`),
      ].map((x) => h(x));
      const urls = (c.references.urls ?? []).filter((u) => u.startsWith('https://')).map((u) => `<a href="${h(u)}" rel="noreferrer">${h(u)}</a>`);
      out.w(`<tr id="${checkAnchor(c.id)}"><td class="mono">${h(c.id)}</td><td>${sevBadge(c.severity)}</td><td>${h(r ? `${r.outcome}${r.findings > 0 ? ` (${r.findings})` : ''}` : '')}</td><td><strong>${h(c.title)}</strong><br>${h(c.remediation)}</td><td>${[...refs, ...urls].join('<br>')}</td></tr>`);
    }
    out.w('</tbody></table></details></section>\n');
  }
  out.w('</main>\n<footer><p class="meta">kspect — Kubernetes security posture. This file makes no network requests.</p></footer>\n');

  // Data for the script: per listed finding [severity, check, namespace] as indexes, and framework controls' checks.
  const f: number[] = [];
  for (const x of view.findings) f.push(SEV_INDEX[x.severity], checkIndex.get(x.checkId) ?? 0, nsIndex.get(x.resource?.namespace ?? '') ?? 0);
  const fw: Record<string, { name: string; short: string; controls: Record<string, number[]> }> = {};
  for (const v of report.frameworks ?? []) {
    const controls: Record<string, number[]> = {};
    for (const c of v.controls) {
      if (c.verdict !== 'FAIL') continue;
      controls[c.id] = c.checks.flatMap((id) => (checkIndex.has(id) ? [checkIndex.get(id) ?? 0] : []));
    }
    fw[v.framework] = { name: `${v.name} ${v.version}`, short: FRAMEWORK_SHORT[v.framework] ?? v.framework, controls };
  }
  out.w(`<script type="application/json" id="kspect-data">${scriptJson({ sev: SEVERITIES, checks: checkIds, ns: nsNames.map((x) => escapeText(x)), f, fw })}</script>\n<script>${JS}</script>\n</body></html>\n`);
  out.flush();
}

/** The whole document as one string (small reports and tests; the CLI streams). */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const parts: string[] = [];
  writeHtml(report, options, (c) => parts.push(c));
  return parts.join('');
}

/** Whether a severity passes the display filter (for tests and callers that filter like the page does). */
export function shownAt(severity: Severity, min: Severity | undefined): boolean {
  return min === undefined || atLeast(severity, min);
}
