/**
 * The data a run produces: findings, items that could not be evaluated, and load problems.
 * All of it is plain, serialisable data; nothing here does I/O.
 */
import type { Severity } from './severity.js';

/** The Kubernetes object (and container) a finding is about. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container?: string;
}

/** A place in an input file; lines and columns start at 1. */
export interface FileLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Where a finding came from when it is not a line of a file. */
export interface SourceRef {
  readonly type: 'file' | 'stdin' | 'cluster' | 'node' | 'etcd' | 'endpoint';
  /** The file path, cluster context, node path, etcd key or host:port. */
  readonly uri: string;
}

/** What a finding refers to in the security literature. */
export interface References {
  /** Pod Security Standards control ids, e.g. `privileged`. */
  readonly pss?: readonly string[];
  /** CIS Kubernetes Benchmark ids, e.g. `1.2.1`, or CIS control names. */
  readonly cis?: readonly string[];
  /** NSA-CISA Kubernetes Hardening Guide sections. */
  readonly nsa?: readonly string[];
  /** MITRE ATT&CK technique ids, e.g. `T1611`. */
  readonly mitre?: readonly string[];
  /** Further reading. */
  readonly urls?: readonly string[];
}

/**
 * A finding. Its optional fields may also be present with the value undefined (the runner builds findings of one
 * fixed shape): test them by value, not with `in`; JSON leaves them out either way.
 */
export interface Finding {
  readonly checkId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly resource?: ResourceRef | undefined;
  readonly location?: FileLocation | undefined;
  readonly source?: SourceRef | undefined;
  /** Field path inside the object, e.g. `spec.template.spec.containers[1].securityContext.privileged`. */
  readonly path?: string | undefined;
  /** Redacted evidence: never a secret value. */
  readonly evidence?: string | undefined;
  readonly remediation: string;
  readonly references: References;
  /** Stable identity used by baselines: independent of line numbers and message text. */
  readonly fingerprint: string;
  /**
   * Checks that raised the same problem on the same object and field, folded into this finding (e.g. `pss-baseline`
   * when `pod-privileged` names the same field); their references are merged into `references`.
   */
  readonly alsoReportedBy?: readonly string[] | undefined;
}

export type SuppressionKind = 'annotation' | 'config' | 'baseline';

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly by: SuppressionKind;
  readonly reason: string;
  /** For `by: annotation`: the object and the line where the annotation was written — who may have added it. */
  readonly annotation?: SuppressionSource;
}

/** Where an in-manifest suppression was written. */
export interface SuppressionSource {
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export type NotEvaluatedReason = 'forbidden' | 'not-readable' | 'unsupported' | 'missing-input' | 'check-error' | 'manual';

/** Something a check could not decide. Never counted as passed. */
export interface NotEvaluated {
  readonly checkId?: string;
  readonly reason: NotEvaluatedReason;
  readonly message: string;
  readonly resource?: ResourceRef;
  readonly location?: FileLocation;
  readonly source?: SourceRef;
}

/** A problem reading or understanding the input (or the configuration). */
export interface Problem {
  /** Machine-readable code, e.g. `yaml-syntax`, `file-too-large`, `not-readable`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export function fingerprintOf(checkId: string, resource: ResourceRef | undefined, path: string | undefined, source: SourceRef | undefined): string {
  const r = resource ? `${resource.kind}/${resource.namespace ?? ''}/${resource.name}/${resource.container ?? ''}` : '';
  const s = source && !resource ? `${source.type}:${source.uri}` : '';
  return [checkId, r, s, path ?? ''].join('|');
}

/** Compare two locations/resources so that output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location?.file ?? a.source?.uri ?? '', b.location?.file ?? b.source?.uri ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    cmp(a.resource?.namespace ?? '', b.resource?.namespace ?? '') ||
    cmp(a.resource?.kind ?? '', b.resource?.kind ?? '') ||
    cmp(a.resource?.name ?? '', b.resource?.name ?? '') ||
    cmp(a.checkId, b.checkId) ||
    cmp(a.path ?? '', b.path ?? '') ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
