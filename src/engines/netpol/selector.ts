/**
 * Kubernetes label selectors (matchLabels + matchExpressions): parsing with the API server's
 * validation, exact matching, and three-valued matching against objects whose labels are only
 * partly known (a namespace that has no Namespace object in the input).
 */
import { isArray, isObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted. */
  readonly values: readonly string[];
}

export interface Selector {
  /** matchLabels become `In` requirements with one value; all requirements are ANDed. */
  readonly requirements: readonly Requirement[];
  /** Canonical text, e.g. `app=web,tier in (a,b),!legacy`; `{}` (every object) for the empty selector. */
  readonly text: string;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Three-valued answer: does not match, matches, cannot tell from what is known. */
export const NO = 0;
export const YES = 1;
export const MAYBE = 2;
export type Tri = typeof NO | typeof YES | typeof MAYBE;

export const EMPTY_SELECTOR: Selector = Object.freeze({ requirements: Object.freeze([]), text: '{}' });

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `label key "${key}" has an invalid prefix`;
  if (!NAME.test(name)) return `"${key}" is not a valid label key`;
  return undefined;
}

function valueError(v: string): string | undefined {
  return v === '' || NAME.test(v) ? undefined : `"${v}" is not a valid label value`;
}

function reqText(r: Requirement): string {
  switch (r.operator) {
    case 'In':
      return r.values.length === 1 ? `${r.key}=${r.values[0] ?? ''}` : `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return r.values.length === 1 ? `${r.key}!=${r.values[0] ?? ''}` : `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

function makeSelector(reqs: Requirement[]): Selector {
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : reqText(a) < reqText(b) ? -1 : 1));
  return { requirements: reqs, text: reqs.length === 0 ? '{}' : reqs.map(reqText).join(',') };
}

/**
 * Parse a LabelSelector. `null`/absent matchLabels and matchExpressions count as empty,
 * as the API decodes them. Invalid parts are returned as errors (the selector is then unusable).
 */
export function parseSelector(raw: unknown, path: string): { selector: Selector; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const reqs: Requirement[] = [];
  if (raw === null || raw === undefined) return { selector: EMPTY_SELECTOR, errors };
  if (!isObject(raw)) return { selector: EMPTY_SELECTOR, errors: [{ path, message: 'must be an object' }] };
  const ml = raw.matchLabels;
  if (ml !== null && ml !== undefined) {
    if (!isObject(ml)) errors.push({ path: joinPath(path, 'matchLabels'), message: 'must be a map of strings' });
    else
      for (const [k, v] of Object.entries(ml)) {
        const p = joinPath(path, 'matchLabels', k);
        if (typeof v !== 'string') {
          errors.push({ path: p, message: 'label value must be a string' });
          continue;
        }
        const e = keyError(k) ?? valueError(v);
        if (e) errors.push({ path: p, message: e });
        reqs.push({ key: k, operator: 'In', values: [v] });
      }
  }
  const me = raw.matchExpressions;
  if (me !== null && me !== undefined) {
    if (!isArray(me)) errors.push({ path: joinPath(path, 'matchExpressions'), message: 'must be a list' });
    else
      me.forEach((x, i) => {
        const p = joinPath(path, 'matchExpressions', i);
        if (!isObject(x)) {
          errors.push({ path: p, message: 'must be an object' });
          return;
        }
        const key = x.key;
        const op = x.operator;
        const values = x.values === null || x.values === undefined ? [] : x.values;
        if (typeof key !== 'string') {
          errors.push({ path: joinPath(p, 'key'), message: 'key is required' });
          return;
        }
        const ke = keyError(key);
        if (ke) errors.push({ path: joinPath(p, 'key'), message: ke });
        if (!isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
          errors.push({ path: joinPath(p, 'values'), message: 'must be a list of strings' });
          return;
        }
        if (op === 'In' || op === 'NotIn') {
          if (values.length === 0) errors.push({ path: joinPath(p, 'values'), message: `must be specified when \`operator\` is '${op}'` });
          for (const v of values) {
            const ve = valueError(v);
            if (ve) errors.push({ path: joinPath(p, 'values'), message: ve });
          }
        } else if (op === 'Exists' || op === 'DoesNotExist') {
          if (values.length > 0) errors.push({ path: joinPath(p, 'values'), message: `may not be specified when \`operator\` is '${op}'` });
        } else {
          errors.push({ path: joinPath(p, 'operator'), message: `${JSON.stringify(op ?? null)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)` });
          return;
        }
        reqs.push({ key, operator: op, values: [...new Set(values)].sort() });
      });
  }
  for (const k of Object.keys(raw)) if (k !== 'matchLabels' && k !== 'matchExpressions') errors.push({ path: joinPath(path, k), message: `unknown field "${k}"` });
  return { selector: makeSelector(reqs), errors };
}

/** Does the selector match these labels? */
export function selectorMatches(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const r of sel.requirements) {
    const v = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
    switch (r.operator) {
      case 'In':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

/**
 * Match against labels of which only the keys in `known` are certain (the others may or may not
 * exist): a requirement on an unknown key makes the answer MAYBE unless another one says NO.
 */
export function selectorMatchesPartly(sel: Selector, labels: Readonly<Record<string, string>>, known: ReadonlySet<string> | undefined): Tri {
  if (!known) return selectorMatches(sel, labels) ? YES : NO;
  let answer: Tri = YES;
  for (const r of sel.requirements) {
    if (!known.has(r.key)) {
      answer = MAYBE;
      continue;
    }
    if (!selectorMatches({ requirements: [r], text: '' }, labels)) return NO;
  }
  return answer;
}

/** True for `{}`: every object. */
export function isEmptySelector(sel: Selector): boolean {
  return sel.requirements.length === 0;
}
