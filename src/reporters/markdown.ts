/**
 * Markdown for pull-request comments: a summary line, counts, findings sorted by severity in a table, a per-check
 * summary, what was not evaluated and how to fix. The table is capped (GitHub comments are limited in size) but
 * never hides a critical finding, and says how many rows it left out and of which severity.
 *
 * Every string from input is shown as a code span, so it cannot inject links, images, HTML, mentions, issue
 * references or autolinks, and cannot break the table (`|` is escaped, newlines and control characters are shown
 * as escapes).
 */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { counted, defuseCiCommands, escapeText } from '../core/text.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { bySeverity, checkSummaries, countsText, displayView, notApplicableText } from './view.js';

const ICON: Readonly<Record<Severity, string>> = { critical: '🟣', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' };

/** Rows of non-critical findings shown at most; critical findings are always shown. */
export const MAX_ROWS = 200;
/** Characters of table rows at most (GitHub refuses comments over 65,536), critical rows aside. */
export const MAX_TABLE_CHARS = 50_000;
/** Characters of one input string shown at most in a cell. */
const MAX_CELL = 300;

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ch) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

/**
 * Input text as an inline code span: nothing in it is interpreted. Control characters and newlines are shown as
 * escapes, the fence is longer than any run of backticks inside, and in a table cell `|` is escaped (GFM splits
 * cells before it parses code spans). Over-long text is cut with an ellipsis.
 */
export function mdCode(raw: string, inTable = true): string {
  let s = escapeText(raw);
  if (s.length > MAX_CELL) s = `${s.slice(0, MAX_CELL)}…`;
  if (s === '') return '';
  // GFM splits table cells before it parses code spans: `|` must be escaped, and a backslash right before it is
  // shown as `\x5c` (cmark-gfm and micromark disagree on what `\\|` means).
  if (inTable) s = s.replaceAll('\\|', '\\x5c|').replaceAll('|', '\\|');
  const fence = '`'.repeat(longestRun(s, '`') + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s.startsWith(' ') || s.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Escape our own prose (check titles, remediation) for a table cell or list item: it is text, not markup. */
export function mdCell(s: string): string {
  return escapeText(s).replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`);
}

function resource(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '';
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}${r.container !== undefined ? ` [${r.container}]` : ''}`;
}

function findingRow(f: Finding): string {
  const loc = f.location ? `${f.location.file}:${f.location.line}` : (f.source?.uri ?? '');
  return `| ${ICON[f.severity]} ${f.severity} | ${mdCode(f.checkId)} | ${mdCode(resource(f))} | ${mdCode(loc)} | ${mdCode(f.message)} |`;
}

/**
 * Rows in severity order: every critical finding, then the others while under both caps. Returns the rows and the
 * findings left out per severity.
 */
export function pickRows(findings: readonly Finding[], maxRows = MAX_ROWS, maxChars = MAX_TABLE_CHARS): { rows: string[]; left: Record<Severity, number>; leftTotal: number } {
  const rows: string[] = [];
  const left: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let leftTotal = 0;
  let shown = 0;
  let chars = 0;
  for (const f of bySeverity(findings, (x) => x.severity)) {
    // Past the row cap only critical rows are still made.
    const r = f.severity === 'critical' || shown < maxRows ? findingRow(f) : undefined;
    if (r !== undefined && (f.severity === 'critical' || chars + r.length <= maxChars)) {
      rows.push(r);
      chars += r.length + 1;
      if (f.severity !== 'critical') shown++;
    } else {
      left[f.severity]++;
      leftTotal++;
    }
  }
  return { rows, left, leftTotal };
}

export function renderMarkdown(report: Report, options: { readonly showSuppressed: boolean; readonly minSeverity?: Severity }): string {
  return collect((sink) => { writeMarkdown(report, options, sink); });
}

/** Markdown written in chunks (chunks.ts). */
export function writeMarkdown(report: Report, options: { readonly showSuppressed: boolean; readonly minSeverity?: Severity }, sink: Sink): void {
  const s = report.summary;
  const view = displayView(report, options.minSeverity);
  const out = new ChunkWriter(sink, (t) => defuseCiCommands(t, (c) => (c === '#' ? '\\#' : '\\:')));
  out.push(`## kspect: ${s.findings === 0 ? 'no findings' : `${s.findings} finding${s.findings === 1 ? '' : 's'}`}`);
  out.push('');
  out.push(`| ${SEVERITIES.map((x) => `${ICON[x]} ${x}`).join(' | ')} |`);
  out.push(`|${SEVERITIES.map(() => '---:').join('|')}|`);
  out.push(`| ${SEVERITIES.map((x) => String(s.bySeverity[x])).join(' | ')} |`);
  out.push('');
  out.push(`${counted(s.checksRun, 'check')}${notApplicableText(report)} on ${counted(s.objectsScanned, 'object')} · ${s.skipped} skipped · ${s.suppressed} suppressed · ${s.notEvaluated} not evaluated · ${counted(s.problems, 'input problem')}`);
  if (view.minSeverity !== undefined && view.hidden.total > 0) {
    out.push('', `${view.hidden.total} finding${view.hidden.total === 1 ? '' : 's'} below ${view.minSeverity} not listed (${countsText(view.hidden.bySeverity)}).`);
  }
  const table = (findings: readonly Finding[], title: string): void => {
    if (findings.length === 0) return;
    out.push('', `### ${title}`, '', '| Severity | Check | Resource | Location | Message |', '|---|---|---|---|---|');
    const { rows, left, leftTotal } = pickRows(findings);
    for (const r of rows) out.push(r);
    if (leftTotal > 0) out.push('', `…and ${leftTotal} more row${leftTotal === 1 ? '' : 's'} left out (${countsText(left)}); the full report: \`--format json\`.`);
  };
  table(view.findings, 'Findings');
  if (options.showSuppressed) table(view.suppressed.map((x) => x.finding), 'Suppressed');
  const checks = checkSummaries(report);
  if (checks.length > 0) {
    out.push('', '<details><summary>Per check</summary>', '', '| Severity | Check | Findings | Resources | Title |', '|---|---|---:|---:|---|');
    for (const c of checks) out.push(`| ${ICON[c.worst]} ${c.worst} | \`${c.id}\` | ${c.findings}${c.suppressed > 0 ? ` (+${c.suppressed} suppressed)` : ''} | ${c.resources} | ${mdCell(c.title)} |`);
    out.push('', '</details>');
  }
  if (report.problems.length > 0) {
    out.push('', '### Input problems', '');
    for (const p of report.problems) out.push(`- **${p.severity}** ${mdCode(`${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}`, false)} ${mdCode(p.message, false)}`);
  }
  if (report.notEvaluated.length > 0) {
    out.push('', '<details><summary>Not evaluated</summary>', '');
    for (const n of report.notEvaluated) out.push(`- ${n.reason}${n.checkId !== undefined ? ` \`${n.checkId}\`` : ''}: ${mdCode(n.message, false)}`);
    out.push('', '</details>');
  }
  if (report.checks.length > 0 && view.findings.length > 0) {
    const used = new Set(view.findings.map((f) => f.checkId));
    out.push('', '<details><summary>How to fix</summary>', '');
    for (const c of report.checks.filter((c) => used.has(c.id))) out.push(`- \`${c.id}\` — ${mdCell(c.remediation)}`);
    out.push('', '</details>');
  }
  out.end();
}
