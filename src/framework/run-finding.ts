/**
 * The findings the runner makes: the Finding interface, compact. A large scan holds hundreds of thousands, so what
 * every finding of a check shares (check id, title, remediation, references) is read from the check, what some have
 * (evidence, alsoReportedBy, own references) is one shared object, and the fingerprint is computed when read instead
 * of being kept (it was a quarter of a finding's bytes); its severity and source are kept with those shared parts. The
 * library API hands out plain copies (src/api/plain.ts).
 */
import { fingerprintOf, type FileLocation, type Finding, type References, type ResourceRef, type SourceRef } from '../core/finding.js';
import type { Severity } from '../core/severity.js';

/**
 * What a finding shares with others, kept out of the finding itself: its check (id, title, remediation, references),
 * its severity and source, and what some findings have (evidence, alsoReportedBy, own references, a key). One object
 * for equal ones (a scan of 20,000 objects has 179,000 findings, 15,000 with evidence, 36,000 taking in a folded
 * finding and 26,000 with references of their own, but a handful of distinct combinations; the rest differ only by
 * severity and by the file they are in). Never changed: a finding whose extras change takes another.
 */
interface Extra {
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
      return (bySeverity[severity] ??= { share, severity, source, key, references, locationGiven, evidence, alsoReportedBy });
    }
    // A key of its own is the finding's alone (an audit policy rule's text): not worth an entry.
    if (key !== undefined) return { share, severity, source, key, references, locationGiven, evidence, alsoReportedBy };
    const k = `${severity}\u0000${this.#id(source)}\u0000${this.#id(references)}\u0000${locationGiven ? 1 : 0}\u0000${this.#id(alsoReportedBy)}\u0000${evidence ?? ''}\u0000${evidence === undefined ? 0 : 1}`;
    let extra = this.#shared.get(k);
    if (extra === undefined) {
      if (this.#shared.size >= EXTRAS_SHARED) this.#shared.clear();
      this.#shared.set(k, (extra = { share, severity, source, key, references, locationGiven, evidence, alsoReportedBy }));
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

  constructor(
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
  ) {
    this.message = message;
    this.resource = resource;
    this.location = location;
    this.path = path;
    this.#extra = share.extras.of(share, severity, source, key, references, locationGiven, evidence, undefined);
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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

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
  let h = hashText(FNV_OFFSET, f.checkId);
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  const r = f.resource;
  if (r) {
    h = Math.imul(hashText(h, r.kind) ^ SLASH, FNV_PRIME);
    h = Math.imul(hashText(h, r.namespace ?? '') ^ SLASH, FNV_PRIME);
    h = Math.imul(hashText(h, r.name) ^ SLASH, FNV_PRIME);
    h = hashText(h, r.container ?? '');
  }
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  const s = f.source;
  if (s && !r) h = hashText(Math.imul(hashText(h, s.type) ^ COLON, FNV_PRIME), s.uri);
  h = Math.imul(h ^ PIPE, FNV_PRIME);
  return hashText(h, f.fingerprintKey ?? '');
}
