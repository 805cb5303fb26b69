/**
 * The JSON reporter: the Report as documented by schema/report.schema.json (schemaVersion 3). A finding holds only
 * what is its own: its title, remediation and references are left out where they equal its check's entry in
 * `checks` (src/core/report-json.ts; readers restore them). With the `--severity` display filter, `findings` and
 * `suppressed` list only findings at or above it while `summary` still counts every finding.
 * Written in chunks (chunks.ts): a report of any size renders without building one string. Findings are written by
 * hand, field by field from the Finding interface, as exactly the text JSON.stringify(reportJsonValue(report), null, 2)
 * holds (a test compares the two), each string hardened as it is written (hardenJson, like every JSON kspect writes).
 */
import type { FileLocation, Finding, References, ResourceRef, SourceRef, SuppressedFinding } from '../core/finding.js';
import type { CheckInfo, Report } from '../core/report.js';
import { checksById, omittedOf, REFERENCE_FIELDS } from '../core/report-json.js';
import type { Severity } from '../core/severity.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { hardenJson, LazyArray, TextArray, writeJsonText } from './safe-json.js';
import { displayView } from './view.js';

/** A string JSON.stringify writes as it is between quotes and hardenJson leaves alone (most are): no escape. Linear. */
// eslint-disable-next-line no-control-regex -- the control characters JSON.stringify escapes are what it looks for
const PLAIN = /^[^"\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff#]*$/;
/**
 * The text of a string in the report: JSON.stringify's, hardened. hardenJson only ever changes the inside of a string
 * token (an escape, a character it escapes, `##` before `[` or `vso[`), so hardening each string alone gives exactly
 * the text hardening the whole document gives; the structure around the strings is plain ASCII it leaves alone.
 */
const jsonString = (s: string): string => (PLAIN.test(s) ? `"${s}"` : hardenJson(JSON.stringify(s)));
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** How many strings the cache of a report holds before it starts afresh (bounded memory on any report). */
const CACHE_ENTRIES = 1 << 16;

/** The text of the last value written at an indent: one entry, asked again for the next finding of the same object. */
class LastText<T> {
  private value: T | undefined;
  private indent = '';
  private text = '';

  constructor(private readonly render: (value: T, indent: string) => string) {}

  of(value: T, indent: string): string {
    if (value !== this.value || indent !== this.indent) {
      this.value = value;
      this.indent = indent;
      this.text = this.render(value, indent);
    }
    return this.text;
  }
}

/**
 * Writes findings as text. Most strings of a report repeat (check ids, messages and paths are shared between
 * findings, files between objects): their text is made once. Findings of one object follow each other and share their
 * resource and source objects: the text of the last one written is kept (one entry, per field).
 */
class FindingText {
  private readonly checks: ReadonlyMap<string, CheckInfo>;
  private readonly strings = new Map<string, string>();
  private readonly lastResource = new LastText<ResourceRef>((r, indent) => this.resource(r, indent));
  private readonly lastSource = new LastText<SourceRef>((src, indent) => this.source(src, indent));

  constructor(checks: readonly CheckInfo[]) {
    this.checks = checksById(checks);
  }

  /** The text of a string that may repeat. */
  private str(s: string): string {
    let t = this.strings.get(s);
    if (t === undefined) {
      t = jsonString(s);
      if (this.strings.size >= CACHE_ENTRIES) this.strings.clear();
      this.strings.set(s, t);
    }
    return t;
  }

  /** `["a", "b"]` as JSON.stringify(list, null, 2) writes it at `indent`. */
  private list(list: readonly string[], indent: string): string {
    if (list.length === 0) return '[]';
    const inner = `\n${indent}  `;
    let s = '[';
    for (let i = 0; i < list.length; i++) s += `${i === 0 ? '' : ','}${inner}${this.str(list[i] as string)}`;
    return `${s}\n${indent}]`;
  }

  private resource(r: ResourceRef, indent: string): string {
    const m = `,\n${indent}  `;
    let s = `{\n${indent}  "apiVersion": ${this.str(r.apiVersion)}${m}"kind": ${this.str(r.kind)}`;
    if (r.namespace !== undefined) s += `${m}"namespace": ${this.str(r.namespace)}`;
    s += `${m}"name": ${this.str(r.name)}`;
    if (r.container !== undefined) s += `${m}"container": ${this.str(r.container)}`;
    return `${s}\n${indent}}`;
  }

  private location(l: FileLocation, indent: string): string {
    return `{\n${indent}  "file": ${this.str(l.file)},\n${indent}  "line": ${num(l.line)},\n${indent}  "column": ${num(l.column)}\n${indent}}`;
  }

  private source(s: SourceRef, indent: string): string {
    return `{\n${indent}  "type": ${this.str(s.type)},\n${indent}  "uri": ${this.str(s.uri)}\n${indent}}`;
  }

  private references(r: References, indent: string): string {
    let s = '';
    for (const k of REFERENCE_FIELDS) {
      const list = r[k];
      if (list !== undefined) s += `${s === '' ? '{' : ','}\n${indent}  "${k}": ${this.list(list, `${indent}  `)}`;
    }
    return s === '' ? '{}' : `${s}\n${indent}}`;
  }

  readonly finding = (f: Finding, indent: string): string => {
    const o = omittedOf(f, this.checks.get(f.checkId));
    const ind = `${indent}  `;
    const m = `,\n${ind}`;
    let s = `{\n${ind}"checkId": ${this.str(f.checkId)}${m}"severity": ${this.str(f.severity)}`;
    if (!o.title) s += `${m}"title": ${this.str(f.title)}`;
    s += `${m}"message": ${this.str(f.message)}`;
    const { resource, location, source } = f;
    if (resource !== undefined) s += `${m}"resource": ${this.lastResource.of(resource, ind)}`;
    if (location !== undefined) s += `${m}"location": ${this.location(location, ind)}`;
    if (source !== undefined) s += `${m}"source": ${this.lastSource.of(source, ind)}`;
    if (f.path !== undefined) s += `${m}"path": ${this.str(f.path)}`;
    if (f.evidence !== undefined) s += `${m}"evidence": ${this.str(f.evidence)}`;
    if (!o.remediation) s += `${m}"remediation": ${this.str(f.remediation)}`;
    if (!o.references) s += `${m}"references": ${this.references(f.references, ind)}`;
    // A fingerprint is the finding's own: not worth a cache entry.
    s += `${m}"fingerprint": ${jsonString(f.fingerprint)}`;
    if (f.alsoReportedBy !== undefined) s += `${m}"alsoReportedBy": ${this.list(f.alsoReportedBy, ind)}`;
    return `${s}\n${indent}}`;
  };

  readonly suppressed = (x: SuppressedFinding, indent: string): string => {
    const ind = `${indent}  `;
    let s = `{\n${ind}"finding": ${this.finding(x.finding, ind)},\n${ind}"by": ${this.str(x.by)},\n${ind}"reason": ${this.str(x.reason)}`;
    if (x.annotation !== undefined) s += `,\n${ind}"annotation": ${hardenJson(JSON.stringify(x.annotation, null, 2)).replaceAll('\n', `\n${ind}`)}`;
    return `${s}\n${indent}}`;
  };
}

export function writeJson(report: Report, options: { readonly minSeverity?: Severity }, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const chunks = new ChunkWriter(sink);
  const text = new FindingText(report.checks);
  // The long lists are written element by element, findings as hardened text already; everything else as
  // JSON.stringify writes it, hardened piece by piece (writeJsonText cuts only between tokens).
  const out = { write: (t: string): void => { chunks.write(hardenJson(t)); }, writeText: (t: string): void => { chunks.write(t); } };
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
  chunks.end();
}

export function renderJson(report: Report, options: { readonly minSeverity?: Severity } = {}): string {
  return collect((sink) => { writeJson(report, options, sink); });
}
