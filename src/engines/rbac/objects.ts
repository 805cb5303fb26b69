/**
 * Reading RBAC objects (Role, ClusterRole, RoleBinding, ClusterRoleBinding) from the inventory into
 * typed records, validated as the API server would: unknown fields, wrong role kinds, invalid rules
 * and subjects become problems naming the file and line; the rest of the input is still used.
 */
import type { Problem } from '../../core/finding.js';
import { getArray, getObject, getString, isArray, isObject, type JsonObject, type K8sObject } from '../../model/object.js';
import type { RoleEntry } from './authorizer.js';
import { trimStars, type PolicyRule } from './rules.js';
import { isDns1123Subdomain } from './subjects.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;
const RBAC_VERSIONS = new Set([`${RBAC_GROUP}/v1`, `${RBAC_GROUP}/v1beta1`, `${RBAC_GROUP}/v1alpha1`]);

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface RoleRecord {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Rules as written (for aggregated ClusterRoles, the stored rules the controller would overwrite). */
  readonly rules: readonly PolicyRule[];
  /** Field path of each rule in the object (`rules[2]`), parallel to `rules`. */
  readonly rulePaths: readonly string[];
  readonly aggregation?: readonly LabelSelector[];
  readonly object?: K8sObject;
  /** Part of the Kubernetes default policy, not of the input. */
  readonly isDefault: boolean;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface SubjectRecord {
  readonly kind: SubjectKind;
  readonly name: string;
  /** For ServiceAccounts: the namespace (the binding's when the subject gives none). */
  readonly namespace?: string;
  /** Index in the binding's `subjects`. */
  readonly index: number;
}

export interface BindingRecord {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly namespace?: string;
  readonly roleRef: { readonly kind: string; readonly name: string; readonly apiGroup: string };
  readonly subjects: readonly SubjectRecord[];
  readonly object?: K8sObject;
  readonly isDefault: boolean;
}

/**
 * A binding as read (its BindingRecord) and, once the index has resolved its role, its entry there (BindingEntry,
 * authorizer.ts): one object per binding whose `record` is itself — not a record and an entry for each of 50,000
 * bindings, and one pointer less to follow on every read of a binding's fields.
 */
export class Binding implements BindingRecord {
  declare readonly namespace?: string;
  /** Set by the index (RbacIndex): the role it references, when present and of a valid kind. */
  role: RoleEntry | undefined = undefined;
  /** Set by the index: why it grants nothing, when it does not resolve. */
  unresolved: 'missing-role' | 'wrong-kind' | undefined = undefined;
  /** Set by the index: the position in `RbacIndex.bindings`. */
  ordinal = -1;
  private text: string | undefined = undefined;

  constructor(
    readonly kind: 'RoleBinding' | 'ClusterRoleBinding',
    readonly name: string,
    namespace: string | undefined,
    readonly roleRef: BindingRecord['roleRef'],
    readonly subjects: readonly SubjectRecord[],
    readonly object: K8sObject,
    readonly isDefault: boolean,
  ) {
    if (namespace !== undefined) (this as { namespace?: string }).namespace = namespace;
  }

  get record(): BindingRecord {
    return this;
  }

  /** `ClusterRoleBinding name` or `RoleBinding ns/name`, written when first read. */
  get display(): string {
    return (this.text ??= this.kind === 'RoleBinding' ? `RoleBinding ${this.namespace ?? ''}/${this.name}` : `ClusterRoleBinding ${this.name}`);
  }
}

const ROLE_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'rules']);
const CLUSTER_ROLE_FIELDS = new Set([...ROLE_FIELDS, 'aggregationRule']);
const RULE_FIELDS = new Set(['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']);
const BINDING_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'subjects', 'roleRef']);
const SUBJECT_FIELDS = new Set(['kind', 'apiGroup', 'name', 'namespace']);
const ROLEREF_FIELDS = new Set(['kind', 'apiGroup', 'name']);
const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);

/** Collects problems located at a field of an object. */
export class ProblemSink {
  readonly problems: Problem[] = [];
  add(obj: K8sObject | undefined, path: string, severity: 'error' | 'warning', code: string, message: string): void {
    const loc = obj ? (obj.origin.locate(path) ?? obj.origin.location) : undefined;
    const what = obj ? `${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}` : '';
    const uri = obj?.origin.source.uri;
    this.problems.push({
      code,
      severity,
      message: `${what}${path !== '' ? ` ${path}` : ''}: ${message}`,
      ...(loc ? { file: loc.file, line: loc.line, column: loc.column } : uri !== undefined ? { file: uri } : {}),
    });
  }
}

function unknownFields(v: JsonObject, allowed: ReadonlySet<string>, obj: K8sObject, path: string, sink: ProblemSink): void {
  if (!hasUnknownField(v, allowed)) return;
  for (const k of Object.keys(v)) {
    if (!allowed.has(k)) sink.add(obj, path === '' ? k : `${path}.${k}`, 'error', 'rbac-unknown-field', `unknown field "${k}"${path === '' ? '' : ` in ${path}`} (the API server rejects it)`);
  }
}

/**
 * Whether `v` has an own key outside `allowed`. A for-in loop over the object's own keys (the same as Object.keys; an
 * inherited one is skipped) makes no array of them: the index reads every binding, its roleRef and subjects and every
 * role and rule (~17 MB of key arrays on 50,000 bindings).
 */
function hasUnknownField(v: JsonObject, allowed: ReadonlySet<string>): boolean {
  for (const k in v) if (!allowed.has(k) && Object.prototype.hasOwnProperty.call(v, k)) return true;
  return false;
}

/**
 * No list: one empty list for all (a rule's resourceNames and nonResourceURLs are mostly absent: 90,000 empty arrays
 * kept by the rules of 10,000 roles).
 */
const NONE: readonly string[] = Object.freeze([]);

function stringList(v: unknown, key: string, obj: K8sObject, path: string, sink: ProblemSink): readonly string[] {
  if (!isObject(v)) return NONE;
  const x = v[key];
  if (x === undefined || x === null) return NONE;
  if (!isArray(x)) {
    sink.add(obj, `${path}.${key}`, 'error', 'rbac-invalid-rule', `${key} must be a list of strings`);
    return NONE;
  }
  if (allStrings(x)) return x as string[];
  const out: string[] = [];
  x.forEach((s, i) => {
    if (typeof s === 'string') out.push(s);
    else sink.add(obj, `${path}.${key}[${i}]`, 'error', 'rbac-invalid-rule', `${key} must hold strings`);
  });
  return out;
}

/** A loop rather than every() with a closure: the index reads ~150,000 rule lists of 45,000 rules. */
function allStrings(x: readonly unknown[]): boolean {
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'string') return false;
  return true;
}

function checkVersion(obj: K8sObject, sink: ProblemSink): boolean {
  if (RBAC_VERSIONS.has(obj.apiVersion)) return true;
  sink.add(obj, 'apiVersion', 'error', 'rbac-unknown-version', `apiVersion ${obj.apiVersion} is not an RBAC API version (${RBAC_GROUP}/v1); ignored`);
  return false;
}

/**
 * `rules[i]`, one string per index for every role (an input of 10,000 roles has ~45,000 rules, a handful of indices).
 * Bounded: past RULE_PATHS_SHARED, written per rule.
 */
const RULE_PATHS_SHARED = 256;
const rulePathTexts: string[] = [];
function rulePath(i: number): string {
  if (i >= RULE_PATHS_SHARED) return `rules[${i}]`;
  return (rulePathTexts[i] ??= `rules[${i}]`);
}

/**
 * An array of exactly `from`'s first `n` items (then forgotten there): an array grown by push from empty keeps room
 * for 17 (136 bytes of slots for a binding's one or two subjects, 50,000 bindings), a slice holds what it holds.
 */
function exactly<T>(from: T[], n: number): T[] {
  const out = from.slice(0, n);
  from.fill(undefined as T, 0, n);
  return out;
}
/** The lists being read (readRole and readBinding do not nest): items at the front, the rest left undefined. */
const ruleScratch: PolicyRule[] = [];
const rulePathScratch: string[] = [];
const subjectScratch: SubjectRecord[] = [];

/** Read a Role or ClusterRole; undefined when it is not usable at all. */
export function readRole(obj: K8sObject, sink: ProblemSink, isDefault = false, defaultNamespace = 'default'): RoleRecord | undefined {
  if (!checkVersion(obj, sink)) return undefined;
  const kind = obj.kind === 'Role' ? 'Role' : 'ClusterRole';
  const raw = obj.raw;
  unknownFields(raw, kind === 'Role' ? ROLE_FIELDS : CLUSTER_ROLE_FIELDS, obj, '', sink);
  let held = 0;
  const rawRules = raw.rules;
  if (rawRules !== undefined && rawRules !== null && !isArray(rawRules)) sink.add(obj, 'rules', 'error', 'rbac-invalid-rule', 'rules must be a list');
  const list = getArray(raw, 'rules');
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const path = rulePath(i);
    if (!isObject(r)) {
      sink.add(obj, path, 'error', 'rbac-invalid-rule', 'a rule must be an object');
      continue;
    }
    unknownFields(r, RULE_FIELDS, obj, path, sink);
    const rule: PolicyRule = {
      verbs: stringList(r, 'verbs', obj, path, sink),
      apiGroups: stringList(r, 'apiGroups', obj, path, sink),
      resources: stringList(r, 'resources', obj, path, sink),
      resourceNames: stringList(r, 'resourceNames', obj, path, sink),
      nonResourceURLs: stringList(r, 'nonResourceURLs', obj, path, sink),
    };
    const invalid = ruleError(rule, kind);
    if (invalid) {
      sink.add(obj, path, 'error', 'rbac-invalid-rule', `${invalid}; the rule is ignored`);
      continue;
    }
    // The API server accepts any string here, but request paths start with /: such an entry never matches.
    for (const u of rule.nonResourceURLs) if (!u.startsWith('/') && trimStars(u) !== '') sink.add(obj, `${path}.nonResourceURLs`, 'warning', 'rbac-url-never-matches', `nonResourceURL "${u}" does not start with / and matches no request path`);
    ruleScratch[held] = rule;
    rulePathScratch[held++] = path;
  }
  const rules = exactly(ruleScratch, held);
  const rulePaths = exactly(rulePathScratch, held);
  let aggregation: LabelSelector[] | undefined;
  if (kind === 'ClusterRole' && raw.aggregationRule !== undefined && raw.aggregationRule !== null) {
    const ar = getObject(raw, 'aggregationRule');
    if (!ar) sink.add(obj, 'aggregationRule', 'error', 'rbac-invalid-aggregation', 'aggregationRule must be an object');
    else {
      unknownFields(ar, new Set(['clusterRoleSelectors']), obj, 'aggregationRule', sink);
      if (getArray(ar, 'clusterRoleSelectors').length === 0) sink.add(obj, 'aggregationRule.clusterRoleSelectors', 'error', 'rbac-invalid-aggregation', 'an aggregationRule needs at least one clusterRoleSelector (the API server rejects it)');
      aggregation = [];
      getArray(ar, 'clusterRoleSelectors').forEach((s, i) => {
        const sel = readSelector(s, obj, `aggregationRule.clusterRoleSelectors[${i}]`, sink);
        if (sel) aggregation?.push(sel);
      });
    }
  }
  return {
    kind,
    name: obj.metadata.name,
    ...(kind === 'Role' ? { namespace: obj.metadata.namespace ?? defaultNamespace } : {}),
    labels: obj.metadata.labels,
    rules,
    rulePaths,
    ...(aggregation ? { aggregation } : {}),
    object: obj,
    isDefault,
  };
}

function ruleError(rule: PolicyRule, kind: 'Role' | 'ClusterRole'): string | undefined {
  if (rule.verbs.length === 0) return 'verbs must not be empty';
  const hasUrls = rule.nonResourceURLs.length > 0;
  const hasResources = rule.resources.length > 0 || rule.apiGroups.length > 0;
  if (hasUrls && kind === 'Role') return 'nonResourceURLs are only allowed in ClusterRoles';
  if (hasUrls && hasResources) return 'a rule cannot mix nonResourceURLs with apiGroups or resources';
  if (hasUrls && rule.resourceNames.length > 0) return 'a nonResourceURLs rule cannot have resourceNames';
  if (!hasUrls) {
    if (rule.apiGroups.length === 0) return 'resource rules must list apiGroups ("" is the core group)';
    if (rule.resources.length === 0) return 'resource rules must list resources';
  }
  return undefined;
}

function readSelector(s: unknown, obj: K8sObject, path: string, sink: ProblemSink): LabelSelector | undefined {
  if (!isObject(s)) {
    sink.add(obj, path, 'error', 'rbac-invalid-aggregation', 'a label selector must be an object');
    return undefined;
  }
  unknownFields(s, SELECTOR_FIELDS, obj, path, sink);
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(getObject(s, 'matchLabels') ?? {})) {
    if (typeof v === 'string') matchLabels[k] = v;
    else sink.add(obj, `${path}.matchLabels`, 'error', 'rbac-invalid-aggregation', `label ${k} must be a string`);
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const [i, e] of getArray(s, 'matchExpressions').entries()) {
    const key = getString(e, 'key');
    const op = getString(e, 'operator');
    const values = getArray(e, 'values').filter((v): v is string => typeof v === 'string');
    if (key === undefined || (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist')) {
      sink.add(obj, `${path}.matchExpressions[${i}]`, 'error', 'rbac-invalid-aggregation', 'needs a key and an operator In, NotIn, Exists or DoesNotExist; the selector is ignored');
      return undefined;
    }
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      sink.add(obj, `${path}.matchExpressions[${i}]`, 'error', 'rbac-invalid-aggregation', `operator ${op} needs values; the selector is ignored`);
      return undefined;
    }
    matchExpressions.push({ key, operator: op, values });
  }
  return { matchLabels, matchExpressions };
}

/** Label selector semantics: every matchLabels pair and every expression must hold; an empty selector matches everything. */
export function selectorMatches(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || val === undefined || !e.values.includes(val)) return false;
        break;
      case 'NotIn':
        if (has && val !== undefined && e.values.includes(val)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Read a RoleBinding or ClusterRoleBinding. */
export function readBinding(obj: K8sObject, sink: ProblemSink, isDefault = false, defaultNamespace = 'default'): Binding | undefined {
  if (!checkVersion(obj, sink)) return undefined;
  const kind = obj.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding';
  const raw = obj.raw;
  unknownFields(raw, BINDING_FIELDS, obj, '', sink);
  const namespace = kind === 'RoleBinding' ? (obj.metadata.namespace ?? defaultNamespace) : undefined;
  const ref = getObject(raw, 'roleRef');
  if (!ref) {
    sink.add(obj, 'roleRef', 'error', 'rbac-invalid-binding', 'roleRef is required; the binding grants nothing');
    return undefined;
  }
  const refUnknown = hasUnknownField(ref, ROLEREF_FIELDS);
  if (refUnknown) unknownFields(ref, ROLEREF_FIELDS, obj, 'roleRef', sink);
  // An empty or absent roleRef.apiGroup is defaulted to the RBAC group by the API server. A roleRef as the API server
  // stores it (three strings, nothing else) is the record's as parsed, not a copy: 50,000 bindings, 50,000 objects.
  const roleRef: BindingRecord['roleRef'] =
    !refUnknown && typeof ref.kind === 'string' && typeof ref.name === 'string' && typeof ref.apiGroup === 'string' && ref.apiGroup !== ''
      ? (ref as BindingRecord['roleRef'])
      : { kind: getString(ref, 'kind') ?? '', name: getString(ref, 'name') ?? '', apiGroup: getString(ref, 'apiGroup') || RBAC_GROUP };
  if (roleRef.name === '') sink.add(obj, 'roleRef.name', 'error', 'rbac-invalid-binding', 'roleRef.name is required; the binding grants nothing');
  if (roleRef.apiGroup !== RBAC_GROUP) sink.add(obj, 'roleRef.apiGroup', 'error', 'rbac-invalid-binding', `roleRef.apiGroup must be ${RBAC_GROUP}`);
  if (kind === 'ClusterRoleBinding' && roleRef.kind !== 'ClusterRole') {
    sink.add(obj, 'roleRef.kind', 'error', 'rbac-wrong-role-kind', `a ClusterRoleBinding can only reference a ClusterRole, not "${roleRef.kind}"; the binding grants nothing`);
  } else if (roleRef.kind !== 'Role' && roleRef.kind !== 'ClusterRole') {
    sink.add(obj, 'roleRef.kind', 'error', 'rbac-wrong-role-kind', `roleRef.kind must be Role or ClusterRole, not "${roleRef.kind}"; the binding grants nothing`);
  }
  let held = 0;
  const rawSubjects = raw.subjects;
  if (rawSubjects !== undefined && rawSubjects !== null && !isArray(rawSubjects)) sink.add(obj, 'subjects', 'error', 'rbac-invalid-subject', 'subjects must be a list');
  // A loop, and field paths written only for a problem: an input holds tens of thousands of subjects.
  const list = getArray(raw, 'subjects');
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (!isObject(s)) {
      sink.add(obj, `subjects[${i}]`, 'error', 'rbac-invalid-subject', 'a subject must be an object');
      continue;
    }
    if (hasUnknownField(s, SUBJECT_FIELDS)) unknownFields(s, SUBJECT_FIELDS, obj, `subjects[${i}]`, sink);
    const sk = getString(s, 'kind');
    const name = getString(s, 'name') ?? '';
    if (name === '') {
      sink.add(obj, `subjects[${i}].name`, 'error', 'rbac-invalid-subject', 'subject name is required; ignored');
      continue;
    }
    if (sk === 'ServiceAccount') {
      const ns = getString(s, 'namespace') ?? namespace;
      if (ns === undefined || ns === '') {
        sink.add(obj, `subjects[${i}]`, 'error', 'rbac-invalid-subject', 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace; it matches nobody');
        continue;
      }
      const group = getString(s, 'apiGroup');
      if (group !== undefined && group !== '') sink.add(obj, `subjects[${i}].apiGroup`, 'error', 'rbac-invalid-subject', 'a ServiceAccount subject has apiGroup ""');
      if (!isDns1123Subdomain(name)) sink.add(obj, `subjects[${i}].name`, 'error', 'rbac-invalid-subject', `"${name}" is not a valid service account name (the API server rejects the binding)`);
      subjectScratch[held++] = { kind: 'ServiceAccount', name, namespace: ns, index: i };
    } else if (sk === 'User' || sk === 'Group') {
      // Empty or absent: defaulted to the RBAC group by the API server.
      const group = getString(s, 'apiGroup');
      if (group !== undefined && group !== '' && group !== RBAC_GROUP) sink.add(obj, `subjects[${i}].apiGroup`, 'error', 'rbac-invalid-subject', `a ${sk} subject has apiGroup ${RBAC_GROUP}`);
      subjectScratch[held++] = { kind: sk, name, index: i };
    } else {
      sink.add(obj, `subjects[${i}].kind`, 'error', 'rbac-invalid-subject', `subject kind must be User, Group or ServiceAccount, not "${sk ?? ''}"; ignored`);
    }
  }
  const subjects = exactly(subjectScratch, held);
  return new Binding(kind, obj.metadata.name, namespace, roleRef, subjects, obj, isDefault);
}
