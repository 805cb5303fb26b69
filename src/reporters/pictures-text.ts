/**
 * What the HTML report draws, as text for the table format (`kspect report`): the escalation paths to cluster-admin
 * (the RBAC graph) and reachability between namespaces with the largest workload classes (the heatmap) — the same
 * facts as the Report's `rbacPaths` and `network` sections, readable without a browser.
 */
import type { Report } from '../core/report.js';
import { counted, defuseCiCommands, escapeText } from '../core/text.js';
import { paint, type Style } from './style.js';
import { displayWidth, padEnd } from './text.js';

const e = escapeText;

/** Lines after the findings table (empty when the report has neither section). */
export function renderPicturesText(report: Report, style: Style): string {
  const lines: string[] = [];
  const rbac = report.rbacPaths;
  if (rbac) {
    const more = rbac.unlisted > 0 ? ` (${rbac.unlisted} more not listed)` : '';
    lines.push('', paint(style, 'bold', `Escalation paths to cluster-admin: ${rbac.paths.length}${more}`));
    const label = (key: string): string => e(rbac.nodes[key] ?? key);
    for (const p of rbac.paths) lines.push(`  ${label(p.from)}: ${p.steps.map((s, i) => `(${i + 1}) ${e(s.description)} ⇒ ${label(s.to)}`).join('; ')}`);
  }
  const nw = report.network;
  if (nw) {
    lines.push('', paint(style, 'bold', `Reachability by namespace: ${counted(nw.pods, 'pod')}, ${counted(nw.policies, 'NetworkPolicy', 'NetworkPolicies')} (pod pairs allowed on some port / pod pairs)`));
    const rows: string[][] = [['FROM', 'TO', 'ALLOWED', 'PAIRS']];
    nw.namespaces.forEach((from, i) => {
      nw.namespaces.forEach((to, j) => {
        const pairs = nw.pairs[i]?.[j] ?? 0;
        if (pairs > 0) rows.push([e(from), e(to), String(nw.allowed[i]?.[j] ?? 0), String(pairs)]);
      });
    });
    lines.push(...table(rows));
    if (nw.classes.length > 0) {
      const more = nw.unlisted > 0 ? ` (${nw.unlisted} more not listed)` : '';
      lines.push('', paint(style, 'bold', `Workload classes (pods every NetworkPolicy treats alike): ${nw.classes.length}${more}`));
      const cls: string[][] = [['NAMESPACE', 'PODS', 'EXAMPLE', 'INGRESS', 'EGRESS', 'REACHES', 'REACHED BY']];
      for (const c of nw.classes) cls.push([e(c.namespace), String(c.pods), e(c.example), c.ingressIsolated ? 'isolated' : 'open', c.egressIsolated ? 'isolated' : 'open', String(c.reaches), String(c.reachedBy)]);
      lines.push(...table(cls));
    }
  }
  if (lines.length === 0) return '';
  return defuseCiCommands(`${lines.join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}

/** Left-aligned columns, two spaces apart, indented by two. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : padEnd(cell, widths[i] ?? 0))).join('  ')}`);
}
