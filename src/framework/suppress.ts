/**
 * Suppression of findings: the `kspect.dev/ignore` annotation (with optional expiry) and
 * configuration exemptions. Suppressed findings are kept and counted, never dropped.
 */
import type { Problem } from '../core/finding.js';
import { globMatch, type Exemption } from '../core/config.js';
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

/** Annotations that can carry the directive: the object's, then its pod template's. */
function ignoreValues(obj: K8sObject): string[] {
  const out: string[] = [];
  const own = obj.metadata.annotations[IGNORE_ANNOTATION];
  if (own !== undefined) out.push(own);
  const view = podSpecOf(obj);
  if (view && obj.kind !== 'Pod') {
    const tpl = getStringMap(view.metadata, 'annotations')[IGNORE_ANNOTATION];
    if (tpl !== undefined) out.push(tpl);
  }
  return out;
}

export interface AnnotationSuppressor {
  /** The reason a check's finding on this object is suppressed, or undefined. */
  suppresses(obj: K8sObject, checkId: string): string | undefined;
}

/** Build a suppressor; malformed and expired directives are reported once each as problems. */
export function annotationSuppressor(now: Date, problems: Problem[]): AnnotationSuppressor {
  const cache = new WeakMap<K8sObject, IgnoreDirective[]>();
  const directives = (obj: K8sObject): IgnoreDirective[] => {
    let d = cache.get(obj);
    if (d) return d;
    d = [];
    for (const value of ignoreValues(obj)) {
      const parsed = parseIgnore(value);
      const where = {
        ...(obj.origin.location ? { file: obj.origin.location.file, line: obj.origin.location.line, column: obj.origin.location.column } : {}),
      };
      if ('error' in parsed) {
        problems.push({ code: 'suppression-invalid', severity: 'warning', message: `${obj.kind} ${obj.metadata.name}: annotation ${IGNORE_ANNOTATION} ${parsed.error}; it is ignored`, ...where });
      } else if (parsed.until && parsed.until.getTime() < now.getTime()) {
        problems.push({
          code: 'suppression-expired',
          severity: 'warning',
          message: `${obj.kind} ${obj.metadata.name}: suppression of ${[...parsed.checks].join(',')} expired on ${parsed.until.toISOString().slice(0, 10)}; its findings are reported again`,
          ...where,
        });
      } else d.push(parsed);
    }
    cache.set(obj, d);
    return d;
  };
  return {
    suppresses(obj, checkId) {
      for (const d of directives(obj)) if (d.checks.has(checkId) || d.checks.has('*')) return d.reason;
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
