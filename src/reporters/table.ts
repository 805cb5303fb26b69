/**
 * The table reporter, for humans in a terminal: findings grouped by resource (or by check, or by namespace), the
 * suppressed findings when asked, what was not evaluated, input problems, a per-check summary and the totals.
 * Lines fit the given width: messages wrap, columns stay aligned (the check-id column is as wide as the longest id).
 * Every string from input is escaped (core/text.ts) so no manifest can drive the terminal or forge a CI command.
 */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { counted, defuseCiCommands, escapeText } from '../core/text.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { paint, type Style } from './style.js';
import { displayWidth, padEnd, padStart, wrap } from './text.js';
import { checkSummaries, countsText, displayView, fileBesideLabel, notApplicableText, resourceLabel, type GroupBy } from './view.js';

export interface TableOptions extends Style {
  readonly showSuppressed?: boolean;
  /** Group findings by resource (default), by check or by namespace. */
  readonly groupBy?: GroupBy;
  /** Display filter: list only findings at or above this severity; totals still count every finding. */
  readonly minSeverity?: Severity;
  /** Columns available (default 100, as when the output is not a terminal; at least 60 are used). */
  readonly width?: number;
  /** What the findings of one resource share, stated once (findings grouped by resource or namespace only). */
  readonly share?: FindingsShare;
}

/**
 * What the findings of one resource have in common, stated once under the resource: `lead` (a line, e.g. `User a,
 * ServiceAccount ns/b can`) and, per finding, what its message says beyond the lead and the check (`rest`; undefined:
 * the finding is shown whole, as without a share). A finding with a rest takes one line, `:line SEVERITY check rest`,
 * not wrapped: a large report is not padded, and each line holds a whole finding. Undefined: nothing shared.
 */
export type FindingsShare = (findings: readonly Finding[]) => { readonly lead: string; readonly rests: readonly (string | undefined)[] } | undefined;

export const DEFAULT_WIDTH = 100;
/** Narrower terminals are rendered as if they had this many columns. */
export const MIN_WIDTH = 60;
/** Below this many columns for the message, a finding's message goes on its own lines under the row. */
const MIN_MESSAGE = 30;
const SEV_W = 8;
const LOC_W = 6;

const e = escapeText;

const tableEncode = (c: '#' | ':'): string => (c === '#' ? '\\x23' : '\\x3a');

/**
 * Wrap, then make sure no piece reads as a CI command once it starts a line (runners ignore leading blanks): such
 * pieces get their first `:` shown as `\x3a`, wrapped 3 columns narrower so they still fit.
 */
function wrapSafe(s: string, width: number): string[] {
  const parts = wrap(s, width);
  if (!parts.some(startsCommand)) return parts;
  return wrap(s, Math.max(1, width - 3)).map((p) => defuseCiCommands(p, tableEncode));
}

/** `::` after leading white space (what trimStart removes: `\s`), tested without making the trimmed string. */
const COMMAND_START = /^\s*::/;
const startsCommand = (p: string): boolean => COMMAND_START.test(p);

/** Where rows go: a ChunkWriter (chunks.ts), so the table streams out. */
interface Lines {
  push(...lines: string[]): void;
  /** A piece of a line (see ChunkWriter.part), ended by `endLine`. */
  part(text: string): void;
  endLine(): void;
}

/**
 * The widest of `items` by `width`, at least `min` (a loop: spreading 100,000 arguments overflows the stack). Indexed:
 * a for-of loop the interpreter runs makes an iterator result per item (this runs a few times over every finding).
 */
function widest<T>(items: readonly T[], width: (t: T) => number, min: number): number {
  let w = min;
  for (let i = 0; i < items.length; i++) w = Math.max(w, width(items[i] as T));
  return w;
}

interface Layout {
  readonly width: number;
  readonly idW: number;
  /** The location column (`:LINE`): LOC_W, or wider when a line number needs it (past line 99,999). */
  readonly locW: number;
  readonly style: Style;
  readonly share?: FindingsShare | undefined;
  /** Severity and check-id cells by check id and severity (cellsOf). */
  readonly cells: Map<string, Map<Severity, string>>;
  /** The location cell of the last finding's line (`:LINE` padded), and that line: a resource's findings share it. */
  lastLine: number | undefined;
  lastLoc: string;
}

/** `n` spaces, the same string each time (a large table indents hundreds of thousands of lines by a few widths). */
const spaceRuns: string[] = [];
function spaces(n: number): string {
  return (spaceRuns[n] ??= ' '.repeat(n));
}

/** One row: fixed columns, then the message wrapped to the columns left, continuation lines aligned under it. */
function row(lines: Lines, layout: Layout, indent: number, columns: string, columnsW: number, message: string, gap = 1, minRoom = MIN_MESSAGE): void {
  const start = indent + columnsW + gap;
  const room = layout.width - start;
  const pad = spaces(indent);
  if (room >= minRoom) {
    const parts = wrapSafe(message, room);
    lines.push(`${pad}${columns}${spaces(gap)}${parts[0] ?? ''}`.trimEnd());
    const under = spaces(start);
    for (let i = 1; i < parts.length; i++) lines.push(`${under}${parts[i] as string}`);
    return;
  }
  // Too narrow for columns and message side by side: the message goes below, indented a little more.
  lines.push(`${pad}${columns}`.trimEnd());
  const inner = indent + 2;
  for (const p of wrapSafe(message, Math.max(MIN_MESSAGE / 2, layout.width - inner))) lines.push(`${spaces(inner)}${p}`);
}

/** A heading line (resource, check, namespace), wrapped to the width. */
function heading(lines: Lines, layout: Layout, indent: number, bold: string, dim: string): void {
  const pad = spaces(indent);
  const text = dim === '' ? bold : `${bold}  ${dim}`;
  const parts = wrapSafe(text, layout.width - indent);
  if (parts.length === 1 && displayWidth(bold) + indent <= layout.width) {
    lines.push(`${pad}${paint(layout.style, 'bold', bold)}${dim === '' ? '' : `  ${paint(layout.style, 'dim', dim)}`}`);
    return;
  }
  for (const p of parts) lines.push(`${pad}${p}`);
}

function sevCell(style: Style, s: Severity): string {
  return paint(style, s, s.toUpperCase().padEnd(SEV_W));
}

function containerSuffix(f: Finding): string {
  return f.resource?.container !== undefined ? ` [${e(f.resource.container)}]` : '';
}

type Suffix = (f: Finding) => string;

/** A finding's severity and check-id cells, written once per severity and check of the layout (a few dozen). */
function cellsOf(layout: Layout, f: Finding): string {
  let bySeverity = layout.cells.get(f.checkId);
  if (!bySeverity) layout.cells.set(f.checkId, (bySeverity = new Map<Severity, string>()));
  let cells = bySeverity.get(f.severity);
  if (cells === undefined) bySeverity.set(f.severity, (cells = `${sevCell(layout.style, f.severity)} ${padEnd(e(f.checkId), layout.idW)}`));
  return cells;
}

/** A finding's location cell, `:LINE` padded to the column (the last one kept: a resource's findings share a line). */
function locCell(layout: Layout, f: Finding): string {
  const line = f.location?.line;
  if (line !== layout.lastLine || layout.lastLine === undefined) {
    layout.lastLine = line;
    layout.lastLoc = (f.location ? `:${f.location.line}` : '').padEnd(layout.locW);
  }
  return layout.lastLoc;
}

/** Findings of one resource: `:line SEVERITY check-id message` (with a share: its lead once, before the first finding that continues it; those unwrapped). */
function resourceRows(lines: Lines, layout: Layout, indent: number, list: readonly Finding[], suffix?: Suffix): void {
  const shared = suffix === undefined ? layout.share?.(list) : undefined;
  const pad = spaces(indent);
  let led = false;
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as Finding;
    const loc = locCell(layout, f);
    const rest = shared?.rests[i];
    if (shared && rest !== undefined && !led) {
      // The lead, once, before the first finding that continues it.
      for (const p of wrapSafe(e(shared.lead), layout.width - indent)) lines.push(`${pad}${p}`);
      led = true;
    }
    if (rest !== undefined) {
      const text = e(rest);
      const tail = containerSuffix(f);
      // trimEnd needs the line as one string: only when it may end in blanks, which its last piece tells. Else the
      // line goes out in its pieces (the chunk's join copies them once).
      if (mayEndBlank(tail !== '' ? tail : text)) lines.push(`${pad}${loc} ${cellsOf(layout, f)}  ${text}${tail}`.trimEnd());
      else {
        lines.part(pad);
        lines.part(loc);
        lines.part(' ');
        lines.part(cellsOf(layout, f));
        lines.part('  ');
        lines.part(text);
        if (tail !== '') lines.part(tail);
        lines.endLine();
      }
    }
    else row(lines, layout, indent, `${loc} ${cellsOf(layout, f)}`, layout.locW + 1 + SEV_W + 1 + layout.idW, `${e(f.message)}${containerSuffix(f)}${suffix ? suffix(f) : ''}`, 2);
  }
}

/** False when `s` ends in a character String.prototype.trimEnd keeps (it is not empty and its last is no blank). */
function mayEndBlank(s: string): boolean {
  if (s === '') return true;
  const c = s.charCodeAt(s.length - 1);
  if (c > 0x20 && c < 0x7f) return false;
  return /\s$/u.test(s.slice(-1));
}

function groupsOf<K>(findings: readonly Finding[], key: (f: Finding) => K): Map<K, Finding[]> {
  const groups = new Map<K, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(f);
  }
  return groups;
}

function fileOf(f: Finding): string {
  return f.location?.file ?? f.source?.uri ?? '';
}

/**
 * Findings grouped by resource label and file, groups in the order of their first finding (no key string per finding),
 * with each group's label (resourceLabel with the namespace: the heading reuses it).
 */
function byLabelAndFile(findings: readonly Finding[]): { groups: Finding[][]; labels: string[] } {
  const groups: Finding[][] = [];
  const labels: string[] = [];
  // A label's first file and its findings; other files of the label (rare) in a map.
  const byLabel = new Map<string, { file: string; list: Finding[]; others?: Map<string, Finding[]> }>();
  // A run's findings on one object share its resource object and come one after the other: such a finding, in the
  // previous one's file, joins the previous one's group (same label, same file) without a label or a lookup.
  let last: Finding | undefined;
  let lastList: Finding[] | undefined;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    if (last !== undefined && lastList !== undefined && f.resource !== undefined && f.resource === last.resource && fileOf(f) === fileOf(last)) {
      lastList.push(f);
      last = f;
      continue;
    }
    const label = resourceLabel(f);
    const file = fileOf(f);
    const held = byLabel.get(label);
    if (held === undefined) {
      const list = [f];
      byLabel.set(label, { file, list });
      groups.push(list);
      labels.push(label);
      lastList = list;
    } else if (held.file === file) {
      held.list.push(f);
      lastList = held.list;
    } else {
      held.others ??= new Map();
      let g = held.others.get(file);
      if (!g) {
        held.others.set(file, (g = []));
        groups.push(g);
        labels.push(label);
      }
      g.push(f);
      lastList = g;
    }
    last = f;
  }
  return { groups, labels };
}

function byResource(lines: Lines, layout: Layout, findings: readonly Finding[], indent: number, withNamespace: boolean, suffix?: Suffix): void {
  const { groups, labels } = byLabelAndFile(findings);
  // The file beside each heading escaped once per run of groups in one file (a large input's thousands of headings).
  let file: string | undefined;
  let fileText = '';
  for (let i = 0; i < groups.length; i++) {
    const list = groups[i] as Finding[];
    const first = list[0];
    if (!first) continue;
    const beside = fileBesideLabel(first);
    if (beside !== file) fileText = e((file = beside));
    heading(lines, layout, indent, e(withNamespace ? (labels[i] as string) : resourceLabel(first, false)), fileText);
    resourceRows(lines, layout, indent + 2, list, suffix);
    lines.push('');
  }
}

function byNamespace(lines: Lines, layout: Layout, findings: readonly Finding[], suffix?: Suffix): void {
  const groups = groupsOf(findings, (f) => f.resource?.namespace);
  const keys = [...groups.keys()].sort((a, b) => (a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : a > b ? 1 : 0));
  for (const ns of keys) {
    const list = groups.get(ns) ?? [];
    heading(lines, layout, 0, ns === undefined ? 'Cluster-scoped and other resources' : `Namespace ${e(ns)}`, `${list.length} finding${list.length === 1 ? '' : 's'}`);
    byResource(lines, layout, list, 2, false, suffix);
  }
}

function byCheck(lines: Lines, layout: Layout, report: Report, findings: readonly Finding[], suffix?: Suffix): void {
  const groups = groupsOf(findings, (f) => f.checkId);
  const order = checkSummaries({ ...report, findings, suppressed: [] }).map((c) => c.id);
  const titles = new Map(report.checks.map((c) => [c.id, c.title]));
  // The resource column: as wide as the widest label, within a third of the line.
  const resW = Math.min(
    widest(findings, (f) => displayWidth(e(resourceLabel(f)) + containerSuffix(f)), 8),
    Math.floor(layout.width / 3),
  );
  for (const id of order) {
    const list = groups.get(id) ?? [];
    const first = list[0];
    if (!first) continue;
    heading(lines, layout, 0, e(id), e(titles.get(id) ?? first.title));
    for (const f of list) {
      const label = `${e(resourceLabel(f))}${containerSuffix(f)}`;
      const file = fileBesideLabel(f);
      const where = f.location ? (file === '' ? `line ${f.location.line}` : `${file}:${f.location.line}`) : file;
      const message = `${e(f.message)}${where === '' ? '' : `  (${e(where)})`}${suffix ? suffix(f) : ''}`;
      if (displayWidth(label) <= resW) row(lines, layout, 2, `${sevCell(layout.style, f.severity)} ${padEnd(label, resW)}`, SEV_W + 1 + resW, message, 2);
      else {
        // A label wider than its column gets a line of its own; the message follows in the message column.
        row(lines, layout, 2, sevCell(layout.style, f.severity), SEV_W, label);
        row(lines, layout, 2, ' '.repeat(SEV_W + 1 + resW), SEV_W + 1 + resW, message, 2);
      }
    }
    lines.push('');
  }
}

function renderFindings(lines: Lines, layout: Layout, report: Report, findings: readonly Finding[], groupBy: GroupBy, suffix?: Suffix): void {
  if (groupBy === 'check') byCheck(lines, layout, report, findings, suffix);
  else if (groupBy === 'namespace') byNamespace(lines, layout, findings, suffix);
  else byResource(lines, layout, findings, 0, true, suffix);
}

/** The per-check summary: count, worst severity and resources per check, like kube-linter's and kubescape's tables. */
function summaryTable(lines: Lines, layout: Layout, report: Report): void {
  const rows = checkSummaries(report);
  if (rows.length === 0) return;
  const withSuppressed = rows.some((r) => r.suppressed > 0);
  const idW = widest(rows, (r) => displayWidth(e(r.id)), 5);
  const head = `${'SEVERITY'.padEnd(SEV_W)}  ${padEnd('CHECK', idW)}  FINDINGS  RESOURCES${withSuppressed ? '  SUPPRESSED' : ''}`;
  const colsW = displayWidth(head);
  lines.push(paint(layout.style, 'bold', 'Checks with findings'));
  if (2 + colsW + 2 + 12 <= layout.width) {
    lines.push(`  ${paint(layout.style, 'bold', `${head}  TITLE`)}`.trimEnd());
    for (const r of rows) {
      const cols = `${sevCell(layout.style, r.worst)}  ${padEnd(e(r.id), idW)}  ${padStart(String(r.findings), 8)}  ${padStart(String(r.resources), 9)}${withSuppressed ? `  ${padStart(String(r.suppressed), 10)}` : ''}`;
      row(lines, layout, 2, cols, colsW, e(r.title), 2, 12);
    }
  } else {
    // Narrow: the counts join the title in the wrapped column.
    for (const r of rows) {
      const counts = `${r.findings} finding${r.findings === 1 ? '' : 's'} on ${r.resources} resource${r.resources === 1 ? '' : 's'}${withSuppressed ? `, ${r.suppressed} suppressed` : ''}`;
      row(lines, layout, 2, `${sevCell(layout.style, r.worst)}  ${padEnd(e(r.id), idW)}`, SEV_W + 2 + idW, `${counts} — ${e(r.title)}`, 2);
    }
  }
  lines.push('');
}

export function renderTable(report: Report, options: TableOptions): string {
  return collect((sink) => { writeTable(report, options, sink); });
}

/** The table written in chunks (chunks.ts). */
export function writeTable(report: Report, options: TableOptions, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const width = Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH);
  const shownSuppressed = options.showSuppressed ? view.suppressed : [];
  // Check ids are few: measure each once.
  const idWidths = new Map<string, number>();
  const idWidth = (f: Finding): number => {
    let w = idWidths.get(f.checkId);
    if (w === undefined) idWidths.set(f.checkId, (w = displayWidth(e(f.checkId))));
    return w;
  };
  const idW = Math.max(widest(view.findings, idWidth, 0), widest(shownSuppressed, (s) => idWidth(s.finding), 0));
  // The width of a line number, written once per run of findings on one line (they come sorted by location).
  let widthOf: number | undefined;
  let widthOfLine = 0;
  const lineWidth = (f: Finding): number => {
    if (!f.location) return 0;
    const line = f.location.line;
    if (widthOf === undefined || line !== widthOfLine) {
      widthOfLine = line;
      widthOf = String(line).length + 1;
    }
    return widthOf;
  };
  const locW = Math.max(LOC_W, widest(view.findings, lineWidth, 0), widest(shownSuppressed, (s) => lineWidth(s.finding), 0));
  const layout: Layout = { width, idW: Math.min(idW, 48), locW, style: options, share: options.share, cells: new Map(), lastLine: undefined, lastLoc: '' };
  const groupBy = options.groupBy ?? 'resource';
  const lines = new ChunkWriter(sink, (t) => defuseCiCommands(t, tableEncode));

  renderFindings(lines, layout, report, view.findings, groupBy);
  if (shownSuppressed.length > 0) {
    lines.push(paint(options, 'bold', 'Suppressed findings'));
    const reasons = new Map(shownSuppressed.map((s) => [s.finding, `${s.by}: ${s.reason}${s.annotation ? `; written on ${s.annotation.object}${s.annotation.file !== undefined ? ` at ${s.annotation.file}${s.annotation.line !== undefined ? `:${s.annotation.line}` : ''}` : ''}` : ''}`]));
    renderFindings(lines, layout, report, shownSuppressed.map((s) => s.finding), groupBy, (f) => paint(options, 'dim', `  (suppressed by ${e(reasons.get(f) ?? '')})`));
  }
  if (report.notEvaluated.length > 0) {
    lines.push(paint(options, 'bold', 'Not evaluated'));
    for (const n of report.notEvaluated) {
      // The resource, unless the message already begins with it (one name once).
      const name = n.resource ? `${n.resource.kind} ${n.resource.namespace !== undefined ? `${n.resource.namespace}/` : ''}${n.resource.name}` : undefined;
      const r = name !== undefined && !n.message.startsWith(`${name} `) ? `${name}: ` : '';
      row(lines, layout, 2, n.reason.padEnd(14), 14, e([n.checkId, `${r}${n.message}`].filter((x) => x !== undefined).join(' ')));
    }
    lines.push('');
  }
  if (report.problems.length > 0) {
    lines.push(paint(options, 'bold', 'Input problems'));
    for (const p of report.problems) row(lines, layout, 2, p.severity.padEnd(8), 8, e(`${p.file !== undefined ? `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ` : ''}${p.message}`));
    lines.push('');
  }
  summaryTable(lines, layout, report);

  const s = report.summary;
  const counts = SEVERITIES.map((sev) => paint(options, sev, `${s.bySeverity[sev]} ${sev}`)).join(', ');
  lines.push(`${paint(options, 'bold', `${s.findings} finding${s.findings === 1 ? '' : 's'}`)}: ${counts}`);
  if (view.hidden.total > 0 && view.minSeverity !== undefined) {
    for (const l of wrapSafe(`${view.hidden.total} finding${view.hidden.total === 1 ? '' : 's'} below ${view.minSeverity} not listed (${countsText(view.hidden.bySeverity)}); --severity info lists them`, width)) lines.push(l);
  }
  const tail = `${counted(s.checksRun, 'check')} run${notApplicableText(report)} on ${counted(s.objectsScanned, 'object')} · ${s.skipped} skipped (not Kubernetes objects) · ${s.suppressed} suppressed${s.suppressed > 0 && !options.showSuppressed ? ' (--show-suppressed lists them)' : ''} · ${s.notEvaluated} not evaluated · ${counted(s.problems, 'input problem')}`;
  for (const l of wrapSafe(tail, width)) lines.push(l);
  lines.end();
}
