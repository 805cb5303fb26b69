/**
 * What a loaded audit policy does that its author probably did not mean, and what the CIS Benchmark and the
 * Kubernetes hardening guides ask of it — judged on the evaluated policy (the level the first matching rule gives
 * each class of request, see probe.ts), not on its text:
 *
 * - rules that can never take effect (every request they match is matched by an earlier rule);
 * - resource patterns that can never match, resources under a group that does not serve them, verbs no request has;
 * - Secret, ConfigMap, TokenReview and TokenRequest bodies logged (credentials end up in the log);
 * - requests no rule matches (no catch-all), RequestReceived not omitted, noise from system components;
 * - pods/exec, attach, portforward not logged; RBAC changes and pod creation not logged, or without their bodies.
 */
import type { Severity } from '../../core/severity.js';
import { levelFor, ruleMatches } from './policy.js';
import { identities, mentioned, NON_RESOURCE_VERBS, OTHER_API_GROUP, OTHER_NAME, OTHER_NAMESPACE, OTHER_PATH, OTHER_RESOURCE, OTHER_SUBRESOURCE, OTHER_USER, OTHER_VERB, RESOURCE_VERBS, splitPattern, withIdentity, type Identity, type Mentioned } from './probe.js';
import { BUILTIN_RESOURCES, BUILTIN_RESOURCES_VERSION } from './resources.js';
import type { AuditLevel, AuditPolicy, AuditRequest, AuditRule } from './types.js';
import { trimEndChar } from '../../core/text.js';

export type LintCode =
  | 'rule-shadowed'
  | 'pattern-never-matches'
  | 'wrong-group'
  | 'sensitive-body'
  | 'no-catch-all'
  | 'request-received'
  | 'noise'
  | 'critical-unlogged'
  | 'critical-no-body';

export interface LintIssue {
  readonly code: LintCode;
  readonly severity: Severity;
  readonly message: string;
  /** The rule the issue is about (the one that decides, or the one that can never match). */
  readonly rule?: number;
  /** Field path, e.g. `rules[3].resources[0].resources[1]`. */
  readonly path: string;
  /**
   * Which of several cases a check enumerates on one rule this is (`Secrets`, `pod creation` …): with the rule, what
   * identifies the issue for a baseline. Unlike the message it does not depend on the other rules (whose users give
   * the message's example).
   */
  readonly subject?: string;
}

const LEVEL_RANK: Readonly<Record<AuditLevel, number>> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

export function levelAtLeast(level: AuditLevel, min: AuditLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[min];
}

function describeIdentity(id: Identity): string {
  if (id.user === undefined) return 'an unauthenticated request';
  if (id.groups.length > 0) return id.groups[0]?.startsWith('kspect:') ? 'a user in no group any rule names' : `a member of group ${id.groups.join(', ')}`;
  return id.user === OTHER_USER ? 'a user no rule names' : `user ${id.user}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns

const SERVED: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries(BUILTIN_RESOURCES).map(([g, rs]) => [g, new Set(rs)]));
const VERBS = new Set<string>([...RESOURCE_VERBS, ...NON_RESOURCE_VERBS]);

function servingGroups(resource: string): string[] {
  return [...SERVED].filter(([, rs]) => rs.has(resource)).map(([g]) => (g === '' ? '"" (core)' : g));
}

function lintPatterns(policy: AuditPolicy, out: LintIssue[]): void {
  const v = BUILTIN_RESOURCES_VERSION;
  for (const r of policy.rules) {
    const rp = `rules[${r.index}]`;
    r.verbs.forEach((verb, i) => {
      if (!VERBS.has(verb))
        out.push({
          code: 'pattern-never-matches',
          severity: 'low',
          rule: r.index,
          path: `${rp}.verbs[${i}]`,
          message: `rule ${r.index} lists verb "${verb}", which no request carries (requests have ${RESOURCE_VERBS.join(', ')}, or a lower-case HTTP method for non-resource URLs${['bind', 'escalate', 'impersonate', 'use', 'approve', 'sign'].includes(verb) ? `; "${verb}" is an authorization check, never a request verb` : ''})`,
        });
    });
    r.namespaces.forEach((ns, i) => {
      if (ns !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns.slice(0, 63)))
        out.push({ code: 'pattern-never-matches', severity: 'low', rule: r.index, path: `${rp}.namespaces[${i}]`, message: `rule ${r.index} lists namespace "${ns}", which is not a valid namespace name: it never matches` });
    });
    r.nonResourceURLs.forEach((u, i) => {
      const segs = u.replace(/\*$/, '').split('/').filter((s) => s !== '');
      const resourcePath = (segs[0] === 'api' && segs.length >= 3 && !u.endsWith('*')) || (segs[0] === 'apis' && segs.length >= 4 && !u.endsWith('*'));
      if (resourcePath)
        out.push({ code: 'pattern-never-matches', severity: 'low', rule: r.index, path: `${rp}.nonResourceURLs[${i}]`, message: `rule ${r.index} lists "${u}" under nonResourceURLs, but that path is a resource request: nonResourceURLs only match non-resource requests (use resources)` });
    });
    r.resources.forEach((gr, gi) => {
      const gp = `${rp}.resources[${gi}]`;
      const builtin = SERVED.get(gr.group);
      if (gr.group !== '*' && gr.group !== '' && !builtin && !gr.group.includes('.')) {
        out.push({
          code: 'wrong-group',
          severity: 'medium',
          rule: r.index,
          path: `${gp}.group`,
          message: `rule ${r.index} names API group "${gr.group}", which kube-apiserver does not serve (discovery of ${v}) (custom resource groups always contain a dot${gr.group === 'extensions' ? '; extensions was removed in 1.22, its resources moved to apps, networking.k8s.io and policy' : gr.group === 'core' || gr.group === 'v1' ? '; the core group is ""' : ''}): the entry never matches`,
        });
        return;
      }
      gr.resources.forEach((p, pi) => {
        const pp = `${gp}.resources[${pi}]`;
        const [res, sub] = splitPattern(p);
        const never = (why: string): void => {
          out.push({ code: 'pattern-never-matches', severity: 'medium', rule: r.index, path: pp, message: `rule ${r.index}: resource pattern "${p}" never matches: ${why}` });
        };
        if (p === '') { never('it is empty'); return; }
        if (p !== '*' && p !== p.toLowerCase()) { never('resource names are lower case'); return; }
        if (sub !== undefined && sub.includes('/')) { never('a request has one resource and at most one subresource'); return; }
        const wildcards = (p.match(/\*/g) ?? []).length;
        if (wildcards > 0 && !(p === '*' || (res === '*' && sub !== undefined && !sub.includes('*')) || (sub === '*' && !res.includes('*'))))
          { never('only "*", "*/subresource" and "resource/*" are wildcards; "*" anywhere else is taken literally'); return; }
        if (!builtin || gr.group === '*') return;
        const g = gr.group === '' ? 'the core group ("")' : gr.group;
        if (res === '*') {
          if (sub !== undefined && ![...builtin].some((x) => x.endsWith(`/${sub}`)))
            never(`no resource of ${g} has a "${sub}" subresource in kube-apiserver ${v}`);
          return;
        }
        if (!builtin.has(res)) {
          const elsewhere = servingGroups(res);
          out.push({
            code: 'wrong-group',
            severity: 'medium',
            rule: r.index,
            path: pp,
            message: `rule ${r.index}: ${g} does not serve "${res}" (discovery of kube-apiserver ${v})${elsewhere.length > 0 ? `; it is served by ${elsewhere.join(', ')}` : ''}: the pattern never matches`,
          });
          return;
        }
        if (sub !== undefined && sub !== '*' && !builtin.has(`${res}/${sub}`)) never(`"${res}" of ${g} has no "${sub}" subresource in kube-apiserver ${v}`);
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shadowed rules: is there a request the rule matches that no earlier rule matches?

const SHADOW_PROBE_CAP = 200_000;

function* requestsOf(r: AuditRule, m: Mentioned): Generator<AuditRequest> {
  const users: (string | undefined)[] = r.users.length > 0 ? [...r.users] : [undefined, ...m.users, OTHER_USER];
  const idList: Identity[] = [];
  for (const u of users) {
    if (r.userGroups.length > 0) {
      if (u === undefined) continue;
      for (const g of r.userGroups) idList.push({ user: u, groups: [g] });
    } else {
      idList.push({ ...(u !== undefined ? { user: u } : {}), groups: [] });
      if (u !== undefined) for (const g of m.groups) idList.push({ user: u, groups: [g] });
    }
  }
  const resourceRule = r.resources.length > 0 || r.namespaces.length > 0;
  const nonResourceRule = r.nonResourceURLs.length > 0;
  const verbs = r.verbs.length > 0 ? r.verbs : [...new Set([...m.verbs, OTHER_VERB])];
  if (!nonResourceRule || resourceRule) {
    const namespaces = r.namespaces.length > 0 ? r.namespaces : [...new Set(['', ...m.namespaces, OTHER_NAMESPACE])];
    const triples: { group: string; resource: string; subresource?: string; names: readonly string[] }[] = [];
    const anyNames = [...m.names, OTHER_NAME];
    const groupsFor = (g: string): string[] => (g === '*' ? [...m.apiGroups, OTHER_API_GROUP] : [g]);
    const allResources = [...m.resources, OTHER_RESOURCE];
    const allSubs: (string | undefined)[] = [undefined, ...m.subresources, OTHER_SUBRESOURCE];
    if (r.resources.length === 0) {
      for (const group of [...m.apiGroups, OTHER_API_GROUP]) for (const resource of allResources) for (const sub of allSubs) triples.push({ group, resource, ...(sub !== undefined ? { subresource: sub } : {}), names: anyNames });
    } else {
      for (const gr of r.resources) {
        const names = gr.resourceNames.length > 0 ? gr.resourceNames : anyNames;
        for (const group of groupsFor(gr.group)) {
          if (gr.resources.length === 0) {
            for (const resource of allResources) for (const sub of allSubs) triples.push({ group, resource, ...(sub !== undefined ? { subresource: sub } : {}), names });
            continue;
          }
          for (const p of gr.resources) {
            const [res, sub] = splitPattern(p);
            const resList = res === '*' ? allResources : [res];
            const subList: (string | undefined)[] = sub === undefined ? (res === '*' ? allSubs : [undefined]) : sub === '*' ? allSubs : [sub];
            for (const resource of resList) for (const s of subList) triples.push({ group, resource, ...(s !== undefined ? { subresource: s } : {}), names });
          }
        }
      }
    }
    for (const id of idList)
      for (const verb of verbs)
        for (const t of triples)
          for (const namespace of namespaces)
            for (const name of t.names) yield withIdentity(id, { verb, resource: { group: t.group, resource: t.resource, ...(t.subresource !== undefined ? { subresource: t.subresource } : {}), namespace, name } });
  }
  if (nonResourceRule || !resourceRule) {
    const paths = nonResourceRule ? r.nonResourceURLs.flatMap((u) => (u === '*' ? [...m.paths, OTHER_PATH] : u.endsWith('*') ? [trimEndChar(u, '*'), ...m.paths.filter((p) => p.startsWith(trimEndChar(u, '*')))] : [u])) : [...m.paths, OTHER_PATH];
    for (const id of idList) for (const verb of verbs) for (const path of paths) yield withIdentity(id, { verb, path });
  }
}

function lintShadowed(policy: AuditPolicy, out: LintIssue[]): void {
  const m = mentioned(policy.rules);
  for (let j = 1; j < policy.rules.length; j++) {
    const rule = policy.rules[j];
    if (!rule) continue;
    const earlier = policy.rules.slice(0, j);
    let probes = 0;
    let witness = false;
    let matchedAny = false;
    const coverers = new Map<number, number>();
    for (const req of requestsOf(rule, m)) {
      if (++probes > SHADOW_PROBE_CAP) break;
      if (!ruleMatches(rule, req)) continue;
      matchedAny = true;
      const first = earlier.find((e) => ruleMatches(e, req));
      if (!first) {
        witness = true;
        break;
      }
      coverers.set(first.index, (coverers.get(first.index) ?? 0) + 1);
    }
    if (witness || probes > SHADOW_PROBE_CAP || !matchedAny) continue;
    const by = [...coverers.keys()].sort((a, b) => a - b);
    out.push({
      code: 'rule-shadowed',
      severity: 'medium',
      rule: j,
      path: `rules[${j}]`,
      message: `rule ${j} never takes effect: every request it matches is matched first by ${by.length === 1 ? `rule ${by[0] ?? ''}` : `rules ${by.join(', ')}`} (the first matching rule decides the level)`,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Security lint

interface Target {
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespaced: boolean;
  readonly label: string;
}

function* targetRequests(policy: AuditPolicy, t: Target, verbs: readonly string[]): Generator<{ id: Identity; req: AuditRequest }> {
  const m = mentioned(policy.rules);
  const namespaces = t.namespaced ? [...new Set([...m.namespaces.filter((n) => n !== ''), OTHER_NAMESPACE])] : [''];
  const names = [...m.names, OTHER_NAME];
  for (const id of identities(m))
    for (const verb of verbs)
      for (const namespace of namespaces)
        for (const name of names) yield { id, req: withIdentity(id, { verb, resource: { group: t.group, resource: t.resource, ...(t.subresource !== undefined ? { subresource: t.subresource } : {}), namespace, name } }) };
}

const SENSITIVE: readonly (Target & { readonly min: AuditLevel; readonly severity: Severity; readonly what: string })[] = [
  { group: '', resource: 'secrets', namespaced: true, label: 'Secrets', min: 'Request', severity: 'high', what: 'their data (base64 is not encryption)' },
  { group: '', resource: 'configmaps', namespaced: true, label: 'ConfigMaps', min: 'Request', severity: 'medium', what: 'their data, which often holds credentials' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', namespaced: false, label: 'TokenReviews', min: 'Request', severity: 'high', what: 'the bearer token under review' },
  { group: '', resource: 'serviceaccounts', subresource: 'token', namespaced: true, label: 'TokenRequests (serviceaccounts/token)', min: 'RequestResponse', severity: 'high', what: 'the issued service account token' },
];

function lintSensitive(policy: AuditPolicy, out: LintIssue[]): void {
  for (const t of SENSITIVE) {
    const hits = new Map<number, { level: AuditLevel; example: string }>();
    for (const { id, req } of targetRequests(policy, t, RESOURCE_VERBS)) {
      const d = levelFor(policy, req);
      if (d.ruleIndex === undefined || !levelAtLeast(d.level, t.min) || hits.has(d.ruleIndex)) continue;
      hits.set(d.ruleIndex, { level: d.level, example: `${req.verb} by ${describeIdentity(id)}` });
    }
    for (const [rule, h] of [...hits].sort((a, b) => a[0] - b[0]))
      out.push({
        code: 'sensitive-body',
        severity: t.severity,
        rule,
        subject: t.label,
        path: `rules[${rule}].level`,
        message: `rule ${rule} logs ${t.label} at level ${h.level} (e.g. ${h.example}): ${t.what} ends up in the audit log; log them at ${t.min === 'RequestResponse' ? 'Request or lower' : 'Metadata'}`,
      });
  }
}

function lintCatchAll(policy: AuditPolicy, out: LintIssue[]): void {
  const probe = withIdentity({ user: OTHER_USER, groups: [] }, { verb: OTHER_VERB, resource: { group: OTHER_API_GROUP, resource: OTHER_RESOURCE, namespace: OTHER_NAMESPACE, name: OTHER_NAME } });
  const probes: AuditRequest[] = [probe, withIdentity({ user: OTHER_USER, groups: [] }, { verb: 'get', path: OTHER_PATH }), withIdentity({ groups: [] }, { verb: OTHER_VERB, resource: { group: OTHER_API_GROUP, resource: OTHER_RESOURCE, namespace: OTHER_NAMESPACE, name: OTHER_NAME } })];
  const unmatched = probes.find((p) => levelFor(policy, p).ruleIndex === undefined);
  if (!unmatched) return;
  const last = policy.rules.at(-1);
  out.push({
    code: 'no-catch-all',
    severity: 'medium',
    ...(last ? { rule: last.index } : {}),
    path: last ? `rules[${last.index}]` : 'rules',
    message: `no rule matches every request: requests no rule names (e.g. ${unmatched.resource ? `a request for a resource no rule names${unmatched.user === undefined ? ' without authentication' : ''}` : `get ${OTHER_PATH.replace('/kspect-any-other-path', 'on a URL no rule names')}`}) fall through to level None and are not logged; end the policy with a catch-all rule (e.g. "- level: Metadata")`,
  });
}

function lintRequestReceived(policy: AuditPolicy, out: LintIssue[]): void {
  if (policy.omitStages.includes('RequestReceived')) return;
  const logging = policy.rules.filter((r) => r.level !== 'None' && !r.omitStages.includes('RequestReceived'));
  if (logging.length === 0) return;
  out.push({
    code: 'request-received',
    severity: 'low',
    rule: logging[0]?.index ?? 0,
    path: 'omitStages',
    message: `the RequestReceived stage is not omitted (${logging.length === policy.rules.filter((r) => r.level !== 'None').length ? 'by the policy or any logging rule' : `by rules ${logging.map((r) => r.index).join(', ')}`}): every request they log is written twice; set omitStages: [RequestReceived] at the policy level`,
  });
}

interface NoiseProbe {
  readonly label: string;
  readonly id: Identity;
  readonly reqs: readonly Omit<AuditRequest, 'user' | 'groups'>[];
  /** Logged at this level or above counts as noise. */
  readonly min: AuditLevel;
}

const NODE: Identity = { user: 'system:node:node-1', groups: ['system:nodes'] };
const NOISE: readonly NoiseProbe[] = [
  {
    label: 'kube-proxy watching services, endpoints and EndpointSlices',
    id: { user: 'system:kube-proxy', groups: [] },
    reqs: [
      { verb: 'watch', resource: { group: '', resource: 'endpoints', namespace: 'default' } },
      { verb: 'watch', resource: { group: '', resource: 'services', namespace: 'default' } },
      { verb: 'watch', resource: { group: 'discovery.k8s.io', resource: 'endpointslices', namespace: 'default' } },
    ],
    min: 'Metadata',
  },
  {
    label: 'kubelets reading their Node',
    id: NODE,
    reqs: [
      { verb: 'get', resource: { group: '', resource: 'nodes', name: 'node-1', namespace: '' } },
      { verb: 'get', resource: { group: '', resource: 'nodes', subresource: 'status', name: 'node-1', namespace: '' } },
    ],
    min: 'Metadata',
  },
  {
    label: 'controller-manager and scheduler leader election',
    id: { user: 'system:kube-controller-manager', groups: [] },
    reqs: [
      { verb: 'get', resource: { group: 'coordination.k8s.io', resource: 'leases', name: 'kube-controller-manager', namespace: 'kube-system' } },
      { verb: 'update', resource: { group: 'coordination.k8s.io', resource: 'leases', name: 'kube-controller-manager', namespace: 'kube-system' } },
    ],
    min: 'Metadata',
  },
  {
    label: 'health and version probes',
    id: { user: 'system:anonymous', groups: ['system:unauthenticated'] },
    reqs: [
      { verb: 'get', path: '/healthz' },
      { verb: 'get', path: '/readyz' },
      { verb: 'get', path: '/livez' },
      { verb: 'get', path: '/version' },
    ],
    min: 'Metadata',
  },
  {
    label: 'Events with their bodies',
    id: NODE,
    reqs: [
      { verb: 'create', resource: { group: '', resource: 'events', namespace: 'default' } },
      { verb: 'create', resource: { group: 'events.k8s.io', resource: 'events', namespace: 'default' } },
    ],
    min: 'Request',
  },
];

function lintNoise(policy: AuditPolicy, out: LintIssue[]): void {
  for (const n of NOISE) {
    const rules = new Map<number, AuditLevel>();
    for (const req of n.reqs) {
      const d = levelFor(policy, withIdentity(n.id, req));
      if (d.ruleIndex !== undefined && levelAtLeast(d.level, n.min)) rules.set(d.ruleIndex, d.level);
    }
    for (const [rule, level] of rules)
      out.push({
        code: 'noise',
        severity: 'low',
        rule,
        subject: n.label,
        path: `rules[${rule}]`,
        message: `rule ${rule} logs ${n.label} at level ${level}: high-volume requests of system components fill the log and hide what matters; add a level ${n.min === 'Request' ? 'Metadata (or None)' : 'None'} rule for them before it`,
      });
  }
}

interface Critical extends Target {
  readonly verbs: readonly string[];
  /** Below this level the request is not logged usefully. */
  readonly min: AuditLevel;
  readonly why: string;
}

const CRITICAL: readonly Critical[] = [
  ...['exec', 'attach', 'portforward'].map((sub): Critical => ({ group: '', resource: 'pods', subresource: sub, namespaced: true, label: `pods/${sub}`, verbs: ['create', 'get'], min: 'Metadata', why: 'a shell in a container goes unseen' })),
  ...['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].map((resource): Critical => ({
    group: 'rbac.authorization.k8s.io',
    resource,
    namespaced: resource === 'roles' || resource === 'rolebindings',
    label: `changes to ${resource}`,
    verbs: ['create', 'update', 'patch', 'delete'],
    min: 'Request',
    why: 'what was granted, and to whom, is only in the request body',
  })),
  { group: '', resource: 'pods', namespaced: true, label: 'pod creation', verbs: ['create'], min: 'Request', why: 'privileged containers, host namespaces and mounts are only in the request body' },
];

function lintCritical(policy: AuditPolicy, out: LintIssue[]): void {
  for (const c of CRITICAL) {
    const none = new Map<string, string>();
    const thin = new Map<number, string>();
    for (const { id, req } of targetRequests(policy, c, c.verbs)) {
      const d = levelFor(policy, req);
      if (d.level === 'None') {
        const key = d.ruleIndex === undefined ? 'none' : String(d.ruleIndex);
        if (!none.has(key)) none.set(key, `${req.verb} by ${describeIdentity(id)}`);
      } else if (!levelAtLeast(d.level, c.min) && d.ruleIndex !== undefined && !thin.has(d.ruleIndex)) thin.set(d.ruleIndex, `${req.verb} by ${describeIdentity(id)}`);
    }
    for (const [key, example] of none) {
      const rule = key === 'none' ? undefined : Number(key);
      out.push({
        code: 'critical-unlogged',
        severity: 'medium',
        subject: c.label,
        ...(rule !== undefined ? { rule } : {}),
        path: rule !== undefined ? `rules[${rule}].level` : 'rules',
        message: `${c.label}: ${rule !== undefined ? `not logged (rule ${rule} gives level None)` : 'not logged (no rule matches)'}, e.g. ${example}: ${c.min === 'Metadata' ? c.why : 'the change leaves no trace'}; log it at least at ${c.min}`,
      });
    }
    if (c.min === 'Request')
      for (const [rule, example] of thin)
        out.push({
          code: 'critical-no-body',
          severity: 'low',
          rule,
          subject: c.label,
          path: `rules[${rule}].level`,
          message: `${c.label}: logged by rule ${rule} without the request body, e.g. ${example}: ${c.why}; log it at Request`,
        });
  }
}

/** Every lint issue of a loaded policy, sorted by rule then code. */
export function lintAuditPolicy(policy: AuditPolicy): LintIssue[] {
  const out: LintIssue[] = [];
  lintPatterns(policy, out);
  lintShadowed(policy, out);
  lintSensitive(policy, out);
  lintCatchAll(policy, out);
  lintRequestReceived(policy, out);
  lintNoise(policy, out);
  lintCritical(policy, out);
  return out.sort((a, b) => (a.rule ?? 1e9) - (b.rule ?? 1e9) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
