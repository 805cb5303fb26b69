/**
 * Pod Security levels and policy versions, and how a Namespace's `pod-security.kubernetes.io/*`
 * labels select them — with the same fallbacks the admission controller applies to bad label values.
 */

export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];
/** The levels that have checks (privileged allows everything). */
export type PssCheckLevel = Exclude<PssLevel, 'privileged'>;

/** A policy version as written in a label or flag: `latest`, or `v1.N`. */
export type PssVersion = { readonly latest: true } | { readonly latest: false; readonly minor: number };

export const LATEST: PssVersion = Object.freeze({ latest: true });

export interface PssPolicy {
  readonly level: PssLevel;
  readonly version: PssVersion;
}

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

export function isPssLevel(value: unknown): value is PssLevel {
  return typeof value === 'string' && (PSS_LEVELS as readonly string[]).includes(value);
}

// The admission controller accepts `v1.` followed by a minor without a leading zero (v1.0, v1.27; not v1.07).
const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** Parse `latest` or `v1.N`; undefined for anything else. */
export function parsePssVersion(text: string): PssVersion | undefined {
  if (text === 'latest') return LATEST;
  const m = VERSION.exec(text);
  if (!m?.[1]) return undefined;
  const minor = Number(m[1]);
  return Number.isSafeInteger(minor) ? { latest: false, minor } : undefined;
}

export function formatPssVersion(v: PssVersion): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

export function formatPolicy(p: PssPolicy): string {
  return `${p.level}:${formatPssVersion(p.version)}`;
}

/** Where a namespace's enforced policy came from. */
export type PolicySource = 'namespace-labels' | 'default';

export interface NamespacePolicy {
  readonly policy: PssPolicy;
  readonly source: PolicySource;
  /** One line per label whose value the admission controller would not accept (it then falls back, see below). */
  readonly labelErrors: readonly string[];
}

/**
 * The enforce policy of a namespace from its labels, as the admission controller resolves it:
 * a missing label takes the default; an invalid level is enforced as `restricted` and an invalid
 * version as `latest` (the controller fails closed for enforce, and records the parse error).
 */
export function policyFromLabels(labels: Readonly<Record<string, string>>, defaults: PssPolicy): NamespacePolicy {
  let level = defaults.level;
  let version = defaults.version;
  const labelErrors: string[] = [];
  let fromLabels = false;
  const rawLevel = labels[ENFORCE_LABEL];
  if (rawLevel !== undefined) {
    fromLabels = true;
    if (isPssLevel(rawLevel)) level = rawLevel;
    else {
      level = 'restricted';
      labelErrors.push(`label ${ENFORCE_LABEL}=${JSON.stringify(rawLevel)} is not one of ${PSS_LEVELS.join(', ')}: enforced as restricted`);
    }
  }
  const rawVersion = labels[ENFORCE_VERSION_LABEL];
  if (rawVersion !== undefined) {
    fromLabels = true;
    const v = parsePssVersion(rawVersion);
    if (v) version = v;
    else {
      version = LATEST;
      labelErrors.push(`label ${ENFORCE_VERSION_LABEL}=${JSON.stringify(rawVersion)} is not "latest" or "v1.N": enforced as latest`);
    }
  }
  return { policy: { level, version }, source: fromLabels ? 'namespace-labels' : 'default', labelErrors };
}
