/** Markdown for pull-request comments: a summary line, counts, and findings per file in a table. */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES } from '../core/severity.js';

const ICON: Readonly<Record<string, string>> = { critical: '🟣', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' };

/** Escape text for a table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function resource(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '';
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}${r.container !== undefined ? ` [${r.container}]` : ''}`;
}

const MAX_ROWS = 200;

export function renderMarkdown(report: Report, options: { showSuppressed: boolean }): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`## kspect: ${s.findings === 0 ? 'no findings' : `${s.findings} finding${s.findings === 1 ? '' : 's'}`}`);
  out.push('');
  out.push(`| ${SEVERITIES.map((x) => `${ICON[x] ?? ''} ${x}`).join(' | ')} |`);
  out.push(`|${SEVERITIES.map(() => '---:').join('|')}|`);
  out.push(`| ${SEVERITIES.map((x) => String(s.bySeverity[x])).join(' | ')} |`);
  out.push('');
  out.push(`${s.checksRun} checks on ${s.objectsScanned} objects · ${s.skipped} skipped · ${s.suppressed} suppressed · ${s.notEvaluated} not evaluated · ${s.problems} input problems`);
  const table = (findings: readonly Finding[], title: string): void => {
    if (findings.length === 0) return;
    out.push('', `### ${title}`, '', '| Severity | Check | Resource | Location | Message |', '|---|---|---|---|---|');
    for (const f of findings.slice(0, MAX_ROWS)) {
      const loc = f.location ? `${f.location.file}:${f.location.line}` : (f.source?.uri ?? '');
      out.push(`| ${ICON[f.severity] ?? ''} ${f.severity} | \`${f.checkId}\` | ${mdCell(resource(f))} | ${mdCell(loc)} | ${mdCell(f.message)} |`);
    }
    if (findings.length > MAX_ROWS) out.push('', `…and ${findings.length - MAX_ROWS} more (see the full report with --format json).`);
  };
  table(report.findings, 'Findings');
  if (options.showSuppressed) table(report.suppressed.map((x) => x.finding), 'Suppressed');
  if (report.problems.length > 0) {
    out.push('', '### Input problems', '');
    for (const p of report.problems) out.push(`- **${p.severity}** ${mdCell(`${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''}`)} ${mdCell(p.message)}`);
  }
  if (report.notEvaluated.length > 0) {
    out.push('', '<details><summary>Not evaluated</summary>', '');
    for (const n of report.notEvaluated) out.push(`- ${n.reason}${n.checkId !== undefined ? ` \`${n.checkId}\`` : ''}: ${mdCell(n.message)}`);
    out.push('', '</details>');
  }
  if (report.checks.length > 0 && report.findings.length > 0) {
    const used = new Set(report.findings.map((f) => f.checkId));
    out.push('', '<details><summary>How to fix</summary>', '');
    for (const c of report.checks.filter((c) => used.has(c.id))) out.push(`- \`${c.id}\` — ${mdCell(c.remediation)}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
