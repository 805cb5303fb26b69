/**
 * The findings the runner makes: the Finding interface, compact. A large scan holds hundreds of thousands, so what
 * every finding of a check shares (check id, title, remediation, references) is read from the check, what some have
 * (evidence, alsoReportedBy, own references) is one shared object, and the fingerprint is computed when read instead
 * of being kept (it was a quarter of a finding's bytes); its severity and source are kept with those shared parts. The
 * library API hands out plain copies (src/api/plain.ts).
 */
import { fingerprintOf, type FileLocation, type Finding, type References, type ResourceRef, type SourceRef } from '../core/finding.js';
import type { Severity } from '../core/severity.js';
import type { K8sObject } from '../model/object.js';

/**
 * What a finding shares with others, kept out of the finding itself: its check (id, title, remediation, references),
 * its severity and source, and what some findings have (evidence, alsoReportedBy, own references, a key). One object
 * for equal ones (a scan of 20,000 objects has 179,000 findings, 15,000 with evidence, 36,000 taking in a folded
 * finding and 26,000 with references of their own, but a handful of distinct combinations; the rest differ only by
 * severity and by the file they are in). Never changed: a finding whose extras change takes another.
 */
interface Extra {
  /** Its place among the extras of the FindingColumns that holds it (-1: none yet). */
  id: number;
  readonly share: CheckShare;
  readonly severity: Severity;
  readonly source: SourceRef | undefined;
  /** The fingerprint's key when the check gave one other than the path. */
  readonly key: string | undefined;
  /** References of this finding when they are not the check's. */
  readonly references: References | undefined;
  /** The check gave the location (it follows the resource in the JSON key order) rather than the object's field. */
  readonly locationGiven: boolean;
  readonly evidence: string | undefined;
  readonly alsoReportedBy: readonly string[] | undefined;
}

/** How many distinct extras a check keeps to share before it starts afresh (bounded, whatever its findings say). */
const EXTRAS_SHARED = 1 << 12;

/** The extras of a check's findings, equal ones one object. */
export class Extras {
  readonly #shared = new Map<string, Extra>();
  /** The extras of findings with nothing of their own: by source, then severity. */
  readonly #plain = new Map<SourceRef | undefined, Partial<Record<Severity, Extra>>>();
  readonly #ids = new WeakMap<object, number>();
  #next = 0;

  #id(value: object | undefined): number | string {
    if (value === undefined) return '';
    let id = this.#ids.get(value);
    if (id === undefined) this.#ids.set(value, (id = this.#next++));
    return id;
  }

  of(share: CheckShare, severity: Severity, source: SourceRef | undefined, key: string | undefined, references: References | undefined, locationGiven: boolean, evidence: string | undefined, alsoReportedBy: readonly string[] | undefined): Extra {
    if (key === undefined && references === undefined && !locationGiven && evidence === undefined && alsoReportedBy === undefined) {
      let bySeverity = this.#plain.get(source);
      if (bySeverity === undefined) {
        if (this.#plain.size >= EXTRAS_SHARED) this.#plain.clear();
        this.#plain.set(source, (bySeverity = {}));
      }
      return (bySeverity[severity] ??= { id: -1, share, severity, source, key, references, locationGiven, evidence, alsoReportedBy });
    }
    // A key of its own is the finding's alone (an audit policy rule's text): not worth an entry.
    if (key !== undefined) return { id: -1, share, severity, source, key, references, locationGiven, evidence, alsoReportedBy };
    const k = `${severity}\u0000${this.#id(source)}\u0000${this.#id(references)}\u0000${locationGiven ? 1 : 0}\u0000${this.#id(alsoReportedBy)}\u0000${evidence ?? ''}\u0000${evidence === undefined ? 0 : 1}`;
    let extra = this.#shared.get(k);
    if (extra === undefined) {
      if (this.#shared.size >= EXTRAS_SHARED) this.#shared.clear();
      this.#shared.set(k, (extra = { id: -1, share, severity, source, key, references, locationGiven, evidence, alsoReportedBy }));
    }
    return extra;
  }
}

/** What the findings of one check have in common. */
export interface CheckShare {
  readonly checkId: string;
  readonly title: string;
  readonly remediation: string;
  readonly references: References;
  readonly extras: Extras;
}

/**
 * A finding of the runner. Its fields read as a Finding's; JSON.stringify writes it as the Finding it is (toJSON, in
 * the key order reports have always had). Folding may still update severity, message, references and
 * alsoReportedBy before the report holds it. Five fields (64 bytes): a large scan holds 1.8 million until folding.
 */
export class RunFinding implements Finding {
  message: string;
  readonly resource: ResourceRef | undefined;
  readonly location: FileLocation | undefined;
  readonly path: string | undefined;
  #extra: Extra;

  constructor(extra: Extra, message: string, resource: ResourceRef | undefined, location: FileLocation | undefined, path: string | undefined) {
    this.message = message;
    this.resource = resource;
    this.location = location;
    this.path = path;
    this.#extra = extra;
  }

  /** A finding of the check `share`, with what it has of its own. */
  static of(
    share: CheckShare,
    severity: Severity,
    message: string,
    resource: ResourceRef | undefined,
    location: FileLocation | undefined,
    locationGiven: boolean,
    source: SourceRef | undefined,
    path: string | undefined,
    evidence: string | undefined,
    key: string | undefined,
    references: References | undefined,
  ): RunFinding {
    return new RunFinding(share.extras.of(share, severity, source, key, references, locationGiven, evidence, undefined), message, resource, location, path);
  }

  /** The same extras but for what `change` gives. */
  #with(change: Partial<Pick<Extra, 'severity' | 'references' | 'alsoReportedBy'>>): Extra {
    const e = { ...this.#extra, ...change };
    return e.share.extras.of(e.share, e.severity, e.source, e.key, e.references, e.locationGiven, e.evidence, e.alsoReportedBy);
  }

  get checkId(): string {
    return this.#extra.share.checkId;
  }

  get severity(): Severity {
    return this.#extra.severity;
  }

  set severity(value: Severity) {
    if (value !== this.#extra.severity) this.#extra = this.#with({ severity: value });
  }

  get title(): string {
    return this.#extra.share.title;
  }

  get source(): SourceRef | undefined {
    return this.#extra.source;
  }

  get remediation(): string {
    return this.#extra.share.remediation;
  }

  get evidence(): string | undefined {
    return this.#extra.evidence;
  }

  get references(): References {
    return this.#extra.references ?? this.#extra.share.references;
  }

  set references(value: References) {
    this.#extra = this.#with({ references: value });
  }

  get alsoReportedBy(): readonly string[] | undefined {
    return this.#extra.alsoReportedBy;
  }

  set alsoReportedBy(value: readonly string[] | undefined) {
    this.#extra = this.#with({ alsoReportedBy: value });
  }

  /** What the fingerprint identifies within the resource: the check's key, or the field path. */
  get fingerprintKey(): string | undefined {
    return this.#extra.key ?? this.path;
  }

  get fingerprint(): string {
    return fingerprintOf(this.checkId, this.resource, this.#extra.key ?? this.path, this.source);
  }

  /** The finding as plain data, keys in the order reports write them (absent fields are undefined: JSON leaves them out). */
  toJSON(): Finding {
    const { checkId, severity, title, message, resource, location, source, path, evidence, remediation, references, fingerprint, alsoReportedBy } = this;
    return this.#extra.locationGiven
      ? { checkId, severity, title, message, resource, location, source, path, evidence, remediation, references, fingerprint, alsoReportedBy }
      : { checkId, severity, title, message, resource, source, path, evidence, remediation, references, fingerprint, location, alsoReportedBy };
  }
}

const FNV_PRIME = 0x01000193;
/**
 * FNV-1a's offset basis mixed with a random number per process: the runner's table of findings seen (slots by the
 * hash's low bits, linear probing) cannot be aimed at by object names chosen in advance to share those bits, which
 * would make its probing quadratic. Equal fingerprints still hash equal within a run; the hash is never written out.
 */
export const FINGERPRINT_HASH_OFFSET = (0x811c9dc5 ^ (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number)) | 0;

function hashText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const PIPE = 0x7c;
const SLASH = 0x2f;
const COLON = 0x3a;

/**
 * A 32-bit hash of a finding's fingerprint text, computed from its parts without building the string (FNV-1a over
 * the same characters fingerprintOf joins): equal fingerprints hash equal.
 */
export function fingerprintHash(f: RunFinding): number {
  return fingerprintHashOf(f.checkId, f.resource, f.source, f.fingerprintKey);
}

/** fingerprintHash of a finding's parts: its check, resource, source and key (or path). */
function fingerprintHashOf(checkId: string, r: ResourceRef | undefined, s: SourceRef | undefined, key: string | undefined): number {
  let h = hashText(FINGERPRINT_HASH_OFFSET, checkId);
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  if (r) {
    h = Math.imul(hashText(h, r.kind) ^ SLASH, FNV_PRIME);
    h = Math.imul(hashText(h, r.namespace ?? '') ^ SLASH, FNV_PRIME);
    h = Math.imul(hashText(h, r.name) ^ SLASH, FNV_PRIME);
    h = hashText(h, r.container ?? '');
  }
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  if (s && !r) h = hashText(Math.imul(hashText(h, s.type) ^ COLON, FNV_PRIME), s.uri);
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  return hashText(h, key ?? '');
}

/** Something a column list can be read and written through (an array or a typed array). */
export type Indexed = { [index: number]: unknown };

/**
 * The findings of a run while it judges, before suppression: a column per field of ids, not a RunFinding each. A
 * large scan holds every object and 1.8 million findings at once when its checks end; a finding here is seven 32-bit
 * numbers (its extras, message, resource, location: file and line/column, or a location kept as given, and path) and
 * its object, 36 bytes instead of 88 (a RunFinding and two list slots) and a shared location object (~48 bytes and an
 * entry in a table of places): 200,000 objects, ~170 MB less at the peak. The RunFindings are made once the objects are let go
 * (`findings`). Strings are interned (equal texts, one string and one id; `textApart` keeps one apart), resources and
 * locations are kept as given (the runner shares equal ones) and numbered.
 */
export class FindingColumns {
  #length = 0;
  #extra = new Uint32Array(256);
  #message = new Uint32Array(256);
  #resource = new Uint32Array(256);
  #location = new Uint32Array(256);
  #file = new Uint32Array(256);
  #place = new Uint32Array(256);
  #path = new Uint32Array(256);
  /** The object suppression reads for each finding (its object, or its subject). */
  readonly objects: (K8sObject | undefined)[] = [];
  #extras: Extra[] = [];
  /** Id 0 of a text, a resource or a location: none. */
  #texts: (string | undefined)[] = [undefined];
  readonly #textIds = new Map<string, number>();
  #resources: (ResourceRef | undefined)[] = [undefined];
  #locations: (FileLocation | undefined)[] = [undefined];
  /** Files of plain locations, by id (0: none). */
  #files: string[] = [''];
  readonly #fileIds = new Map<string, number>();

  get length(): number {
    return this.#length;
  }

  /**
   * The id of a text (a message, a path, evidence): equal texts, one id and one string. A text made by concatenation
   * (formatMessage) is a rope of ~10 pieces in V8 until something reads its characters; the one kept is read once
   * here (charCodeAt flattens it and the GC drops the pieces): 70 → 36 MB for 200,000 messages of 100 characters.
   */
  text(text: string): number {
    let id = this.#textIds.get(text);
    if (id === undefined) {
      text.charCodeAt(0);
      id = this.#texts.length;
      this.#texts.push(text);
      this.#textIds.set(text, id);
    }
    return id;
  }

  /** The id of a text given before (and not forgotten), if it was. */
  knownText(text: string): number | undefined {
    return this.#textIds.get(text);
  }

  /** An id of its own for a text that is not interned (flattened as `text` does). */
  textApart(text: string): number {
    text.charCodeAt(0);
    this.#texts.push(text);
    return this.#texts.length - 1;
  }

  textOf(id: number): string | undefined {
    return this.#texts[id];
  }

  /** Texts given from now on are not matched with those before (their ids stay valid). */
  forgetTexts(): void {
    this.#textIds.clear();
  }

  /** A new id for `ref` (the caller keeps the ids of the refs it shares). */
  resource(ref: ResourceRef): number {
    this.#resources.push(ref);
    return this.#resources.length - 1;
  }

  resourceOf(id: number): ResourceRef | undefined {
    return this.#resources[id];
  }

  /**
   * A finding. Its location, when it is a plain one (file, line and column: what a position index makes), is kept as
   * numbers, file id and line * 1024 + column, and made again with the finding; any other is kept as given.
   */
  push(extra: Extra, message: number, resource: number, location: FileLocation | undefined, path: number, object: K8sObject | undefined): void {
    const n = this.#length;
    if (n === this.#extra.length) this.#grow(n * 2);
    if (this.#extras[extra.id] !== extra) {
      extra.id = this.#extras.length;
      this.#extras.push(extra);
    }
    this.#extra[n] = extra.id;
    this.#message[n] = message;
    this.#resource[n] = resource;
    let file = 0;
    let place = 0;
    let other = 0;
    if (location !== undefined) {
      if (isPlainLocation(location)) {
        file = this.#fileIds.get(location.file) ?? 0;
        if (file === 0) {
          file = this.#files.push(location.file) - 1;
          this.#fileIds.set(location.file, file);
        }
        place = location.line * 1024 + location.column;
      } else other = this.#locations.push(location) - 1;
    }
    this.#location[n] = other;
    this.#file[n] = file;
    this.#place[n] = place;
    this.#path[n] = path;
    this.objects.push(object);
    this.#length = n + 1;
  }

  #grow(capacity: number): void {
    const grown = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(capacity);
      b.set(a.subarray(0, Math.min(a.length, capacity)));
      return b;
    };
    this.#extra = grown(this.#extra);
    this.#message = grown(this.#message);
    this.#resource = grown(this.#resource);
    this.#location = grown(this.#location);
    this.#file = grown(this.#file);
    this.#place = grown(this.#place);
    this.#path = grown(this.#path);
  }

  /** The lists of every field, for reordering entries in place (`list[i] = …` moves entry i of each). */
  lists(): Indexed[] {
    return [this.#extra, this.#message, this.#resource, this.#location, this.#file, this.#place, this.#path, this.objects];
  }

  checkId(i: number): string {
    return (this.#extras[this.#extra[i] as number] as Extra).share.checkId;
  }

  /** fingerprintHash of finding i. */
  hash(i: number): number {
    const e = this.#extras[this.#extra[i] as number] as Extra;
    return fingerprintHashOf(e.share.checkId, this.#resources[this.#resource[i] as number], e.source, e.key ?? this.#texts[this.#path[i] as number]);
  }

  fingerprint(i: number): string {
    const e = this.#extras[this.#extra[i] as number] as Extra;
    return fingerprintOf(e.share.checkId, this.#resources[this.#resource[i] as number], e.key ?? this.#texts[this.#path[i] as number], e.source);
  }

  /** Findings i and j say the same at the same line: message, file and line. */
  same(i: number, j: number): boolean {
    if (this.#message[i] !== this.#message[j] && this.#texts[this.#message[i] as number] !== this.#texts[this.#message[j] as number]) return false;
    return this.#fileOf(i) === this.#fileOf(j) && this.#lineOf(i) === this.#lineOf(j);
  }

  #fileOf(i: number): string {
    const file = this.#file[i] as number;
    return file !== 0 ? (this.#files[file] as string) : (this.#locations[this.#location[i] as number]?.file ?? '');
  }

  #lineOf(i: number): number | string {
    return this.#file[i] !== 0 ? (this.#place[i] as number) >>> 10 : (this.#locations[this.#location[i] as number]?.line ?? '');
  }

  /**
   * The location of finding i: a plain one made anew, any other the one given. The findings said of an object's field
   * one after the other (each RBAC danger check's of a binding's roleRef) share one: the last one made is kept.
   */
  #locationOf(i: number): FileLocation | undefined {
    const file = this.#file[i] as number;
    if (file === 0) return this.#locations[this.#location[i] as number];
    const place = this.#place[i] as number;
    if (file === this.#lastFile && place === this.#lastPlace && this.#lastLocation !== undefined) return this.#lastLocation;
    this.#lastFile = file;
    this.#lastPlace = place;
    return (this.#lastLocation = { file: this.#files[file] as string, line: place >>> 10, column: place & 1023 });
  }

  #lastFile = 0;
  #lastPlace = 0;
  #lastLocation: FileLocation | undefined;

  /** Finding i, made. */
  finding(i: number): RunFinding {
    return new RunFinding(this.#extras[this.#extra[i] as number] as Extra, this.#texts[this.#message[i] as number] as string, this.#resources[this.#resource[i] as number], this.#locationOf(i), this.#texts[this.#path[i] as number]);
  }

  /** Entry `from` is now also entry `to` (to <= from: for dropping entries in place). */
  move(from: number, to: number): void {
    this.#extra[to] = this.#extra[from] as number;
    this.#message[to] = this.#message[from] as number;
    this.#resource[to] = this.#resource[from] as number;
    this.#location[to] = this.#location[from] as number;
    this.#file[to] = this.#file[from] as number;
    this.#place[to] = this.#place[from] as number;
    this.#path[to] = this.#path[from] as number;
    this.objects[to] = this.objects[from];
  }

  /** Keep the first `n` entries. */
  truncate(n: number): void {
    this.#length = Math.min(n, this.#length);
    this.objects.length = this.#length;
  }

  /** Every finding, made; the columns are emptied. */
  findings(): RunFinding[] {
    const out = new Array<RunFinding>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.finding(i);
    this.#length = 0;
    this.objects.length = 0;
    this.#grow(256);
    this.#extras = [];
    this.#texts = [undefined];
    this.#textIds.clear();
    this.#resources = [undefined];
    this.#locations = [undefined];
    this.#files = [''];
    this.#fileIds.clear();
    this.#lastFile = 0;
    this.#lastLocation = undefined;
    return out;
  }
}

/**
 * A location of a file, line and column only, in that order (what a position index makes), that a finding can keep
 * as two numbers: a line below 4,194,304 and a column below 1,024.
 */
function isPlainLocation(location: FileLocation): boolean {
  const { line, column } = location;
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 0 || line >= 0x400000 || column < 0 || column >= 1024) return false;
  const keys = Object.keys(location);
  return keys.length === 3 && keys[0] === 'file' && keys[1] === 'line' && keys[2] === 'column' && typeof location.file === 'string';
}
