/** Escalation paths as pictures: Graphviz DOT and Mermaid flowcharts. Pure functions of the paths. */
import type { EscalationPath, Step } from '../engines/rbac/paths.js';
import { subjectKey, subjectDisplay } from '../engines/rbac/subjects.js';
import { defuseCiCommands, escapeText } from '../core/text.js';

const defuse = (text: string): string => defuseCiCommands(text, (c) => (c === '#' ? '\\x23' : '\\x3a'));

interface Drawn {
  readonly nodes: Map<string, string>;
  readonly edges: { from: string; to: string; label: string }[];
}

function collect(paths: readonly EscalationPath[], labels: ReadonlyMap<string, string>): Drawn {
  const nodes = new Map<string, string>();
  const edges = new Map<string, { from: string; to: string; label: string }>();
  const label = (id: string): string => labels.get(id) ?? id;
  for (const p of paths) {
    nodes.set(subjectKey(p.from), subjectDisplay(p.from));
    for (const s of p.steps) {
      nodes.set(s.from, label(s.from));
      nodes.set(s.to, label(s.to));
      edges.set(`${s.from}\u0000${s.to}`, { from: s.from, to: s.to, label: stepLabel(s) });
    }
  }
  return { nodes, edges: [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1)) };
}

function stepLabel(s: Step): string {
  return s.kind;
}

function dotString(raw: string): string {
  // Subject and role names come from input: control characters are shown escaped.
  const s = escapeText(raw);
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Graphviz DOT of the union of the paths. */
export function pathsToDot(paths: readonly EscalationPath[], labels: ReadonlyMap<string, string>): string {
  const { nodes, edges } = collect(paths, labels);
  const lines = ['digraph escalation {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const [id, l] of [...nodes].sort()) lines.push(`  ${dotString(id)} [label=${dotString(l)}${id === 'cluster-admin' ? ', style=filled, fillcolor="#f4cccc"' : ''}];`);
  for (const e of edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}];`);
  lines.push('}');
  return defuse(`${lines.join('\n')}\n`);
}

/** Mermaid flowchart of the union of the paths. */
export function pathsToMermaid(paths: readonly EscalationPath[], labels: ReadonlyMap<string, string>): string {
  const { nodes, edges } = collect(paths, labels);
  const ids = new Map<string, string>();
  [...nodes.keys()].sort().forEach((k, i) => ids.set(k, `n${i}`));
  const esc = (s: string): string => escapeText(s).replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const [id, l] of [...nodes].sort()) lines.push(`  ${ids.get(id) ?? ''}["${esc(l)}"]`);
  for (const e of edges) lines.push(`  ${ids.get(e.from) ?? ''} -->|${esc(e.label)}| ${ids.get(e.to) ?? ''}`);
  if (ids.has('cluster-admin')) lines.push(`  style ${ids.get('cluster-admin') ?? ''} fill:#f4cccc`);
  return defuse(`${lines.join('\n')}\n`);
}
