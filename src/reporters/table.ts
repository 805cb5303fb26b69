/** The table reporter: findings grouped by resource, then a summary. For humans in a terminal. */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES } from '../core/severity.js';
import { paint, type Style } from './style.js';

export interface TableOptions extends Style {
  readonly showSuppressed?: boolean;
}

function resourceLabel(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '(global)';
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

function group(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${resourceLabel(f)}\u0000${f.location?.file ?? f.source?.uri ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  return groups;
}

function renderGroups(lines: string[], findings: readonly Finding[], style: Style, suffix?: (f: Finding) => string): void {
  for (const [, list] of group(findings)) {
    const first = list[0];
    if (!first) continue;
    lines.push(`${paint(style, 'bold', resourceLabel(first))}  ${paint(style, 'dim', first.location?.file ?? first.source?.uri ?? '')}`);
    for (const f of list) {
      const sev = paint(style, f.severity, f.severity.toUpperCase().padEnd(8));
      const loc = f.location ? `:${f.location.line}`.padEnd(6) : ''.padEnd(6);
      const container = f.resource?.container !== undefined ? ` [${f.resource.container}]` : '';
      lines.push(`  ${loc} ${sev} ${f.checkId.padEnd(34)} ${f.message}${container}${suffix ? suffix(f) : ''}`);
    }
    lines.push('');
  }
}

export function renderTable(report: Report, options: TableOptions): string {
  const lines: string[] = [];
  renderGroups(lines, report.findings, options);
  if (options.showSuppressed && report.suppressed.length > 0) {
    lines.push(paint(options, 'bold', 'Suppressed findings'));
    const reasons = new Map(report.suppressed.map((s) => [s.finding, `${s.by}: ${s.reason}`]));
    renderGroups(lines, report.suppressed.map((s) => s.finding), options, (f) => paint(options, 'dim', `  (suppressed by ${reasons.get(f) ?? ''})`));
  }
  if (report.notEvaluated.length > 0) {
    lines.push(paint(options, 'bold', 'Not evaluated'));
    for (const n of report.notEvaluated) {
      const r = n.resource ? `${n.resource.kind} ${n.resource.namespace !== undefined ? `${n.resource.namespace}/` : ''}${n.resource.name}: ` : '';
      lines.push(`  ${n.reason.padEnd(14)} ${[n.checkId, `${r}${n.message}`].filter((x) => x !== undefined).join(' ')}`);
    }
    lines.push('');
  }
  if (report.problems.length > 0) {
    lines.push(paint(options, 'bold', 'Input problems'));
    for (const p of report.problems) lines.push(`  ${p.severity.padEnd(8)} ${p.file !== undefined ? `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ` : ''}${p.message}`);
    lines.push('');
  }
  const s = report.summary;
  const counts = SEVERITIES.map((sev) => paint(options, sev, `${s.bySeverity[sev]} ${sev}`)).join(', ');
  lines.push(`${paint(options, 'bold', `${s.findings} finding${s.findings === 1 ? '' : 's'}`)}: ${counts}`);
  lines.push(
    `${s.checksRun} checks run on ${s.objectsScanned} objects · ${s.skipped} skipped (not Kubernetes objects) · ${s.suppressed} suppressed${s.suppressed > 0 && !options.showSuppressed ? ' (--show-suppressed lists them)' : ''} · ${s.notEvaluated} not evaluated · ${s.problems} input problem${s.problems === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}
