/**
 * The audit policy (audit.k8s.io/v1 Policy): parsing with validation, and the exact evaluation the
 * API server performs — the first rule that matches a request decides its level; no match means
 * level None; a rule's omitted stages are the union of its own and the policy's.
 */
import type { Severity } from '../../core/severity.js';
import { loadAuditPolicy } from './load.js';

export * from './types.js';
import type { AuditDecision, AuditLevel, AuditPolicy, AuditRequest, AuditRule, ParsedPolicy } from './types.js';
import { trimEndChar } from '../../core/text.js';

/**
 * Parse and validate a Policy document already decoded from YAML/JSON, with the exact loader of load.ts (the
 * newest Kubernetes version kspect knows). Prefer `loadAuditPolicy(text)`: only the file text has the lines,
 * repeated keys and YAML 1.1 scalars kube-apiserver sees.
 */
export function parseAuditPolicy(doc: unknown, minor?: number): ParsedPolicy {
  let text: string;
  try {
    text = JSON.stringify(doc ?? null);
  } catch {
    return { errors: [{ path: '', message: 'the audit policy cannot be read' }] };
  }
  const loaded = loadAuditPolicy(text, minor !== undefined ? { minor } : {});
  const errors = loaded.problems.filter((p) => p.severity === 'error' && p.code !== 'no-rules').map((p) => ({ path: p.path, message: p.message }));
  // A policy without rules is refused by the server; callers report that as "empty", so hand them the empty policy.
  if (!loaded.policy && errors.length === 0) return { policy: { rules: [], omitStages: [], omitManagedFields: false }, errors };
  return { ...(loaded.policy ? { policy: loaded.policy } : {}), errors };
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
    if (gr.group !== res.group && gr.group !== '*') continue;
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
  // A request without a user (failed authentication) matches no rule that names users or groups.
  if (r.users.length > 0 && (req.user === undefined || !r.users.includes(req.user))) return false;
  if (r.userGroups.length > 0 && (req.user === undefined || !(req.groups ?? []).some((g) => r.userGroups.includes(g)))) return false;
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
