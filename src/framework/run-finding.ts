/**
 * The findings the runner makes: the Finding interface, compact. A large scan holds hundreds of thousands, so what
 * every finding of a check shares (title, remediation, references) is read from the check, and the fingerprint is
 * computed when read instead of being kept (it was a quarter of a finding's bytes).
 */
import { fingerprintOf, type FileLocation, type Finding, type References, type ResourceRef, type SourceRef } from '../core/finding.js';
import type { Severity } from '../core/severity.js';

/** What few findings have: kept out of the finding itself. */
interface Rare {
  /** The fingerprint's key when the check gave one other than the path. */
  readonly key: string | undefined;
  /** References of this finding when they are not the check's. */
  references: References | undefined;
  /** The check gave the location (it follows the resource in the JSON key order) rather than the object's field. */
  readonly locationGiven: boolean;
}

/** What the findings of one check have in common. */
export interface CheckShare {
  readonly checkId: string;
  readonly title: string;
  readonly remediation: string;
  readonly references: References;
}

/**
 * A finding of the runner. Its fields read as a Finding's; JSON.stringify writes it as the Finding it is (toJSON, in
 * the key order reports have always had). Folding may still update severity, message, references and
 * alsoReportedBy before the report holds it.
 */
export class RunFinding implements Finding {
  severity: Severity;
  message: string;
  readonly resource: ResourceRef | undefined;
  readonly location: FileLocation | undefined;
  readonly source: SourceRef | undefined;
  readonly path: string | undefined;
  readonly evidence: string | undefined;
  alsoReportedBy: readonly string[] | undefined;
  readonly #share: CheckShare;
  /** What few findings have, out of the finding itself (a large scan has a million findings). */
  #rare: Rare | undefined;

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
    this.severity = severity;
    this.message = message;
    this.resource = resource;
    this.location = location;
    this.source = source;
    this.path = path;
    this.evidence = evidence;
    this.alsoReportedBy = undefined;
    this.#share = share;
    this.#rare = key !== undefined || references !== undefined || locationGiven ? { key, references, locationGiven } : undefined;
  }

  get checkId(): string {
    return this.#share.checkId;
  }

  get title(): string {
    return this.#share.title;
  }

  get remediation(): string {
    return this.#share.remediation;
  }

  get references(): References {
    return this.#rare?.references ?? this.#share.references;
  }

  set references(value: References) {
    if (this.#rare) this.#rare.references = value;
    else this.#rare = { key: undefined, references: value, locationGiven: false };
  }

  /** What the fingerprint identifies within the resource: the check's key, or the field path. */
  get fingerprintKey(): string | undefined {
    return this.#rare?.key ?? this.path;
  }

  get fingerprint(): string {
    return fingerprintOf(this.checkId, this.resource, this.#rare?.key ?? this.path, this.source);
  }

  /** The finding as plain data, keys in the order reports write them (absent fields are undefined: JSON leaves them out). */
  toJSON(): Finding {
    const { checkId, severity, title, message, resource, location, source, path, evidence, remediation, references, fingerprint, alsoReportedBy } = this;
    return this.#rare?.locationGiven === true
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
