/**
 * Suppression of findings: the `kspect.dev/ignore` annotation (with optional expiry) and
 * configuration exemptions. Suppressed findings are kept and counted, never dropped.
 */
import type { Problem, SuppressionSource } from '../core/finding.js';
import { globMatch, type AnnotationPolicy, type Exemption } from '../core/config.js';
import { formatPath } from '../model/path.js';
import { getStringMap, type K8sObject } from '../model/object.js';
import { podSpecOf } from '../model/podspec.js';

export const IGNORE_ANNOTATION = 'kspect.dev/ignore';

export interface IgnoreDirective {
  readonly checks: ReadonlySet<string>;
  readonly reason: string;
  /** Expiry date (end of that day, UTC), when given. */
  readonly until?: Date;
  readonly raw: string;
}

/**
 * Parse `pod-privileged,pod-host-pid — reason until=2026-12-31`.
 * The reason follows `—`, `--` or `:`; `until=YYYY-MM-DD` (or `expires=`) anywhere in it sets the expiry.
 */
export function parseIgnore(value: string): IgnoreDirective | { error: string } {
  const { idsPart, reasonPart } = splitIgnore(value);
  let reason = reasonPart.trim();
  const ids = idsPart.split(/[\s,]+/).filter((s) => s !== '');
  if (ids.length === 0) return { error: 'names no check id' };
  let until: Date | undefined;
  const exp = /\b(?:until|expires)=(\S+)/.exec(reason);
  if (exp?.[1] !== undefined) {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(exp[1]);
    const date = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), 23, 59, 59)) : undefined;
    if (!date || Number.isNaN(date.getTime())) return { error: `has an invalid expiry date "${exp[1]}" (use YYYY-MM-DD)` };
    until = date;
    reason = reason.replace(exp[0], '').trim();
  }
  return { checks: new Set(ids), reason: reason === '' ? 'no reason given' : reason, ...(until ? { until } : {}), raw: value };
}

/**
 * Split the directive at its first separator (`—`, `--` or `:`): the ids before it (blanks trimmed), the reason after.
 * What `/^\s*([^—:]*?)\s*(?:(?:—|--|:)\s*(.*))?$/s` captures, in one pass (that expression is quadratic on blanks).
 */
export function splitIgnore(value: string): { idsPart: string; reasonPart: string } {
  const body = value.trimStart();
  let at = -1;
  let len = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x2014 || c === 0x3a) len = 1;
    else if (c === 0x2d && body.charCodeAt(i + 1) === 0x2d) len = 2;
    else continue;
    at = i;
    break;
  }
  if (at < 0) return { idsPart: body.trimEnd(), reasonPart: '' };
  return { idsPart: body.slice(0, at).trimEnd(), reasonPart: body.slice(at + len).trimStart() };
}

/** Annotations that can carry the directive, with their field paths: the object's, then its pod template's. */
function ignoreValues(obj: K8sObject): { value: string; path: string }[] {
  const out: { value: string; path: string }[] = [];
  const own = obj.metadata.annotations[IGNORE_ANNOTATION];
  if (own !== undefined) out.push({ value: own, path: `metadata.annotations${formatPath([IGNORE_ANNOTATION])}` });
  const view = podSpecOf(obj);
  if (view && obj.kind !== 'Pod') {
    const tpl = getStringMap(view.metadata, 'annotations')[IGNORE_ANNOTATION];
    if (tpl !== undefined) out.push({ value: tpl, path: `${view.metadataPath}.annotations${formatPath([IGNORE_ANNOTATION])}` });
  }
  return out;
}

/** A suppression by annotation: its reason, and where it was written (whoever can edit that file and object added it). */
export interface AnnotationSuppression {
  readonly reason: string;
  readonly annotation: SuppressionSource;
}

export interface AnnotationSuppressor {
  /** The suppression of a check's finding on this object, or undefined. */
  suppresses(obj: K8sObject, checkId: string): AnnotationSuppression | undefined;
}

export interface AnnotationSuppressorOptions {
  /** Every check id kspect has: an id outside it is reported (a typo suppresses nothing, visibly). */
  readonly knownChecks?: ReadonlySet<string>;
  /** The policy owner's rule (`suppression.annotations` in .kspect.yaml); default: allowed for every check. */
  readonly policy?: AnnotationPolicy;
}

interface Directive extends IgnoreDirective {
  readonly source: SuppressionSource;
}

/** Directives of an object without an ignore annotation (shared). */
const NO_DIRECTIVES: readonly Directive[] = Object.freeze([]);

/**
 * Build a suppressor; malformed, expired and refused directives are reported once each as problems. In-manifest
 * suppression is the policy owner's to allow: only listed check ids count (`*` is not one), and `.kspect.yaml` can
 * turn it off or restrict it to some checks and namespaces.
 */
export function annotationSuppressor(now: Date, problems: Problem[], options: AnnotationSuppressorOptions = {}): AnnotationSuppressor {
  const policy = options.policy ?? { enabled: true };
  const cache = new WeakMap<K8sObject, Directive[]>();
  const refusedOnce = new Set<string>();
  // A run's findings come object by object: the last object's directives are kept. Only objects with an ignore
  // annotation are cached (working out that one has none is two lookups; rbac risks asked for 50,000 bindings).
  let lastObject: K8sObject | undefined;
  let lastDirectives: readonly Directive[] = NO_DIRECTIVES;
  const directives = (obj: K8sObject): readonly Directive[] => {
    if (obj === lastObject) return lastDirectives;
    lastObject = obj;
    return (lastDirectives = directivesOf(obj));
  };
  const directivesOf = (obj: K8sObject): readonly Directive[] => {
    let d = cache.get(obj);
    if (d) return d;
    const values = ignoreValues(obj);
    if (values.length === 0) return NO_DIRECTIVES;
    d = [];
    const name = `${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
    for (const { value, path } of values) {
      const loc = obj.origin.locate(path) ?? obj.origin.location;
      const where = loc ? { file: loc.file, line: loc.line, column: loc.column } : {};
      const warn = (code: string, message: string): void => {
        problems.push({ code, severity: 'warning', message: `${name}: annotation ${IGNORE_ANNOTATION} ${message}`, ...where });
      };
      if (!policy.enabled) {
        warn('suppression-not-allowed', 'is ignored: the configuration turns annotation suppression off (suppression.annotations: false)');
        continue;
      }
      if (policy.namespaces && !policy.namespaces.some((n) => globMatch(n, obj.metadata.namespace ?? ''))) {
        warn('suppression-not-allowed', `is ignored: the configuration allows annotation suppression only in the namespaces ${policy.namespaces.join(', ')}`);
        continue;
      }
      const parsed = parseIgnore(value);
      if ('error' in parsed) {
        warn('suppression-invalid', `${parsed.error}; it is ignored`);
        continue;
      }
      if (parsed.until && parsed.until.getTime() < now.getTime()) {
        problems.push({ code: 'suppression-expired', severity: 'warning', message: `${name}: suppression of ${[...parsed.checks].join(',')} expired on ${parsed.until.toISOString().slice(0, 10)}; its findings are reported again`, ...where });
        continue;
      }
      const checks = new Set<string>();
      for (const id of parsed.checks) {
        if (id === '*') warn('suppression-unknown-check', 'names "*", which is not a check id: name each check to suppress; "*" suppresses nothing');
        else if (options.knownChecks && !options.knownChecks.has(id)) warn('suppression-unknown-check', `names an unknown check "${id}"; it suppresses nothing`);
        else checks.add(id);
      }
      if (checks.size > 0) d.push({ ...parsed, checks, source: { object: name, ...where } });
    }
    cache.set(obj, d);
    return d;
  };
  return {
    suppresses(obj, checkId) {
      for (const d of directives(obj)) {
        if (!d.checks.has(checkId)) continue;
        if (policy.checks && !policy.checks.includes(checkId)) {
          const key = `${d.source.object}\u0000${d.source.file ?? ''}\u0000${checkId}`;
          if (!refusedOnce.has(key)) {
            refusedOnce.add(key);
            problems.push({ code: 'suppression-not-allowed', severity: 'warning', message: `${d.source.object}: annotation ${IGNORE_ANNOTATION} may not suppress ${checkId}: the configuration allows it only for ${policy.checks.join(', ')}; its findings are reported`, ...(d.source.file !== undefined ? { file: d.source.file } : {}), ...(d.source.line !== undefined ? { line: d.source.line } : {}) });
          }
          continue;
        }
        return { reason: d.reason, annotation: d.source };
      }
      return undefined;
    },
  };
}

/** The exemption that applies to a finding of `checkId` on `obj`, if any. */
export function matchExemption(exemptions: readonly Exemption[], obj: K8sObject | undefined, checkId: string): Exemption | undefined {
  for (const e of exemptions) {
    if (!e.checks.includes('*') && !e.checks.includes(checkId)) continue;
    if (!obj) {
      if (e.namespaces || e.kinds || e.names || e.labels) continue;
      return e;
    }
    if (e.namespaces && !e.namespaces.some((n) => globMatch(n, obj.metadata.namespace ?? ''))) continue;
    if (e.kinds && !e.kinds.includes(obj.kind)) continue;
    if (e.names && !e.names.some((n) => globMatch(n, obj.metadata.name))) continue;
    if (e.labels) {
      const labels = obj.metadata.labels;
      const tpl = getStringMap(podSpecOf(obj)?.metadata, 'labels');
      if (!Object.entries(e.labels).every(([k, v]) => labels[k] === v || tpl[k] === v)) continue;
    }
    return e;
  }
  return undefined;
}
