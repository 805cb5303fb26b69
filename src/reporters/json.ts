/**
 * The JSON reporter: the Report as documented by schema/report.schema.json (schemaVersion 3). A finding holds only
 * what is its own: its title, remediation and references are left out where they equal its check's entry in
 * `checks` (src/core/report-json.ts; readers restore them). With the `--severity` display filter, `findings` and
 * `suppressed` list only findings at or above it while `summary` still counts every finding.
 * Written in chunks (chunks.ts): a report of any size renders without building one string. Findings are written by
 * hand, field by field from the Finding interface, as exactly the text JSON.stringify(reportJsonValue(report), null, 2)
 * holds (a test compares the two); the text is hardened chunk by chunk like every JSON kspect writes.
 */
import type { FileLocation, Finding, References, ResourceRef, SourceRef, SuppressedFinding } from '../core/finding.js';
import type { CheckInfo, Report } from '../core/report.js';
import { checksById, omittedOf, REFERENCE_FIELDS } from '../core/report-json.js';
import type { Severity } from '../core/severity.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { hardenJson, LazyArray, TextArray, writeJsonText } from './safe-json.js';
import { displayView } from './view.js';

const str = (s: string): string => JSON.stringify(s);
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** `["a", "b"]` as JSON.stringify(list, null, 2) writes it at `indent`. */
function listText(list: readonly string[], indent: string): string {
  if (list.length === 0) return '[]';
  const inner = `\n${indent}  `;
  let s = '[';
  for (let i = 0; i < list.length; i++) s += `${i === 0 ? '' : ','}${inner}${str(list[i] as string)}`;
  return `${s}\n${indent}]`;
}

function resourceText(r: ResourceRef, indent: string): string {
  const m = `,\n${indent}  `;
  let s = `{\n${indent}  "apiVersion": ${str(r.apiVersion)}${m}"kind": ${str(r.kind)}`;
  if (r.namespace !== undefined) s += `${m}"namespace": ${str(r.namespace)}`;
  s += `${m}"name": ${str(r.name)}`;
  if (r.container !== undefined) s += `${m}"container": ${str(r.container)}`;
  return `${s}\n${indent}}`;
}

function locationText(l: FileLocation, indent: string): string {
  return `{\n${indent}  "file": ${str(l.file)},\n${indent}  "line": ${num(l.line)},\n${indent}  "column": ${num(l.column)}\n${indent}}`;
}

function sourceText(s: SourceRef, indent: string): string {
  return `{\n${indent}  "type": ${str(s.type)},\n${indent}  "uri": ${str(s.uri)}\n${indent}}`;
}

function referencesText(r: References, indent: string): string {
  let s = '';
  for (const k of REFERENCE_FIELDS) {
    const list = r[k];
    if (list !== undefined) s += `${s === '' ? '{' : ','}\n${indent}  ${str(k)}: ${listText(list, `${indent}  `)}`;
  }
  return s === '' ? '{}' : `${s}\n${indent}}`;
}

/**
 * Writes findings as text. Findings of one object follow each other and share their resource and source objects:
 * the text of the last one written is kept (one entry, per field).
 */
class FindingText {
  private readonly checks: ReadonlyMap<string, CheckInfo>;
  private lastResource: ResourceRef | undefined;
  private lastResourceIndent = '';
  private lastResourceText = '';
  private lastSource: SourceRef | undefined;
  private lastSourceIndent = '';
  private lastSourceText = '';

  constructor(checks: readonly CheckInfo[]) {
    this.checks = checksById(checks);
  }

  readonly finding = (f: Finding, indent: string): string => {
    const o = omittedOf(f, this.checks.get(f.checkId));
    const ind = `${indent}  `;
    const m = `,\n${ind}`;
    let s = `{\n${ind}"checkId": ${str(f.checkId)}${m}"severity": ${str(f.severity)}`;
    if (!o.title) s += `${m}"title": ${str(f.title)}`;
    s += `${m}"message": ${str(f.message)}`;
    const { resource, location, source } = f;
    if (resource !== undefined) {
      if (resource !== this.lastResource || ind !== this.lastResourceIndent) {
        this.lastResource = resource;
        this.lastResourceIndent = ind;
        this.lastResourceText = resourceText(resource, ind);
      }
      s += `${m}"resource": ${this.lastResourceText}`;
    }
    if (location !== undefined) s += `${m}"location": ${locationText(location, ind)}`;
    if (source !== undefined) {
      if (source !== this.lastSource || ind !== this.lastSourceIndent) {
        this.lastSource = source;
        this.lastSourceIndent = ind;
        this.lastSourceText = sourceText(source, ind);
      }
      s += `${m}"source": ${this.lastSourceText}`;
    }
    if (f.path !== undefined) s += `${m}"path": ${str(f.path)}`;
    if (f.evidence !== undefined) s += `${m}"evidence": ${str(f.evidence)}`;
    if (!o.remediation) s += `${m}"remediation": ${str(f.remediation)}`;
    if (!o.references) s += `${m}"references": ${referencesText(f.references, ind)}`;
    s += `${m}"fingerprint": ${str(f.fingerprint)}`;
    if (f.alsoReportedBy !== undefined) s += `${m}"alsoReportedBy": ${listText(f.alsoReportedBy, ind)}`;
    return `${s}\n${indent}}`;
  };

  readonly suppressed = (x: SuppressedFinding, indent: string): string => {
    const ind = `${indent}  `;
    let s = `{\n${ind}"finding": ${this.finding(x.finding, ind)},\n${ind}"by": ${str(x.by)},\n${ind}"reason": ${str(x.reason)}`;
    if (x.annotation !== undefined) s += `,\n${ind}"annotation": ${JSON.stringify(x.annotation, null, 2).replaceAll('\n', `\n${ind}`)}`;
    return `${s}\n${indent}}`;
  };
}

export function writeJson(report: Report, options: { readonly minSeverity?: Severity }, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const out = new ChunkWriter(sink, hardenJson);
  const text = new FindingText(report.checks);
  // The long lists are written element by element; everything else as JSON.stringify writes it.
  writeJsonText(
    {
      ...report,
      findings: new TextArray(view.findings, text.finding),
      suppressed: new TextArray(view.suppressed, text.suppressed),
      notEvaluated: new LazyArray(report.notEvaluated),
      problems: new LazyArray(report.problems),
    },
    out,
  );
  out.end();
}

export function renderJson(report: Report, options: { readonly minSeverity?: Severity } = {}): string {
  return collect((sink) => { writeJson(report, options, sink); });
}
