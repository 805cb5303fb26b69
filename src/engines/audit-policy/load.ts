/**
 * Loading an audit Policy file exactly as kube-apiserver of a given minor version does
 * (k8s.io/apiserver pkg/audit/policy/reader.go and pkg/apis/audit/validation), without its code:
 *
 * 1. the file is YAML or JSON (sigs.k8s.io/yaml, go-yaml v2 scalars; see decode.ts);
 * 2. apiVersion and kind must be there; the kind must be Policy of a registered audit.k8s.io version;
 * 3. strict decoding first: unknown fields and repeated keys are strict errors, after which the server falls back to
 *    lenient decoding and ignores them (a warning here: the setting has no effect); a value of the wrong JSON type
 *    fails both decoders (an error: the server refuses to start);
 * 4. only audit.k8s.io/v1 loads (v1alpha1 and v1beta1 too before 1.24);
 * 5. ValidatePolicy: levels, stages, non-resource URL patterns, nonResourceURLs mixed with resources or
 *    namespaces, resourceNames without resources, group names (`*` only from 1.36);
 * 6. a policy with zero rules is refused.
 * Every problem names its field path, the rule index and the line in the file.
 */
import { decodeConfigFile, entry, jsonTypeOf, type DValue } from './decode.js';
import { AUDIT_LEVELS, AUDIT_STAGES, type AuditLevel, type AuditPolicy, type AuditRule, type AuditStage, type GroupResources } from './types.js';
import { LATEST_MINOR, policyFeatures, type PolicyFeatures } from './versions.js';

export type PolicyProblemCode =
  // The server refuses to start:
  | 'not-yaml'
  | 'missing-type'
  | 'wrong-type-meta'
  | 'wrong-json-type'
  | 'invalid'
  | 'no-rules'
  // The server starts but ignores part of the file:
  | 'unknown-field'
  | 'duplicate-key'
  | 'extra-document';

export interface PolicyProblem {
  /** `error`: kube-apiserver refuses to start with this file; `warning`: it starts and ignores the part. */
  readonly severity: 'error' | 'warning';
  readonly code: PolicyProblemCode;
  readonly message: string;
  /** Field path, e.g. `rules[2].omitStages[0]`; empty for the whole file. */
  readonly path: string;
  readonly line?: number;
  /** The index of the rule the problem is in. */
  readonly rule?: number;
}

export interface LoadedPolicy {
  /** Whether kube-apiserver of this version starts with the file. */
  readonly loads: boolean;
  /** The policy as the server evaluates it (present when it loads). */
  readonly policy?: AuditPolicy;
  readonly problems: readonly PolicyProblem[];
  /** Line of each rule in the file (index = rule index). */
  readonly ruleLines: readonly number[];
  /** The Kubernetes minor version the file was judged for. */
  readonly minor: number;
}

export interface LoadOptions {
  /** Kubernetes minor version of the target kube-apiserver (default: the newest kspect knows). */
  readonly minor?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The v1 schema (and its older twins), as Go types: what a JSON value of each field must be.

type Schema =
  | { readonly t: 'string' | 'bool' | 'int' | 'time' | 'raw' }
  | { readonly t: 'list'; readonly of: Schema }
  | { readonly t: 'map'; readonly of: Schema }
  | { readonly t: 'struct'; readonly name: string; readonly fields: Readonly<Record<string, Schema>> };

const STR: Schema = { t: 'string' };
const STRS: Schema = { t: 'list', of: STR };
const BOOL: Schema = { t: 'bool' };
const RAW: Schema = { t: 'raw' };

const OBJECT_META: Schema = {
  t: 'struct',
  name: 'ObjectMeta',
  fields: {
    name: STR,
    generateName: STR,
    namespace: STR,
    selfLink: STR,
    uid: STR,
    resourceVersion: STR,
    generation: { t: 'int' },
    creationTimestamp: { t: 'time' },
    deletionTimestamp: { t: 'time' },
    deletionGracePeriodSeconds: { t: 'int' },
    labels: { t: 'map', of: STR },
    annotations: { t: 'map', of: STR },
    ownerReferences: { t: 'list', of: RAW },
    finalizers: STRS,
    managedFields: { t: 'list', of: RAW },
  },
};

function policySchema(f: PolicyFeatures): Schema {
  const omf: Record<string, Schema> = f.omitManagedFields ? { omitManagedFields: BOOL } : {};
  const groupResources: Schema = { t: 'struct', name: 'GroupResources', fields: { group: STR, resources: STRS, resourceNames: STRS } };
  const rule: Schema = {
    t: 'struct',
    name: 'PolicyRule',
    fields: { level: STR, users: STRS, userGroups: STRS, verbs: STRS, resources: { t: 'list', of: groupResources }, namespaces: STRS, nonResourceURLs: STRS, omitStages: STRS, ...omf },
  };
  return { t: 'struct', name: 'Policy', fields: { apiVersion: STR, kind: STR, metadata: OBJECT_META, rules: { t: 'list', of: rule }, omitStages: STRS, ...omf } };
}

const GO_TYPE: Readonly<Record<string, string>> = { string: 'string', bool: 'bool', int: 'int64', time: 'Time', raw: 'value', list: 'array', map: 'object', struct: 'object' };

function goTypeOf(s: Schema): string {
  if (s.t === 'list') return `[]${s.of.t === 'struct' ? s.of.name : (GO_TYPE[s.of.t] ?? s.of.t)}`;
  if (s.t === 'map') return `map[string]${GO_TYPE[s.of.t] ?? s.of.t}`;
  if (s.t === 'struct') return s.name;
  return GO_TYPE[s.t] ?? s.t;
}

function similar(a: string, known: readonly string[]): string | undefined {
  const la = a.toLowerCase();
  for (const k of known) if (k.toLowerCase() === la) return k;
  for (const k of known) if (editDistanceAtMost(la, k.toLowerCase(), 2)) return k;
  return undefined;
}

/** Levenshtein distance ≤ max, in O(n·max). */
function editDistanceAtMost(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return false;
    prev = cur;
  }
  return (prev[b.length] ?? max + 1) <= max;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The rule index a field path is in, e.g. `rules[3].level` → 3. */
function ruleOf(path: string): number | undefined {
  const m = /^rules\[(\d+)\]/.exec(path);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

interface Decoder {
  readonly problems: PolicyProblem[];
  readonly minor: number;
}

function problem(d: Decoder, severity: 'error' | 'warning', code: PolicyProblemCode, path: string, message: string, line: number | undefined): void {
  const rule = ruleOf(path);
  d.problems.push({ severity, code, path, message, ...(line !== undefined ? { line } : {}), ...(rule !== undefined ? { rule } : {}) });
}

/** Decode a JSON value into a Go value of `schema` as encoding/json would: null is the zero value; a wrong type fails. */
function decodeValue(d: Decoder, v: DValue, s: Schema, path: string): unknown {
  if (v.kind === 'null') return s.t === 'list' ? [] : s.t === 'struct' || s.t === 'map' ? {} : s.t === 'bool' ? undefined : s.t === 'string' ? '' : undefined;
  const wrong = (): unknown => {
    problem(d, 'error', 'wrong-json-type', path, `${path || 'the document'}: cannot decode a JSON ${jsonTypeOf(v)} into ${goTypeOf(s)} (kube-apiserver fails decoding the policy)`, v.line);
    return undefined;
  };
  switch (s.t) {
    case 'raw':
      return undefined;
    case 'string':
      if (v.kind === 'string') return v.value;
      return wrong();
    case 'bool':
      if (v.kind === 'bool') return ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].includes(v.text);
      return wrong();
    case 'int':
      if (v.kind === 'number' && /^[-+]?[0-9_]+$|^[-+]?0[xXoObB]/.test(v.text)) return Number(v.text.replace(/_/g, ''));
      return wrong();
    case 'time':
      if (v.kind !== 'string') return wrong();
      if (!RFC3339.test(v.value)) problem(d, 'error', 'wrong-json-type', path, `${path}: "${v.value}" is not an RFC 3339 time (kube-apiserver fails decoding the policy)`, v.line);
      return v.value;
    case 'list':
      if (v.kind !== 'seq') { wrong(); return; }
      return v.items.map((item, i) => decodeValue(d, item, s.of, `${path}[${i}]`));
    case 'map': {
      if (v.kind !== 'map') { wrong(); return; }
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const e of v.entries) out[e.key] = decodeValue(d, e.value, s.of, `${path}.${e.key}`);
      return out;
    }
    case 'struct': {
      if (v.kind !== 'map') { wrong(); return; }
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const known = Object.keys(s.fields);
      for (const e of v.entries) {
        const fs = Object.hasOwn(s.fields, e.key) ? s.fields[e.key] : undefined;
        const p = path === '' ? e.key : `${path}.${e.key}`;
        if (!fs) {
          const hint = similar(e.key, known);
          const why =
            e.key === 'omitManagedFields' && d.minor < 23
              ? `omitManagedFields exists from Kubernetes 1.23; kube-apiserver 1.${d.minor} ignores it`
              : `kube-apiserver ignores unknown fields (it falls back to lenient decoding), so this setting has no effect${hint !== undefined ? `; did you mean "${hint}"?` : ''}`;
          problem(d, 'warning', 'unknown-field', p, `unknown field "${p}": ${why}`, e.line);
          continue;
        }
        out[e.key] = decodeValue(d, e.value, fs, p);
      }
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (ValidatePolicy), with the version's group-name rule.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 subdomain as Kubernetes validates group names (length first, then per label: linear). */
export function isDnsSubdomain(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return s.split('.').every((label) => label.length > 0 && label.length <= 253 && DNS_LABEL.test(label));
}

const DNS_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";

interface RawRule {
  readonly level?: unknown;
  readonly users?: unknown;
  readonly userGroups?: unknown;
  readonly verbs?: unknown;
  readonly resources?: unknown;
  readonly namespaces?: unknown;
  readonly nonResourceURLs?: unknown;
  readonly omitStages?: unknown;
  readonly omitManagedFields?: unknown;
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function lineAt(root: DValue | undefined, path: (string | number)[]): number | undefined {
  let cur: DValue | undefined = root;
  let line = root?.line;
  for (const seg of path) {
    if (!cur) break;
    if (typeof seg === 'number') cur = cur.kind === 'seq' ? cur.items[seg] : undefined;
    else {
      const e = entry(cur, seg);
      if (e) line = e.line;
      cur = e?.value;
      continue;
    }
    if (cur) line = cur.line;
  }
  return line;
}

function validateStages(d: Decoder, stages: readonly string[], path: string, root: DValue | undefined, segs: (string | number)[]): void {
  stages.forEach((s, i) => {
    if (!(AUDIT_STAGES as readonly string[]).includes(s))
      problem(d, 'error', 'invalid', `${path}[${i}]`, `${path}[${i}]: Invalid value: "${s}": allowed stages are ${AUDIT_STAGES.join(',')}`, lineAt(root, [...segs, i]));
  });
}

function validate(d: Decoder, f: PolicyFeatures, raw: { rules?: unknown; omitStages?: unknown }, root: DValue | undefined): void {
  validateStages(d, strs(raw.omitStages), 'omitStages', root, ['omitStages']);
  const rules = Array.isArray(raw.rules) ? (raw.rules as (RawRule | undefined)[]) : [];
  rules.forEach((r, i) => {
    const rp = `rules[${i}]`;
    const at = (...segs: (string | number)[]): number | undefined => lineAt(root, ['rules', i, ...segs]);
    const level = typeof r?.level === 'string' ? r.level : '';
    if (level === '') problem(d, 'error', 'invalid', `${rp}.level`, `${rp}.level: Required value`, at('level'));
    else if (!(AUDIT_LEVELS as readonly string[]).includes(level))
      problem(d, 'error', 'invalid', `${rp}.level`, `${rp}.level: Unsupported value: "${level}": supported values: ${AUDIT_LEVELS.map((l) => `"${l}"`).join(', ')}`, at('level'));
    const urls = strs(r?.nonResourceURLs);
    urls.forEach((u, j) => {
      if (u === '*') return;
      if (!u.startsWith('/'))
        problem(d, 'error', 'invalid', `${rp}.nonResourceURLs[${j}]`, `${rp}.nonResourceURLs[${j}]: Invalid value: "${u}": non-resource URL rules must begin with a '/' character`, at('nonResourceURLs', j));
      if (u !== '' && u.slice(0, -1).includes('*'))
        problem(d, 'error', 'invalid', `${rp}.nonResourceURLs[${j}]`, `${rp}.nonResourceURLs[${j}]: Invalid value: "${u}": non-resource URL wildcards '*' must be the final character of the rule`, at('nonResourceURLs', j));
    });
    const groups = Array.isArray(r?.resources) ? (r.resources as ({ group?: unknown; resources?: unknown; resourceNames?: unknown } | undefined)[]) : [];
    groups.forEach((g, j) => {
      const group = typeof g?.group === 'string' ? g.group : '';
      if (group !== '' && !(group === '*' && f.wildcardGroup) && !isDnsSubdomain(group)) {
        const since = group === '*' ? ` ("*" for every group is accepted from Kubernetes 1.36; this is 1.${f.minor})` : '';
        problem(d, 'error', 'invalid', `${rp}.resources.group`, `${rp}.resources.group: Invalid value: "${group}": ${DNS_SUBDOMAIN_MSG}${since}`, at('resources', j, 'group'));
      }
      if (strs(g?.resourceNames).length > 0 && strs(g?.resources).length === 0)
        problem(d, 'error', 'invalid', `${rp}.resources.resourceNames`, `${rp}.resources.resourceNames: Invalid value: ${JSON.stringify(strs(g?.resourceNames))}: using resourceNames requires at least one resource`, at('resources', j, 'resourceNames'));
    });
    validateStages(d, strs(r?.omitStages), `${rp}.omitStages`, root, ['rules', i, 'omitStages']);
    if (urls.length > 0 && (groups.length > 0 || strs(r?.namespaces).length > 0))
      problem(d, 'error', 'invalid', `${rp}.nonResourceURLs`, `${rp}.nonResourceURLs: Invalid value: ${JSON.stringify(urls)}: rules cannot apply to both regular resources and non-resource URLs`, at('nonResourceURLs'));
  });
}

// ---------------------------------------------------------------------------------------------------------------

function typeMetaString(v: DValue | undefined): string | undefined | null {
  if (!v || v.kind === 'null') return undefined;
  return v.kind === 'string' ? v.value : null;
}

/** Load an audit Policy file as kube-apiserver 1.`minor` does. */
export function loadAuditPolicy(text: string, options: LoadOptions = {}): LoadedPolicy {
  const minor = options.minor ?? LATEST_MINOR;
  const f = policyFeatures(minor);
  const d: Decoder = { problems: [], minor };
  const decoded = decodeConfigFile(text);
  const fail = (): LoadedPolicy => ({ loads: false, problems: d.problems, ruleLines: [], minor });
  for (const e of decoded.errors) problem(d, 'error', 'not-yaml', '', `the file is not valid YAML or JSON: ${e.message} (kube-apiserver fails decoding it)`, e.line);
  if (decoded.errors.length > 0 || !decoded.value) return fail();
  const root = decoded.value;
  if (decoded.extraDocuments > 0) problem(d, 'warning', 'extra-document', '', 'the file has more than one YAML document: kube-apiserver reads only the first', undefined);

  // TypeMeta: read first, as the decoder does to pick the Go type.
  if (root.kind !== 'map') {
    problem(d, 'error', 'missing-type', '', `the policy must be a YAML mapping, not ${root.kind === 'null' ? 'empty' : `a ${jsonTypeOf(root)}`} (kube-apiserver: Object 'Kind' is missing)`, root.line);
    return fail();
  }
  const apiVersion = typeMetaString(entry(root, 'apiVersion')?.value);
  const kindRaw = typeMetaString(entry(root, 'kind')?.value);
  if (apiVersion === null || kindRaw === null) {
    const bad = apiVersion === null ? 'apiVersion' : 'kind';
    problem(d, 'error', 'wrong-type-meta', bad, `${bad} must be a string (kube-apiserver cannot read the version and kind)`, entry(root, bad)?.line);
    return fail();
  }
  // A missing kind is taken from the Go type the server decodes into (Policy); a missing apiVersion becomes the
  // internal version, which the reader then refuses.
  const kind = kindRaw === undefined || kindRaw === '' ? 'Policy' : kindRaw;
  if (apiVersion === undefined || apiVersion === '') {
    problem(d, 'error', 'missing-type', 'apiVersion', 'apiVersion is missing: kube-apiserver refuses a policy without apiVersion (unknown group version audit.k8s.io/__internal in policy)', root.line);
    return fail();
  }
  const registered = f.apiVersions.includes(apiVersion) && kind === 'Policy';
  if (!registered) {
    const what =
      kind !== 'Policy'
        ? `kind "${kind}" is not an audit Policy`
        : apiVersion.startsWith('audit.k8s.io/')
          ? `apiVersion "${apiVersion}" is not served by kube-apiserver 1.${minor} (${f.apiVersions.join(', ')} only${minor >= 24 ? '; v1alpha1 and v1beta1 were removed in 1.24' : ''})`
          : `apiVersion "${apiVersion}" is not audit.k8s.io/v1`;
    problem(d, 'error', 'wrong-type-meta', kind !== 'Policy' ? 'kind' : 'apiVersion', `${what}: kube-apiserver refuses to load it`, entry(root, kind !== 'Policy' ? 'kind' : 'apiVersion')?.line);
    return fail();
  }

  for (const dup of decoded.duplicates) {
    const path = '';
    d.problems.push({ severity: 'warning', code: 'duplicate-key', path, message: `${dup.message}: the strict decoder rejects it and kube-apiserver falls back to lenient decoding`, ...(dup.line !== undefined ? { line: dup.line } : {}) });
  }
  const raw = decodeValue(d, root, policySchema(f), '') as { rules?: unknown; omitStages?: unknown; omitManagedFields?: unknown } | undefined;
  if (d.problems.some((p) => p.severity === 'error') || raw === undefined) return fail();

  validate(d, f, raw, root);
  const rulesRaw = Array.isArray(raw.rules) ? (raw.rules as (RawRule | undefined)[]) : [];
  if (rulesRaw.length === 0) problem(d, 'error', 'no-rules', 'rules', 'the policy has no rules: kube-apiserver refuses it (loaded illegal policy with 0 rules)', entry(root, 'rules')?.line ?? root.line);
  const ruleLines = rulesRaw.map((_, i) => lineAt(root, ['rules', i]) ?? root.line);
  // Assign rule indexes to problems without one (duplicate keys inside a rule).
  const problems = d.problems.map((p) => {
    if (p.rule !== undefined || p.line === undefined) return p;
    let rule: number | undefined;
    ruleLines.forEach((l, i) => {
      if (p.line !== undefined && l <= p.line) rule = i;
    });
    const rulesLine = entry(root, 'rules')?.line;
    return rule !== undefined && rulesLine !== undefined && p.line > rulesLine ? { ...p, rule } : p;
  });
  if (problems.some((p) => p.severity === 'error')) return { loads: false, problems, ruleLines, minor };

  const rules: AuditRule[] = rulesRaw.map((r, index) => {
    const groups = Array.isArray(r?.resources) ? (r.resources as ({ group?: unknown; resources?: unknown; resourceNames?: unknown } | undefined)[]) : [];
    const omf = r?.omitManagedFields;
    return {
      index,
      level: r?.level as AuditLevel,
      users: strs(r?.users),
      userGroups: strs(r?.userGroups),
      verbs: strs(r?.verbs),
      resources: groups.map((g): GroupResources => ({ group: typeof g?.group === 'string' ? g.group : '', resources: strs(g?.resources), resourceNames: strs(g?.resourceNames) })),
      namespaces: strs(r?.namespaces),
      nonResourceURLs: strs(r?.nonResourceURLs),
      omitStages: strs(r?.omitStages) as AuditStage[],
      ...(typeof omf === 'boolean' ? { omitManagedFields: omf } : {}),
    };
  });
  const policy: AuditPolicy = { rules, omitStages: strs(raw.omitStages) as AuditStage[], omitManagedFields: raw.omitManagedFields === true };
  return { loads: true, policy, problems, ruleLines, minor };
}
