/**
 * Renderers of `kspect netpol` answers: the reachability matrix (table, JSON, CSV, Graphviz DOT),
 * a can-reach decision and a workload explanation (table, JSON). Pure functions of engine data.
 */
import type { Decision, RuleMatch, SideExplanation } from '../engines/netpol/engine.js';
import { cellText, type ExplainView, type MatrixNode, type MatrixSummary, type ReachMatrix } from '../engines/netpol/matrix.js';
import { describePeer, describePorts } from '../engines/netpol/policy.js';
import { formatPorts, isEmptyPorts, portsToJson, type PortSet } from '../engines/netpol/ports.js';
import { counted, defuseCiCommands, escapeText } from '../core/text.js';
import { ChunkWriter, type Sink } from './chunks.js';
import { hardenJson } from './safe-json.js';

/**
 * The text of line-built output: every element of `lines` is one line we composed, so any control character or
 * newline inside one came from input (names, labels, file paths) and is escaped; CI command prefixes are defused.
 */
function textOf(lines: readonly string[]): string {
  return defuseCiCommands(`${lines.map(escapeText).join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}

const SCHEMA = 1;

function nodeLabel(n: MatrixNode): string {
  return n.type === 'external' ? n.name : `${n.namespace ?? ''}/${n.name}`;
}

function nodeJson(n: MatrixNode): Record<string, unknown> {
  return n.type === 'external' ? { type: 'external', cidrs: n.cidrs ?? [] } : { type: 'endpoint', id: n.id, namespace: n.namespace, kind: n.kind, name: n.name };
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

function clip(s: string, w: number): string {
  return s.length <= w ? s : `${s.slice(0, w - 1)}…`;
}

/** Grid with numbered columns: rows are sources, columns destinations. */
export function renderMatrixTable(m: ReachMatrix): string {
  const n = m.sources.length;
  if (n === 0) return 'No pods or workloads in the input.\n';
  const labels = m.sources.map((s, i) => `[${i + 1}] ${nodeLabel(s)}${s.type === 'endpoint' ? ` (${s.kind ?? ''})` : ' (external)'}`);
  const rowW = Math.min(60, Math.max(...labels.map((l) => l.length), 'SOURCE \\ DESTINATION'.length));
  const cells = m.cells.map((c) => (c ? clip(cellText(c), 16) : ''));
  const colW = Array.from({ length: n }, (_, d) => Math.max(`[${d + 1}]`.length, ...m.sources.map((_, s) => (cells[s * n + d] ?? '').length)));
  const lines: string[] = [];
  lines.push(`${pad('SOURCE \\ DESTINATION', rowW)}  ${colW.map((w, d) => pad(`[${d + 1}]`, w)).join('  ')}`.trimEnd());
  for (let s = 0; s < n; s++) {
    lines.push(`${pad(clip(labels[s] ?? '', rowW), rowW)}  ${colW.map((w, d) => pad(cells[s * n + d] || '·', w)).join('  ')}`.trimEnd());
  }
  lines.push('');
  lines.push('Cells: ports the source can open to the destination — all, TCP:80, - (none); ? marks ports the policies alone cannot decide.');
  return textOf(lines);
}

export function renderMatrixJson(m: ReachMatrix): string {
  const n = m.sources.length;
  // One cell per line: matrices grow as n², and pretty-printing every field would multiply that.
  const cells: string[] = [];
  for (const c of m.cells) {
    if (!c) continue;
    cells.push(
      JSON.stringify({
        source: c.source,
        destination: c.destination,
        verdict: c.verdict,
        allowed: formatPorts(c.allowed),
        unknown: formatPorts(c.unknown),
        allowedPorts: portsToJson(c.allowed),
        unknownPorts: portsToJson(c.unknown),
      }),
    );
  }
  const head = JSON.stringify({ schemaVersion: SCHEMA, nodes: m.sources.map(nodeJson), size: n, notes: m.notes }, null, 2);
  return hardenJson(`${head.slice(0, -2)},\n  "cells": [${cells.length === 0 ? '' : `\n    ${cells.join(',\n    ')}\n  `}]\n}\n`);
}

function csvField(raw: string): string {
  // Ids come from names: control characters (newlines included) are shown escaped, so a field is one line.
  const s = escapeText(raw);
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderMatrixCsv(m: ReachMatrix): string {
  const rows = ['source,destination,verdict,allowed,unknown'];
  for (const c of m.cells) {
    if (!c) continue;
    const s = m.sources[c.source];
    const d = m.destinations[c.destination];
    if (!s || !d) continue;
    rows.push([s.id, d.id, c.verdict, formatPorts(c.allowed), formatPorts(c.unknown)].map(csvField).join(','));
  }
  return defuseCiCommands(`${rows.join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}

/** Text inside a DOT string: input control characters shown escaped, then backslashes and quotes escaped. */
function dotText(raw: string): string {
  return escapeText(raw).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function dotId(raw: string): string {
  return `"${dotText(raw)}"`;
}

/** Graphviz: one cluster per namespace, an edge per allowed (solid) or undecidable (dashed) pair. */
export function renderMatrixDot(m: ReachMatrix): string {
  const lines = ['digraph netpol {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const byNs = new Map<string, MatrixNode[]>();
  for (const n of m.sources) {
    const k = n.type === 'external' ? '' : (n.namespace ?? '');
    const list = byNs.get(k) ?? [];
    list.push(n);
    byNs.set(k, list);
  }
  for (const [ns, nodes] of [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (ns === '') {
      for (const n of nodes) lines.push(`  ${dotId(n.id)} [label=${dotId(n.name)}, shape=ellipse, style=dashed];`);
      continue;
    }
    lines.push(`  subgraph ${dotId(`cluster_${ns}`)} {`, `    label=${dotId(ns)};`);
    for (const n of nodes) lines.push(`    ${dotId(n.id)} [label="${dotText(n.name)}\\n${dotText(n.kind ?? '')}"];`);
    lines.push('  }');
  }
  for (const c of m.cells) {
    if (!c || c.verdict === 'denied' || c.source === c.destination) continue;
    const s = m.sources[c.source];
    const d = m.destinations[c.destination];
    if (!s || !d) continue;
    const label = cellText(c);
    const style = c.verdict === 'unknown' ? ', style=dashed, color=gray40' : label === 'all' ? ', color=red' : '';
    lines.push(`  ${dotId(s.id)} -> ${dotId(d.id)} [label=${dotId(label)}${style}];`);
  }
  lines.push('}');
  return defuseCiCommands(`${lines.join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}

function matchLine(m: RuleMatch): string {
  const loc = m.policy.object.origin.locate(m.rule.path) ?? m.policy.object.origin.location;
  const peer = m.peer ? describePeer(m.peer, m.policy.namespace) : m.rule.direction === 'Ingress' ? 'every source' : 'every destination';
  return `${m.certain ? '+' : '?'} ${m.policy.namespace}/${m.policy.name} ${m.rule.path}: ${peer}; ${describePorts(m.rule.ports)} → ${formatPorts(m.ports)}${loc ? ` (${loc.file}:${loc.line})` : ''}`;
}

function sideLines(side: SideExplanation, who: string): string[] {
  const head = `${side.direction} of ${who}: ${side.verdict.toUpperCase()} — ${side.reason}`;
  const out = [head];
  for (const p of side.policies) {
    const loc = p.object.origin.location;
    out.push(`  policy ${p.namespace}/${p.name}${loc ? ` (${loc.file}:${loc.line})` : ''}`);
  }
  for (const m of side.matches) out.push(`    ${matchLine(m)}`);
  return out;
}

export function renderDecisionTable(d: Decision, src: string, dst: string): string {
  const on = d.port !== undefined && d.protocol ? ` on ${d.protocol}/${d.port}` : '';
  const lines = [`${d.verdict.toUpperCase()}: ${src} -> ${dst}${on}`];
  lines.push(`allowed ports: ${formatPorts(d.allowed)}${isEmptyPorts(d.unknown) ? '' : `; cannot be decided: ${formatPorts(d.unknown)}`}`);
  lines.push('');
  lines.push(...sideLines(d.egress, src), '', ...sideLines(d.ingress, dst));
  if (d.reasons.length > 0) lines.push('', ...d.reasons.map((r) => `note: ${r}`));
  return textOf(lines);
}

function sideJson(s: SideExplanation): Record<string, unknown> {
  return {
    direction: s.direction,
    subject: s.subject?.id ?? null,
    isolated: s.isolated,
    verdict: s.verdict,
    reason: s.reason,
    policies: s.policies.map((p) => ({ namespace: p.namespace, name: p.name, file: p.object.origin.location?.file, line: p.object.origin.location?.line })),
    rules: s.matches.map((m) => ({
      policy: `${m.policy.namespace}/${m.policy.name}`,
      path: m.rule.path,
      peer: m.peer ? describePeer(m.peer, m.policy.namespace) : null,
      certain: m.certain,
      ports: formatPorts(m.ports),
    })),
  };
}

export function renderDecisionJson(d: Decision, src: string, dst: string): string {
  return `${hardenJson(JSON.stringify(
    {
      schemaVersion: SCHEMA,
      source: src,
      destination: dst,
      verdict: d.verdict,
      ...(d.port !== undefined ? { protocol: d.protocol, port: d.port } : {}),
      allowed: formatPorts(d.allowed),
      unknown: formatPorts(d.unknown),
      allowedPorts: portsToJson(d.allowed),
      egress: sideJson(d.egress),
      ingress: sideJson(d.ingress),
      notes: d.reasons,
    },
    null,
    2,
  ))}\n`;
}

function labelText(l: Readonly<Record<string, string>>): string {
  const keys = Object.keys(l).sort();
  return keys.length === 0 ? '(none)' : keys.map((k) => `${k}=${l[k] ?? ''}`).join(', ');
}

export function renderExplainTable(v: ExplainView): string {
  const e = v.endpoint;
  const lines = [`${e.kind ?? ''} ${e.namespace ?? ''}/${e.name}`];
  lines.push(`  labels: ${labelText(v.labels)}`);
  lines.push(`  namespace labels: ${labelText(v.namespaceLabels)}${v.namespaceKnown ? '' : ' (no Namespace object in the input: only the name label is known)'}`);
  if (v.namedPorts.length > 0) lines.push(`  named ports: ${v.namedPorts.join(', ')}`);
  if (v.hostNetwork) lines.push('  hostNetwork: true (policies may not apply: up to the network plugin)');
  if (v.sameClass > 1) lines.push(`  behaves like ${counted(v.sameClass - 1, 'other workload')} toward every policy`);
  for (const [name, d] of [
    ['Ingress', v.ingress],
    ['Egress', v.egress],
  ] as const) {
    lines.push('');
    if (!d.isolated) lines.push(`${name}: not isolated — no policy selects it for ${name.toLowerCase()}, everything is allowed`);
    else {
      lines.push(`${name}: isolated by ${d.policies.length} polic${d.policies.length === 1 ? 'y' : 'ies'}; allowed is the union of their rules`);
      for (const p of d.policies) lines.push(`  policy ${p.name}${p.file !== undefined ? ` (${p.file}:${p.line ?? 0})` : ''}`);
      if (d.rules.length === 0) lines.push('    no rules: nothing is allowed');
      for (const r of d.rules) lines.push(`    ${r.policy} ${r.path}: ${r.peers.join(' OR ')}; ${r.ports}`);
    }
    const title = name === 'Ingress' ? 'can be reached from' : 'can reach';
    lines.push(`  ${title}:`);
    if (d.peers.length === 0) lines.push('    nothing');
    for (const p of d.peers) lines.push(`    ${nodeLabel(p.node)}${p.node.type === 'endpoint' ? ` (${p.node.kind ?? ''})` : ' (external)'}: ${p.allowed === '' ? '' : p.allowed}${p.unknown !== 'none' ? `${p.allowed === '' ? '' : '; '}? ${p.unknown}` : ''}`);
  }
  return textOf(lines);
}

export function renderExplainJson(v: ExplainView): string {
  const dir = (d: ExplainView['ingress']): Record<string, unknown> => ({
    isolated: d.isolated,
    policies: d.policies,
    rules: d.rules,
    peers: d.peers.map((p) => ({ ...nodeJson(p.node), verdict: p.verdict, allowed: p.allowed === '' ? 'none' : p.allowed, unknown: p.unknown })),
  });
  return `${hardenJson(JSON.stringify(
    {
      schemaVersion: SCHEMA,
      endpoint: nodeJson(v.endpoint),
      labels: v.labels,
      namespaceLabels: v.namespaceLabels,
      namespaceKnown: v.namespaceKnown,
      namedPorts: v.namedPorts,
      hostNetwork: v.hostNetwork,
      ingress: dir(v.ingress),
      egress: dir(v.egress),
      notes: v.notes,
    },
    null,
    2,
  ))}\n`;
}

/** Above the pair-by-pair limit: the totals, one line per namespace and one per equivalence class. */
export function renderMatrixSummaryTable(m: MatrixSummary, limit: number): string {
  const s = m.summary;
  const pct = (n: number): string => (s.pairs.total === 0 ? '0%' : `${((100 * n) / s.pairs.total).toFixed(1)}%`);
  const lines: string[] = [];
  lines.push(`${s.endpoints} pods and workloads in ${s.namespaces} namespaces, ${s.policies} policies: more than ${limit} rows, so summarised by namespace and by equivalence class (endpoints of a class behave alike toward everything). --full -f csv writes every pair.`);
  lines.push(`${s.pairs.total} ordered pairs: ${pct(s.pairs.allowed)} allowed on some port (${pct(s.pairs.open)} on every port), ${pct(s.pairs.denied)} denied, ${pct(s.pairs.unknown)} not decidable from the policies alone.`);
  lines.push(`Isolated for ingress: ${s.isolated.ingress}, for egress: ${s.isolated.egress}; reachable from every other endpoint: ${s.reachableFromAll}; hostNetwork: ${s.isolated.hostNetwork}.`);
  lines.push('');
  let nsW = 'NAMESPACES'.length;
  for (const n of m.namespaces) nsW = Math.min(40, Math.max(nsW, escapeText(n.namespace).length));
  lines.push(`${pad('NAMESPACE', nsW)}  ${'PODS'.padStart(6)}  ${'CLASSES'.padStart(7)}  REACHES NS  REACHED FROM NS`);
  for (const n of m.namespaces) lines.push(`${pad(clip(n.namespace, nsW), nsW)}  ${String(n.pods).padStart(6)}  ${String(n.classes).padStart(7)}  ${String(n.reachesNamespaces).padStart(10)}  ${String(n.reachedFromNamespaces).padStart(15)}`);
  lines.push('');
  lines.push(`${'CLASS'.padStart(5)}  ${pad('NAMESPACES', nsW)}  ${'PODS'.padStart(6)}  INGRESS   EGRESS    ${'REACHES'.padStart(8)}  ${'IN NS'.padStart(5)}  ${'REACHED BY'.padStart(10)}  EXAMPLE`);
  for (const c of m.classes) {
    const iso = (b: boolean): string => pad(b ? 'isolated' : 'open', 8);
    const example = `${c.examples[0] ?? ''}${c.pods > 1 ? ` (+${c.pods - 1})` : ''}${c.hostNetwork ? ' hostNetwork' : ''}`;
    const spans = `${c.namespaces[0] ?? ''}${c.namespaces.length > 1 ? ` +${c.namespaces.length - 1}` : ''}`;
    lines.push(`${String(c.id).padStart(5)}  ${pad(clip(spans, nsW), nsW)}  ${String(c.pods).padStart(6)}  ${iso(c.isolated.ingress)}  ${iso(c.isolated.egress)}  ${String(c.reaches.pods).padStart(8)}  ${String(c.reaches.namespaces).padStart(5)}  ${String(c.reachedBy.pods).padStart(10)}  ${example}`.trimEnd());
  }
  lines.push('');
  lines.push('REACHES: other endpoints a member may open a connection to on some port (IN NS: in how many namespaces); REACHED BY: endpoints that may connect to a member.');
  return textOf(lines);
}

export function renderMatrixSummaryJson(m: MatrixSummary): string {
  return hardenJson(`${JSON.stringify({ schemaVersion: SCHEMA, kind: 'summary', summary: m.summary, namespaces: m.namespaces, classes: m.classes, notes: m.notes }, null, 2)}\n`);
}

/** The pod-level CSV of renderMatrixCsv, written row by row into `sink` (no n² array, no one string). */
export function writeMatrixCsv(nodes: readonly MatrixNode[], rows: Iterable<readonly { readonly source: number; readonly destination: number; readonly verdict: string; readonly allowed: PortSet; readonly unknown: PortSet }[]>, sink: Sink): void {
  const out = new ChunkWriter(sink, (t) => defuseCiCommands(t, (c) => (c === '#' ? '\\x23' : '\\x3a')));
  out.push('source,destination,verdict,allowed,unknown');
  for (const row of rows)
    for (const c of row) {
      const s = nodes[c.source];
      const d = nodes[c.destination];
      if (!s || !d) continue;
      out.push([s.id, d.id, c.verdict, formatPorts(c.allowed), formatPorts(c.unknown)].map(csvField).join(','));
    }
  out.end();
}
