/**
 * The endpoint table of `kspect probe`: every open port, whether it spoke TLS, which service answered and what it
 * served without credentials; closed and filtered ports are counted. A pure function of the Report's `probe` section.
 */
import type { Report } from '../core/report.js';
import { paint, type Style } from './style.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd());
}

/** Control characters never reach the terminal. */
function clean(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || (c >= 0x7f && c < 0xa0) ? ' ' : ch;
  }
  return out;
}

/** `GET /pods → 401` lines shortened to `/pods 401`. */
function brief(line: string): string {
  const m = /^GET (\S{1,200}) → (\d{3}|failed)/.exec(line);
  const path = m?.[1] ?? '';
  const q = path.indexOf('?');
  return m ? `${q < 0 ? path : path.slice(0, q)} ${m[2] ?? ''}` : line;
}

export function renderProbeTable(report: Report, style: Style): string {
  const probe = report.probe;
  if (!probe) return '';
  const lines: string[] = [];
  const open = probe.endpoints.filter((e) => e.state === 'open');
  if (open.length > 0) {
    const rows: string[][] = [['ENDPOINT', 'TLS', 'SERVICE', 'ANSWERS WITHOUT CREDENTIALS']];
    for (const e of open) {
      const tls = e.transport === 'tls' ? (e.clientCertRequired === true ? 'client cert' : 'yes') : e.transport === 'plain' ? 'no' : '?';
      const answers = e.answers.length > 0 ? e.answers.map(brief).join(', ') : (e.detail ?? '');
      rows.push([clean(e.endpoint), tls, clean(e.service ?? 'unrecognised'), clean(answers)]);
    }
    const [head, ...body] = table(rows);
    lines.push(paint(style, 'bold', head ?? ''), ...body, '');
  }
  const c = probe.counts;
  lines.push(paint(style, 'dim', `${probe.endpoints.length} endpoint${probe.endpoints.length === 1 ? '' : 's'} probed: ${c.open} open, ${c.closed} closed, ${c.filtered} filtered, ${c.unreachable} unreachable`), '');
  return `${lines.join('\n')}\n`;
}
