/**
 * The pictures of the HTML report, drawn as inline SVG when the report is written (no script, no network): severity
 * bars, the score ring, the certificate expiry timeline, the history lines, the namespace reachability heatmap and
 * the RBAC escalation graph (laid out with @dagrejs/dagre). Colours are SVG presentation attributes, never `style`,
 * so the pictures keep their colours where a Content-Security-Policy blocks inline styles. Every label is escaped;
 * every picture has a title and a text alternative beside it in the page.
 */
import type { CertificateSummary, RbacPathsSection } from '../../core/report.js';
import { SEVERITIES, type Severity } from '../../core/severity.js';
import { h } from './escape.js';
import { lazyModule } from '../../engines/lazy.js';

export const SEVERITY_FILL: Readonly<Record<Severity, string>> = { critical: '#7e22ce', high: '#dc2626', medium: '#ea580c', low: '#2563eb', info: '#64748b' };

function svgOpen(width: number, height: number, title: string, id: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}"><title id="${id}">${h(title)}</title>`;
}

function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Horizontal bars, one per severity. */
export function severityBars(counts: Readonly<Record<Severity, number>>): string {
  const max = Math.max(1, ...SEVERITIES.map((s) => counts[s]));
  const rowH = 24;
  const w = 420;
  let out = svgOpen(w, rowH * SEVERITIES.length + 4, `Findings by severity: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}`, 'svg-sev');
  SEVERITIES.forEach((s, i) => {
    const y = i * rowH + 2;
    const bw = (counts[s] / max) * 280;
    out += `<text x="0" y="${y + 16}" font-size="13" fill="#1f2937">${s}</text><rect x="70" y="${y + 3}" width="${n(Math.max(bw, counts[s] > 0 ? 2 : 0))}" height="16" rx="3" fill="${SEVERITY_FILL[s]}"/><text x="${n(76 + bw)}" y="${y + 16}" font-size="13" fill="#1f2937">${counts[s]}</text>`;
  });
  return `${out}</svg>`;
}

/** A ring filled to `score` percent (null: no score), with the number in the middle. */
export function scoreRing(score: number | null, label: string, id: string): string {
  const r = 40;
  const c = 2 * Math.PI * r;
  const filled = score === null ? 0 : (score / 100) * c;
  const colour = score === null ? '#94a3b8' : score >= 90 ? '#16a34a' : score >= 70 ? '#ca8a04' : '#dc2626';
  return `${svgOpen(110, 110, `${label}: ${score === null ? 'no score' : `${score}%`}`, id)}<circle cx="55" cy="55" r="${r}" fill="none" stroke="#e5e7eb" stroke-width="12"/><circle cx="55" cy="55" r="${r}" fill="none" stroke="${colour}" stroke-width="12" stroke-dasharray="${n(filled)} ${n(c)}" transform="rotate(-90 55 55)"/><text x="55" y="61" text-anchor="middle" font-size="18" font-weight="700" fill="#1f2937">${score === null ? '–' : `${Math.round(score)}%`}</text></svg>`;
}

/** Certificates drawn at most on the timeline (all are in the table below it). */
export const MAX_TIMELINE = 150;

/** Each certificate as a bar from notBefore to notAfter, with a line at the report's time. */
export function expiryTimeline(certs: readonly CertificateSummary[], now: Date): string {
  const list = [...certs].sort((a, b) => (a.notAfter < b.notAfter ? -1 : a.notAfter > b.notAfter ? 1 : 0)).slice(0, MAX_TIMELINE);
  if (list.length === 0) return '';
  const t = (s: string): number => {
    const v = Date.parse(s);
    return Number.isFinite(v) ? v : now.getTime();
  };
  const year = 365.25 * 86_400_000;
  const from = Math.min(now.getTime() - year / 4, ...list.map((c) => t(c.notBefore)));
  const to = Math.max(now.getTime() + year / 4, ...list.map((c) => t(c.notAfter)));
  const left = 300;
  const width = 1000;
  const plot = width - left - 20;
  const rowH = 18;
  const height = list.length * rowH + 40;
  const x = (v: number): number => left + ((v - from) / (to - from)) * plot;
  let out = svgOpen(width, height, `Certificate validity periods (${list.length} of ${certs.length}), sorted by expiry; the vertical line is the report's time`, 'svg-pki');
  list.forEach((c, i) => {
    const y = i * rowH + 4;
    const who = c.identity ? `${c.identity.user}${c.identity.groups.length > 0 ? ` (O=${c.identity.groups.join(',')})` : ''}` : c.subject;
    const label = `${c.certificate} — ${who} [${c.role}]`;
    const short = `${c.certificate.slice(c.certificate.lastIndexOf('/') + 1)} — ${who} [${c.role}]`;
    const shown = short.length > 48 ? `${short.slice(0, 47)}…` : short;
    const fill = c.residualDays < 0 ? '#dc2626' : c.residualDays < 30 ? '#ea580c' : c.residualDays < 90 ? '#ca8a04' : '#16a34a';
    out += `<g><title>${h(`${label}: ${c.notBefore} → ${c.notAfter} (${c.residualDays} days left)`)}</title><text x="0" y="${y + 12}" font-size="11" fill="#1f2937">${h(shown)}</text><rect x="${n(x(t(c.notBefore)))}" y="${y + 3}" width="${n(Math.max(2, x(t(c.notAfter)) - x(t(c.notBefore))))}" height="11" rx="2" fill="${fill}"/></g>`;
  });
  const nx = x(now.getTime());
  out += `<line x1="${n(nx)}" y1="0" x2="${n(nx)}" y2="${height - 24}" stroke="#111827" stroke-width="1.5" stroke-dasharray="4 3"/><text x="${n(nx + 3)}" y="${height - 10}" font-size="11" fill="#111827">now ${h(now.toISOString().slice(0, 10))}</text>`;
  for (let yr = new Date(from).getUTCFullYear() + 1; yr <= new Date(to).getUTCFullYear(); yr++) {
    const v = x(Date.UTC(yr, 0, 1));
    out += `<line x1="${n(v)}" y1="0" x2="${n(v)}" y2="${height - 24}" stroke="#e5e7eb"/><text x="${n(v + 2)}" y="${height - 24}" font-size="10" fill="#4b5563">${yr}</text>`;
  }
  return `${out}</svg>`;
}

/** One point of the history chart. */
export interface HistoryPoint {
  readonly label: string;
  readonly generatedAt: string;
  readonly score: number | null;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly findings: number;
}

/** Findings per severity (and the score, dashed, on its own 0–100 axis) over the runs given, oldest first. */
export function historyChart(points: readonly HistoryPoint[]): string {
  if (points.length === 0) return '';
  const w = 900;
  const hgt = 260;
  const left = 50;
  const right = 50;
  const top = 16;
  const bottom = 40;
  const max = Math.max(1, ...points.map((p) => Math.max(...SEVERITIES.map((s) => p.bySeverity[s]))));
  const px = (i: number): number => left + (points.length === 1 ? (w - left - right) / 2 : (i / (points.length - 1)) * (w - left - right));
  const py = (v: number): number => top + (1 - v / max) * (hgt - top - bottom);
  const ps = (v: number): number => top + (1 - v / 100) * (hgt - top - bottom);
  let out = svgOpen(w, hgt, `Findings by severity and score over ${points.length} runs`, 'svg-history');
  out += `<line x1="${left}" y1="${hgt - bottom}" x2="${w - right}" y2="${hgt - bottom}" stroke="#9ca3af"/><text x="4" y="${top + 4}" font-size="10" fill="#4b5563">${max}</text><text x="${w - right + 4}" y="${top + 4}" font-size="10" fill="#4b5563">100%</text>`;
  for (const s of SEVERITIES) {
    const pts = points.map((p, i) => `${n(px(i))},${n(py(p.bySeverity[s]))}`).join(' ');
    out += `<polyline points="${pts}" fill="none" stroke="${SEVERITY_FILL[s]}" stroke-width="2"/>`;
    points.forEach((p, i) => (out += `<circle cx="${n(px(i))}" cy="${n(py(p.bySeverity[s]))}" r="3" fill="${SEVERITY_FILL[s]}"/>`));
  }
  const scored = points.map((p, i) => (p.score === null ? '' : `${n(px(i))},${n(ps(p.score))}`)).filter((x) => x !== '');
  if (scored.length > 0) out += `<polyline points="${scored.join(' ')}" fill="none" stroke="#16a34a" stroke-width="2" stroke-dasharray="6 4"/>`;
  points.forEach((p, i) => (out += `<text x="${n(px(i))}" y="${hgt - bottom + 16}" font-size="10" text-anchor="middle" fill="#4b5563">${h(p.generatedAt.slice(0, 10))}</text>`));
  return `${out}</svg>`;
}

/** A namespace × namespace heatmap: the share of pod pairs from row to column that may connect on some port. */
export function heatmap(names: readonly string[], share: (from: number, to: number) => number | undefined, title: string): string {
  const k = names.length;
  if (k === 0) return '';
  const cell = k > 60 ? 8 : k > 30 ? 12 : 18;
  const cut = (s: string): string => (s.length > 22 ? `${s.slice(0, 21)}…` : s);
  const label = cell >= 12 ? Math.min(150, 12 + 6 * Math.max(...names.map((x) => cut(x).length))) : 10;
  const size = label + k * cell + 10;
  let out = svgOpen(size, size, title, 'svg-heat');
  names.forEach((nm, i) => {
    if (cell >= 12) {
      out += `<text x="${label - 4}" y="${label + i * cell + cell - 4}" font-size="10" text-anchor="end" fill="#1f2937">${h(cut(nm))}</text>`;
      out += `<text transform="translate(${label + i * cell + cell - 4} ${label - 4}) rotate(-90)" font-size="10" fill="#1f2937">${h(cut(nm))}</text>`;
    }
  });
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = share(a, b);
      const fill = v === undefined ? '#f3f4f6' : v === 0 ? '#dcfce7' : v < 0.5 ? '#fde68a' : v < 1 ? '#fb923c' : '#dc2626';
      out += `<rect x="${label + b * cell}" y="${label + a * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${h(`${names[a] ?? ''} → ${names[b] ?? ''}: ${v === undefined ? 'no pods' : `${Math.round(v * 100)}% of pod pairs can connect`}`)}</title></rect>`;
    }
  }
  return `${out}</svg>`;
}

interface Point {
  readonly x: number;
  readonly y: number;
}
interface LaidNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
interface LaidEdge {
  readonly points?: readonly Point[];
  readonly x?: number;
  readonly y?: number;
}
/** The part of dagre's graph this file uses (its published types do not resolve under NodeNext). */
interface DagreGraph {
  setGraph(label: Record<string, unknown>): void;
  setDefaultEdgeLabel(f: () => Record<string, unknown>): void;
  setNode(id: string, label: { width: number; height: number }): void;
  setEdge(from: string, to: string, label: Record<string, unknown>): void;
  graph(): { width?: number; height?: number };
  nodes(): string[];
  node(id: string): LaidNode;
  edges(): { v: string; w: string }[];
  edge(e: { v: string; w: string }): LaidEdge;
}
interface Dagre {
  Graph: new (options: { multigraph: boolean }) => DagreGraph;
  layout(g: DagreGraph): void;
}
// Loaded when a graph is drawn (about 20 ms of start-up), not by every run that could write HTML.
const dagre = lazyModule<Dagre>('@dagrejs/dagre');

/** Nodes drawn at most in the RBAC graph (the paths are all listed as text below it). */
export const MAX_GRAPH_NODES = 300;

/** The union of the escalation paths, laid out left to right with dagre; cluster-admin is the red node. */
export function rbacGraph(section: RbacPathsSection): string {
  const g = new dagre.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const label = (id: string): string => section.nodes[id] ?? id;
  const cut = (s: string): string => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const nodes = new Set<string>();
  for (const p of section.paths) {
    nodes.add(p.from);
    for (const s of p.steps) {
      nodes.add(s.from);
      nodes.add(s.to);
    }
  }
  if (nodes.size === 0 || nodes.size > MAX_GRAPH_NODES) return '';
  for (const id of nodes) g.setNode(id, { width: Math.max(60, cut(label(id)).length * 6.4 + 16), height: 26 });
  const kinds = new Map<string, string>();
  for (const p of section.paths) for (const s of p.steps) {
    g.setEdge(s.from, s.to, { width: s.kind.length * 5.6, height: 12, labelpos: 'c' });
    kinds.set(`${s.from}\u0000${s.to}`, s.kind);
  }
  dagre.layout(g);
  const gw = Math.ceil(g.graph().width ?? 400);
  const gh = Math.ceil(g.graph().height ?? 200);
  let out = `${svgOpen(gw, gh, `Escalation paths to cluster-admin: ${section.paths.length} shortest paths over ${nodes.size} identities`, 'svg-rbac')}<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#6b7280"/></marker></defs>`;
  for (const e of g.edges()) {
    const ed = g.edge(e);
    const pts = (ed.points ?? []).map((p) => `${n(p.x)},${n(p.y)}`).join(' ');
    out += `<polyline points="${pts}" fill="none" stroke="#6b7280" stroke-width="1.3" marker-end="url(#arrow)"/>`;
    if (ed.x !== undefined && ed.y !== undefined) out += `<text x="${n(ed.x)}" y="${n(ed.y - 3)}" font-size="10" text-anchor="middle" fill="#374151">${h(kinds.get(`${e.v}\u0000${e.w}`) ?? '')}</text>`;
  }
  for (const id of g.nodes()) {
    const nd = g.node(id);
    const admin = id === 'cluster-admin';
    out += `<g><title>${h(label(id))}</title><rect x="${n(nd.x - nd.width / 2)}" y="${n(nd.y - nd.height / 2)}" width="${n(nd.width)}" height="${n(nd.height)}" rx="5" fill="${admin ? '#fee2e2' : '#eef2ff'}" stroke="${admin ? '#dc2626' : '#6366f1'}"/><text x="${n(nd.x)}" y="${n(nd.y + 4)}" font-size="11" text-anchor="middle" fill="#111827">${h(cut(label(id)))}</text></g>`;
  }
  return `${out}</svg>`;
}
