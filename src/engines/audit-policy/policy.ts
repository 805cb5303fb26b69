/**
 * The audit policy (audit.k8s.io/v1 Policy): parsing with validation, and the exact evaluation the
 * API server performs — the first rule that matches a request decides its level; no match means
 * level None; a rule's omitted stages are the union of its own and the policy's.
 */
import type { Severity } from '../../core/severity.js';
import { getArray, getBool, getString, isObject } from '../../model/object.js';
import { trimEndChar } from '../../core/text.js';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

export interface GroupResources {
  readonly group: string;
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

export interface AuditRule {
  readonly index: number;
  readonly level: AuditLevel;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly GroupResources[];
  readonly namespaces: readonly string[];
  readonly nonResourceURLs: readonly string[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields?: boolean;
}

export interface AuditPolicy {
  readonly rules: readonly AuditRule[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
}

/** A validation error of the policy file, with the field path it concerns. */
export interface PolicyError {
  readonly path: string;
  readonly message: string;
}

export interface ParsedPolicy {
  /** The policy as the API server would load it, when it is valid enough to evaluate. */
  readonly policy?: AuditPolicy;
  readonly errors: readonly PolicyError[];
}

function strings(v: unknown, key: string, path: string, errors: PolicyError[]): string[] {
  if (!isObject(v) || v[key] === undefined || v[key] === null) return [];
  const a = v[key];
  if (!Array.isArray(a)) {
    errors.push({ path: `${path}.${key}`, message: `${key} must be a list of strings` });
    return [];
  }
  const out: string[] = [];
  a.forEach((x, i) => {
    if (typeof x === 'string') out.push(x);
    else errors.push({ path: `${path}.${key}[${i}]`, message: `${key}[${i}] must be a string` });
  });
  return out;
}

function stagesOf(v: unknown, path: string, errors: PolicyError[]): AuditStage[] {
  const out: AuditStage[] = [];
  strings(v, 'omitStages', path, errors).forEach((s, i) => {
    if ((AUDIT_STAGES as readonly string[]).includes(s)) out.push(s as AuditStage);
    else errors.push({ path: `${path}${path ? '.' : ''}omitStages[${i}]`, message: `unknown stage "${s}" (valid: ${AUDIT_STAGES.join(', ')})` });
  });
  return out;
}

/** Parse and validate a Policy document (already decoded from YAML/JSON). */
export function parseAuditPolicy(doc: unknown): ParsedPolicy {
  const errors: PolicyError[] = [];
  if (!isObject(doc)) return { errors: [{ path: '', message: 'the audit policy is not a YAML/JSON object' }] };
  const apiVersion = getString(doc, 'apiVersion');
  const kind = getString(doc, 'kind');
  if (kind !== 'Policy') errors.push({ path: 'kind', message: `kind is ${kind === undefined ? 'missing' : `"${kind}"`}, expected Policy` });
  if (apiVersion !== undefined && !['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'].includes(apiVersion))
    errors.push({ path: 'apiVersion', message: `apiVersion "${apiVersion}" is not an audit.k8s.io version` });
  const omitStages = stagesOf(doc, '', errors).map((s) => s);
  const rules: AuditRule[] = [];
  const rawRules = doc.rules;
  if (rawRules !== undefined && !Array.isArray(rawRules)) errors.push({ path: 'rules', message: 'rules must be a list' });
  getArray(doc, 'rules').forEach((r, index) => {
    const path = `rules[${index}]`;
    if (!isObject(r)) {
      errors.push({ path, message: 'a rule must be an object' });
      return;
    }
    const level = getString(r, 'level');
    if (level === undefined || !(AUDIT_LEVELS as readonly string[]).includes(level)) {
      errors.push({ path: `${path}.level`, message: level === undefined ? 'level is required' : `unknown level "${level}" (valid: ${AUDIT_LEVELS.join(', ')})` });
      return;
    }
    const resources: GroupResources[] = [];
    getArray(r, 'resources').forEach((g, gi) => {
      if (!isObject(g)) {
        errors.push({ path: `${path}.resources[${gi}]`, message: 'must be an object' });
        return;
      }
      const gp = `${path}.resources[${gi}]`;
      const res = strings(g, 'resources', gp, errors);
      const names = strings(g, 'resourceNames', gp, errors);
      for (const x of res)
        if (x.includes('*') && x !== '*' && !x.startsWith('*/') && !x.endsWith('/*'))
          errors.push({ path: `${gp}.resources`, message: `"${x}": a wildcard must be "*", "*/subresource" or "resource/*"` });
      resources.push({ group: getString(g, 'group') ?? '', resources: res, resourceNames: names });
    });
    const nonResourceURLs = strings(r, 'nonResourceURLs', path, errors);
    const namespaces = strings(r, 'namespaces', path, errors);
    if (nonResourceURLs.length > 0 && (resources.length > 0 || namespaces.length > 0))
      errors.push({ path, message: 'a rule cannot apply to both resources (or namespaces) and nonResourceURLs' });
    for (const u of nonResourceURLs)
      if (!u.startsWith('/') && u !== '*') errors.push({ path: `${path}.nonResourceURLs`, message: `"${u}" must start with "/"` });
      else if (u.slice(0, -1).includes('*')) errors.push({ path: `${path}.nonResourceURLs`, message: `"${u}": "*" is only allowed at the end` });
    const omf = getBool(r, 'omitManagedFields');
    rules.push({
      index,
      level: level as AuditLevel,
      users: strings(r, 'users', path, errors),
      userGroups: strings(r, 'userGroups', path, errors),
      verbs: strings(r, 'verbs', path, errors),
      resources,
      namespaces,
      nonResourceURLs,
      omitStages: stagesOf(r, path, errors),
      ...(omf !== undefined ? { omitManagedFields: omf } : {}),
    });
  });
  return { policy: { rules, omitStages, omitManagedFields: getBool(doc, 'omitManagedFields') ?? false }, errors };
}

/** The attributes of a request that audit policy rules look at. */
export interface AuditRequest {
  readonly user: string;
  readonly groups?: readonly string[];
  readonly verb: string;
  /** Resource requests: the resource (plural), its API group ('' for core), namespace ('' when cluster-scoped), subresource, name. */
  readonly resource?: { readonly group: string; readonly resource: string; readonly subresource?: string; readonly namespace?: string; readonly name?: string };
  /** Non-resource requests: the URL path, e.g. `/healthz`. */
  readonly path?: string;
}

export interface AuditDecision {
  readonly level: AuditLevel;
  readonly omitStages: readonly AuditStage[];
  /** The index of the rule that decided, or undefined when none matched (level None). */
  readonly ruleIndex?: number;
}

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(trimEndChar(spec, '*'));
}

function resourceMatches(r: AuditRule, req: AuditRequest): boolean {
  const res = req.resource;
  if (!res) return false;
  if (r.namespaces.length > 0 && !r.namespaces.includes(res.namespace ?? '')) return false;
  if (r.resources.length === 0) return true;
  const sub = res.subresource ?? '';
  const combined = sub !== '' ? `${res.resource}/${sub}` : res.resource;
  for (const gr of r.resources) {
    if (gr.group !== res.group) continue;
    if (gr.resources.length === 0) return true;
    for (const x of gr.resources) {
      if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(res.name ?? '')) continue;
      if (x === combined || x === '*') return true;
      if (sub !== '' && x.startsWith('*/') && sub === x.slice(2)) return true;
      if (x.endsWith('/*') && res.resource === x.slice(0, -2)) return true;
    }
  }
  return false;
}

/** Whether a rule matches a request, exactly as the API server's policy checker decides. */
export function ruleMatches(r: AuditRule, req: AuditRequest): boolean {
  if (r.users.length > 0 && !r.users.includes(req.user)) return false;
  if (r.userGroups.length > 0 && !(req.groups ?? []).some((g) => r.userGroups.includes(g))) return false;
  if (r.verbs.length > 0 && !r.verbs.includes(req.verb)) return false;
  if (r.namespaces.length > 0 || r.resources.length > 0) return resourceMatches(r, req);
  if (r.nonResourceURLs.length > 0) return req.resource === undefined && req.path !== undefined && r.nonResourceURLs.some((s) => pathMatches(req.path ?? '', s));
  return true;
}

/** At which level (and with which stages omitted) the API server logs this request. */
export function levelFor(policy: AuditPolicy, req: AuditRequest): AuditDecision {
  for (const r of policy.rules) {
    if (ruleMatches(r, req)) return { level: r.level, omitStages: [...new Set([...policy.omitStages, ...r.omitStages])], ruleIndex: r.index };
  }
  return { level: 'None', omitStages: policy.omitStages };
}

/** A weakness of an audit policy. */
export interface PolicyIssue {
  readonly code: 'sensitive-body-logged' | 'no-catch-all' | 'request-received-logged' | 'invalid' | 'empty';
  readonly severity: Severity;
  readonly message: string;
  readonly path?: string;
}

const SENSITIVE: readonly { group: string; resource: string; label: string; namespaced: boolean }[] = [
  { group: '', resource: 'secrets', label: 'Secrets', namespaced: true },
  { group: '', resource: 'configmaps', label: 'ConfigMaps', namespaced: true },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', label: 'TokenReviews', namespaced: false },
];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Every request that could reach a sensitive resource, reduced to equivalence classes: each value a
 * rule mentions, plus one value no rule mentions. Rules only test membership, so this is exact.
 */
function probes(policy: AuditPolicy, target: (typeof SENSITIVE)[number]): AuditRequest[] {
  const users = new Set<string>(['kspect:probe-user']);
  const groups = new Set<string>(['kspect:probe-group']);
  const verbs = new Set<string>(VERBS);
  const namespaces = new Set<string>(target.namespaced ? ['kspect-probe-ns'] : ['']);
  const names = new Set<string>(['kspect-probe-name']);
  for (const r of policy.rules) {
    for (const u of r.users) users.add(u);
    for (const g of r.userGroups) groups.add(g);
    for (const v of r.verbs) verbs.add(v);
    if (target.namespaced) for (const n of r.namespaces) if (n !== '') namespaces.add(n);
    for (const g of r.resources) for (const n of g.resourceNames) names.add(n);
  }
  const out: AuditRequest[] = [];
  for (const user of users)
    for (const group of groups)
      for (const verb of verbs)
        for (const namespace of namespaces)
          for (const name of names) out.push({ user, groups: [group], verb, resource: { group: target.group, resource: target.resource, namespace, name } });
  return out;
}

/** Audit a policy for the weaknesses kspect reports. */
export function auditPolicyIssues(parsed: ParsedPolicy): PolicyIssue[] {
  const issues: PolicyIssue[] = parsed.errors.map((e) => ({ code: 'invalid', severity: 'high', message: `invalid audit policy: ${e.path ? `${e.path}: ` : ''}${e.message} (the API server refuses to start)`, ...(e.path ? { path: e.path } : {}) }));
  const policy = parsed.policy;
  if (!policy) return issues;
  if (policy.rules.length === 0) {
    issues.push({ code: 'empty', severity: 'high', message: 'the audit policy has no rules: nothing is logged', path: 'rules' });
    return issues;
  }
  for (const t of SENSITIVE) {
    const hits = new Map<number, AuditLevel>();
    for (const req of probes(policy, t)) {
      const d = levelFor(policy, req);
      if ((d.level === 'Request' || d.level === 'RequestResponse') && d.ruleIndex !== undefined) hits.set(d.ruleIndex, d.level);
    }
    for (const [idx, level] of [...hits].sort((a, b) => a[0] - b[0]))
      issues.push({
        code: 'sensitive-body-logged',
        severity: t.label === 'ConfigMaps' ? 'medium' : 'high',
        message: `rule ${idx} logs ${t.label} at level ${level}: ${t.label === 'TokenReviews' ? 'bearer tokens' : 'their data'} end up in the audit log (use Metadata)`,
        path: `rules[${idx}].level`,
      });
  }
  const last = policy.rules.at(-1);
  const catchAll = policy.rules.some((r) => r.users.length === 0 && r.userGroups.length === 0 && r.verbs.length === 0 && r.resources.length === 0 && r.namespaces.length === 0 && r.nonResourceURLs.length === 0);
  if (!catchAll)
    issues.push({ code: 'no-catch-all', severity: 'medium', message: 'no catch-all rule (a rule without users, groups, verbs, resources, namespaces or URLs): requests no rule names are not logged at all', ...(last ? { path: `rules[${last.index}]` } : {}) });
  const unomitting = policy.omitStages.includes('RequestReceived') ? [] : policy.rules.filter((r) => r.level !== 'None' && !r.omitStages.includes('RequestReceived'));
  if (unomitting.length > 0)
    issues.push({
      code: 'request-received-logged',
      severity: 'low',
      message: `the RequestReceived stage is not omitted (${policy.rules.length === unomitting.length ? 'globally' : `rules ${unomitting.map((r) => r.index).join(', ')}`}): every request is logged twice`,
      path: 'omitStages',
    });
  return issues;
}
