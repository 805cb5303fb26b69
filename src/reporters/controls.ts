/** The benchmark table of `kspect node`: one line per control, grouped by section, like kube-bench. */
import type { ControlVerdict, Report } from '../core/report.js';
import { defuseCiCommands, escapeText } from '../core/text.js';
import { paint, type Style } from './style.js';

/** Every string from input (paths, flag values, file names) is shown escaped: one harmless line each. */
const e = escapeText;
const tableEncode = (c: '#' | ':'): string => (c === '#' ? '\\x23' : '\\x3a');

const LABEL: Readonly<Record<ControlVerdict, string>> = { PASS: 'PASS', FAIL: 'FAIL', WARN: 'WARN', MANUAL: 'MANUAL', NOT_EVALUATED: 'NOT EVALUATED' };
const COLOR: Readonly<Record<ControlVerdict, 'low' | 'high' | 'medium' | 'info' | 'dim'>> = { PASS: 'low', FAIL: 'high', WARN: 'medium', MANUAL: 'info', NOT_EVALUATED: 'dim' };

export interface ControlsTableOptions extends Style {
  /** Print the reason under PASS lines too (default: only for other verdicts). */
  readonly verbose?: boolean;
}

/** Render `report.controls`; falls back to a note when the report has none. */
export function renderControlsTable(report: Report, options: ControlsTableOptions): string {
  const c = report.controls;
  if (!c) return 'no benchmark controls in this report\n';
  const lines: string[] = [paint(options, 'bold', c.benchmark), ''];
  const remediation = new Map(report.checks.map((k) => [k.id, k.remediation]));
  const counts: Record<ControlVerdict, number> = { PASS: 0, FAIL: 0, WARN: 0, MANUAL: 0, NOT_EVALUATED: 0 };
  for (const section of c.sections) {
    const results = c.results.filter((r) => r.section === section.id);
    const top = !section.id.includes('.');
    if (top) {
      if (c.results.some((r) => r.section === section.id || r.section.startsWith(`${section.id}.`))) lines.push(paint(options, 'bold', `== ${section.id} ${section.title} ==`));
      if (results.length === 0) continue;
    } else {
      if (results.length === 0) continue;
      lines.push(paint(options, 'bold', `${section.id} ${section.title}`));
    }
    for (const r of results) {
      counts[r.verdict]++;
      const label = paint(options, COLOR[r.verdict], `[${LABEL[r.verdict]}]`.padEnd(15));
      const id = (r.cis ?? '').padEnd(7);
      lines.push(`${label} ${e(id)} ${e(r.title)}  ${paint(options, 'dim', e(r.id))}`);
      if (r.verdict !== 'PASS' || options.verbose) {
        const reasons = r.details && r.verdict !== 'MANUAL' ? r.details.filter((d) => options.verbose || !d.startsWith('pass:')) : [r.reason];
        for (const d of reasons) lines.push(`                        ${paint(options, 'dim', e(d))}`);
      }
      const fix = r.verdict === 'FAIL' || r.verdict === 'WARN' ? remediation.get(r.id) : undefined;
      if (fix !== undefined) lines.push(`                        fix: ${e(fix)}`);
    }
    lines.push('');
  }
  if (report.problems.length > 0) {
    lines.push(paint(options, 'bold', 'Input problems'));
    for (const p of report.problems) lines.push(`  ${p.severity.padEnd(8)} ${e(`${p.file !== undefined ? `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ` : ''}${p.message}`)}`);
    lines.push('');
  }
  lines.push(
    `${paint(options, 'bold', 'Summary')}: ${counts.PASS} pass, ${paint(options, 'high', `${counts.FAIL} fail`)}, ${paint(options, 'medium', `${counts.WARN} warn`)}, ${counts.MANUAL} manual, ${counts.NOT_EVALUATED} not evaluated · ${report.summary.findings} finding${report.summary.findings === 1 ? '' : 's'}`,
  );
  return defuseCiCommands(`${lines.join('\n')}\n`, tableEncode);
}
