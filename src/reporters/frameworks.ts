/** The per-control views of `--framework` in the text formats: a score line per framework and its failing controls. */
import type { FrameworkView, Report } from '../core/report.js';
import { defuseCiCommands, escapeText } from '../core/text.js';
import { mdCell, mdCode } from './markdown.js';
import { paint, type Style } from './style.js';

const e = escapeText;

function scoreText(v: FrameworkView): string {
  const s = v.summary;
  return `${s.score === null ? 'no score' : `${s.score}%`} — ${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.notEvaluated} not evaluated, ${s.notApplicable} not applicable`;
}

/** Lines for the table format (empty when the report has no framework views). */
export function renderFrameworksText(report: Report, style: Style): string {
  const views = report.frameworks ?? [];
  if (views.length === 0) return '';
  const lines: string[] = [''];
  for (const v of views) {
    lines.push(paint(style, 'bold', `${v.name} ${v.version}: ${scoreText(v)}`));
    for (const c of v.controls.filter((x) => x.verdict === 'FAIL')) lines.push(`  ${paint(style, 'high', 'FAIL')} ${e(c.id)} ${e(c.title)} (${c.findings} finding${c.findings === 1 ? '' : 's'}: ${e(c.checks.join(', '))})`);
    const worst = [...v.namespaces].filter((n) => n.score !== null).sort((a, b) => (a.score ?? 0) - (b.score ?? 0)).slice(0, 5);
    if (worst.length > 0) lines.push(`  lowest namespace scores: ${worst.map((n) => `${e(n.namespace)} ${n.score ?? ''}%`).join(', ')}`);
    lines.push('');
  }
  return defuseCiCommands(`${lines.join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}

/** A Markdown section (empty when the report has no framework views). */
export function renderFrameworksMarkdown(report: Report): string {
  const views = report.frameworks ?? [];
  if (views.length === 0) return '';
  const out: string[] = ['', '### Frameworks', '', '| Framework | Score | Pass | Fail | Manual | Not evaluated | Not applicable |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const v of views) out.push(`| ${mdCell(`${v.name} ${v.version}`)} | ${v.summary.score === null ? '–' : `${v.summary.score}%`} | ${v.summary.pass} | ${v.summary.fail} | ${v.summary.manual} | ${v.summary.notEvaluated} | ${v.summary.notApplicable} |`);
  for (const v of views) {
    const failing = v.controls.filter((c) => c.verdict === 'FAIL');
    if (failing.length === 0) continue;
    out.push('', `<details><summary>${mdCell(v.name)}: ${failing.length} failing control${failing.length === 1 ? '' : 's'}</summary>`, '', '| Control | Title | Findings | Checks |', '|---|---|---:|---|');
    for (const c of failing) out.push(`| ${mdCode(c.id)} | ${mdCell(c.title)} | ${c.findings} | ${mdCode(c.checks.join(', '))} |`);
    out.push('', '</details>');
  }
  return defuseCiCommands(`${out.join('\n')}\n`, (c) => (c === '#' ? '\\#' : '\\:'));
}
