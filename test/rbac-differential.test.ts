/**
 * Differential test of kspect's RBAC engine against a real kube-apiserver (the testbed, v1.35.4, RBAC+Node).
 *
 * Each generated world — ClusterRoles (aggregated ones among them, nested, with stored rules, selectors with
 * matchLabels and every expression operator, some labelled into admin/edit/view), Roles, ClusterRoleBindings and
 * RoleBindings (to world roles, default roles and roles that do not exist; User, Group and ServiceAccount
 * subjects, service-account namespaces the API server does not validate) — is created through the API. The
 * upstream ClusterRole aggregation controller of the pinned Kubernetes module (test/testbed/cmd/rbac-aggregate;
 * the testbed has no controller-manager) then runs to a fixed point. kspect reads the same objects plus its
 * shipped default policy, and the two must agree on:
 *
 * - every SubjectAccessReview asked: resource requests with subresources, names ("" included), wildcards,
 *   non-resource URLs, users, groups, service-account users (valid and not), system:masters; a denial that
 *   the API server attributes to a missing role must be kspect's "unknown", naming the same roles;
 * - who-can (kspect's inverted index) for each of those requests, against the same answers;
 * - the rules of every aggregated ClusterRole, as stored by the controller, rule for rule in order;
 * - impersonation: the user and groups a SelfSubjectReview reports for Impersonate-User/Group headers;
 * - SelfSubjectRulesReview (`access`): the same rules per namespace, and the roles its evaluation error
 *   reports as not found exactly the missing roles kspect names;
 * - the rbac-secrets-read and rbac-pod-create dangers, per subject and scope, against SARs of their probes.
 *
 * Worlds with an aggregation cycle hold no stored rules in aggregated roles: with stored rules, what a cycle
 * keeps depends on the order the controller happens to take (kspect reports such cycles).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../src/model/object.js';
import { buildRbacIndex, findDangers, impersonatedUser, type RbacIndex, type Request, type UserInfo } from '../src/engines/rbac/index.js';
import { startTestbed, testbedUnavailable, type Testbed } from './testbed/testbed.js';

const skip = testbedUnavailable();
const WORLDS = Number(process.env.KSPECT_RBAC_DIFF_WORLDS ?? 14);
const QUESTIONS = Number(process.env.KSPECT_RBAC_DIFF_QUESTIONS ?? 420);
const SEED = Number(process.env.KSPECT_RBAC_DIFF_SEED ?? 20260601);
const RBAC = 'rbac.authorization.k8s.io';
const MARK = 'kspect-dt';
const NAMESPACES = ['dt-a', 'dt-b'];

// --- a seeded generator -------------------------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Raw = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

const USERS = [
  'alice',
  'bob',
  'carol',
  'system:anonymous',
  'system:serviceaccount:dt-a:app',
  'system:serviceaccount:dt-b:app',
  'system:serviceaccount:dt-a:builder',
  'system:serviceaccount:Bad_NS:app',
  'system:serviceaccount:dt-a:app:extra',
  'system:serviceaccount:dt-a',
  'system:serviceaccount:a:b:c',
  'system:kube-scheduler',
  'system:kube-proxy',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:serviceaccount:kube-system:namespace-controller',
];
const GROUPS = ['devs', 'ops', 'system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:dt-a', 'system:monitoring', 'system:masters'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'use', 'proxy'];
const API_GROUPS = ['', 'apps', 'batch', RBAC, 'example.com', 'certificates.k8s.io'];
const RESOURCES = ['pods', 'pods/log', 'pods/exec', 'pods/status', 'secrets', 'configmaps', 'deployments', 'deployments/scale', 'nodes', 'nodes/proxy', 'namespaces', 'serviceaccounts', 'serviceaccounts/token', 'users', 'groups', 'widgets', 'roles', 'clusterroles', 'rolebindings', 'signers'];
const RULE_RESOURCES = [...RESOURCES, '*', '*/scale', '*/status', '*/exec'];
const NAMES = ['web', 'db', ''];
const URLS = ['/healthz', '/healthz/*', '/api*', '/api/', '/metrics', '/logs/*', '/version', '*', 'healthz', '/x**'];
const PATHS = ['/healthz', '/healthz/etcd', '/api', '/api/', '/api/v1', '/apis', '/metrics', '/logs/app.log', '/logs', '/version', '/x', '/xyz', '/livez', '/readyz', '/.well-known/openid-configuration', 'healthz'];
const COLORS = ['red', 'blue', 'green'];
const SELECTED_COLORS = [...COLORS, 'purple'];
const DEFAULT_ROLES = ['view', 'edit', 'admin', 'cluster-admin', 'system:basic-user', 'system:discovery', 'system:node-proxier', 'system:auth-delegator'];

interface World {
  readonly objects: Raw[];
  readonly aggregated: string[];
  readonly cyclic: boolean;
}

function generateWorld(seed: number): World {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const some = <T>(xs: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(xs)))];
  const cyclic = seed % 4 === 3;
  const objects: Raw[] = [];
  const label = (extra: Record<string, string>): Record<string, string> => ({ [MARK]: 'world', ...extra });

  const rule = (namespaced: boolean): Record<string, unknown> => {
    if (!namespaced && r() < 0.15) return { nonResourceURLs: some(URLS, 2), verbs: some(['get', 'post', '*', 'put'], 2) };
    const out: Record<string, unknown> = { apiGroups: r() < 0.1 ? ['*'] : some(API_GROUPS, 2), resources: some(RULE_RESOURCES, 3), verbs: r() < 0.08 ? ['*'] : some(VERBS, 3) };
    const n = r();
    if (n < 0.12) out.resourceNames = [''];
    else if (n < 0.2) out.resourceNames = ['web'];
    else if (n < 0.26) out.resourceNames = ['web', ''];
    return out;
  };
  const rules = (namespaced: boolean, max: number): Record<string, unknown>[] => Array.from({ length: Math.floor(r() * (max + 1)) }, () => rule(namespaced));

  // ClusterRoles at levels 0..3: an aggregated role of level L selects only roles labelled deeper-than-L, which
  // only roles of a level above L carry, so (outside the cycle worlds) aggregation has no cycle.
  const names: string[] = [];
  const aggregated: string[] = [];
  const count = 8 + Math.floor(r() * 10);
  for (let i = 0; i < count; i++) {
    const name = `dt-cr-${i}`;
    names.push(name);
    const level = Math.floor(r() * 4);
    const labels: Record<string, string> = {};
    for (let l = 0; l < level; l++) labels[`dt/deeper-than-${l}`] = 'true';
    if (r() < 0.6) labels['dt/color'] = pick(COLORS);
    if (r() < 0.12) labels[`${RBAC}/aggregate-to-${pick(['view', 'edit', 'admin'])}`] = 'true';
    const isAgg = level < 3 && r() < 0.4;
    const obj: Raw = { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, labels: label(labels) } };
    if (isAgg) {
      aggregated.push(name);
      const selectors = Array.from({ length: 1 + Math.floor(r() * 2) }, () => {
        const sel: Record<string, unknown> = { matchLabels: { [`dt/deeper-than-${level}`]: 'true' } };
        const e = r();
        // purple: a colour no role has, so that some aggregated roles collect nothing and keep their stored rules.
        if (e < 0.2) sel.matchExpressions = [{ key: 'dt/color', operator: 'In', values: some(SELECTED_COLORS, 2) }];
        else if (e < 0.35) sel.matchExpressions = [{ key: 'dt/color', operator: 'NotIn', values: [pick(COLORS)] }];
        else if (e < 0.45) sel.matchExpressions = [{ key: 'dt/color', operator: 'Exists' }];
        else if (e < 0.55) sel.matchExpressions = [{ key: 'dt/color', operator: 'DoesNotExist' }];
        else if (e < 0.75) (sel.matchLabels as Record<string, string>)['dt/color'] = pick(SELECTED_COLORS);
        return sel;
      });
      obj.aggregationRule = { clusterRoleSelectors: selectors };
      // Stored rules: what an aggregated role keeps when its selectors collect nothing (none in cycle worlds).
      if (!cyclic && r() < 0.6) obj.rules = rules(false, 2);
    } else obj.rules = rules(false, 3);
    objects.push(obj);
  }
  if (!cyclic) {
    // Always once: an aggregated role whose selector collects nothing keeps its stored rules, and an aggregated role
    // above it (and view) collect them from it.
    aggregated.push('dt-chain-top', 'dt-chain-mid');
    names.push('dt-chain-top', 'dt-chain-mid');
    objects.push(
      { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'dt-chain-top', labels: label({}) }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'dt/chain': 'mid' } }] }, rules: rules(false, 1) },
      {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name: 'dt-chain-mid', labels: label({ 'dt/chain': 'mid', ...(r() < 0.5 ? { [`${RBAC}/aggregate-to-view`]: 'true' } : {}) }) },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'dt/chain': 'nothing' } }] },
        rules: [rule(false), rule(false)],
      },
    );
  }
  if (cyclic) {
    // A ring of aggregated roles without stored rules, each also collecting from some plain roles.
    const ring = 2 + Math.floor(r() * 2);
    for (let i = 0; i < ring; i++) {
      const name = `dt-ring-${i}`;
      aggregated.push(name);
      objects.push({
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels: label({ 'dt/ring': String(i), ...(r() < 0.5 ? { [`${RBAC}/aggregate-to-view`]: 'true' } : {}) }) },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'dt/ring': String((i + 1) % ring) } }, { matchLabels: { 'dt/color': pick(COLORS) } }] },
      });
      names.push(name);
    }
  }
  const roleNames: Record<string, string[]> = {};
  for (const ns of NAMESPACES) {
    roleNames[ns] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const name = `dt-role-${i}`;
      roleNames[ns].push(name);
      objects.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace: ns, labels: label({}) }, rules: rules(true, 3) });
    }
  }

  const subject = (inRoleBinding: boolean): Record<string, unknown> => {
    const k = r();
    if (k < 0.35) {
      const out: Record<string, unknown> = { kind: 'User', name: pick(USERS) };
      if (r() < 0.8) out.apiGroup = r() < 0.1 ? '' : RBAC;
      return out;
    }
    if (k < 0.65) return { kind: 'Group', name: pick(GROUPS.filter((g) => g !== 'system:masters')), apiGroup: RBAC };
    const name = pick(['app', 'builder', 'default']);
    // A RoleBinding's service account may omit its namespace; the API server validates no namespace here.
    if (inRoleBinding && r() < 0.3) return { kind: 'ServiceAccount', name };
    return { kind: 'ServiceAccount', name, namespace: pick([...NAMESPACES, 'kube-system', 'a:b', 'Bad_NS']) };
  };
  const roleRef = (kind: 'Role' | 'ClusterRole', ns?: string): Record<string, unknown> => {
    const m = r();
    const name = m < 0.1 ? `dt-missing-${Math.floor(r() * 3)}` : kind === 'Role' ? pick(roleNames[ns ?? ''] ?? ['x']) : m < 0.3 ? pick(DEFAULT_ROLES) : pick(names);
    return r() < 0.1 ? { kind, name } : { apiGroup: RBAC, kind, name };
  };
  const crbs = 3 + Math.floor(r() * 5);
  for (let i = 0; i < crbs; i++) objects.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `dt-crb-${i}`, labels: label({}) }, roleRef: roleRef('ClusterRole'), subjects: Array.from({ length: 1 + Math.floor(r() * 3) }, () => subject(false)) });
  for (const ns of NAMESPACES) {
    const n = 2 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++)
      objects.push({
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: `dt-rb-${i}`, namespace: ns, labels: label({}) },
        roleRef: roleRef(r() < 0.5 ? 'Role' : 'ClusterRole', ns),
        subjects: Array.from({ length: 1 + Math.floor(r() * 3) }, () => subject(true)),
      });
  }
  return { objects, aggregated, cyclic };
}

interface Question {
  readonly user: UserInfo;
  readonly req: Request;
}

/**
 * Questions: a third at random, two thirds aimed at the world — for a subject of a binding, a request built from a
 * rule of the role it binds (a verb, group, resource or subresource, name and URL of the rule, wildcards filled in),
 * in the binding's scope, often with one attribute changed — so the answers sit on the edges of the rules.
 */
function generateQuestions(seed: number, world: World, n: number): Question[] {
  const r = rng(seed ^ 0x5bd1e995);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const randomGroups = (): string[] => [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(GROUPS)))].filter((g) => g !== 'system:masters' || r() < 0.3);
  const randomResource = (): { resource: string; subresource?: string } => {
    const full = pick(RESOURCES);
    const slash = full.indexOf('/');
    return slash < 0 ? { resource: full } : { resource: full.slice(0, slash), subresource: full.slice(slash + 1) };
  };
  const randomQuestion = (): Question => {
    const user: UserInfo = { name: pick(USERS), groups: randomGroups() };
    if (r() < 0.15) return { user, req: { kind: 'nonResource', verb: pick(['get', 'post', 'put', 'GET']), path: pick(PATHS) } };
    const name = r() < 0.5 ? '' : pick(NAMES);
    return {
      user,
      req: {
        kind: 'resource',
        verb: r() < 0.03 ? 'GET' : pick(VERBS),
        apiGroup: pick(API_GROUPS),
        ...randomResource(),
        ...(r() < 0.7 ? { namespace: pick([...NAMESPACES, 'kube-system', 'elsewhere']) } : {}),
        ...(name !== '' ? { name } : {}),
      },
    };
  };

  // Rules by role, as written (aggregated roles: their stored rules, a fair guess at what they hold).
  type RawRule = { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
  const rulesOf = new Map<string, RawRule[]>();
  for (const o of world.objects) if (o.kind === 'ClusterRole' || o.kind === 'Role') rulesOf.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, (o.rules as RawRule[] | undefined) ?? []);
  const targets: { user: UserInfo; namespace: string | undefined; rule: RawRule }[] = [];
  for (const o of world.objects) {
    if (o.kind !== 'ClusterRoleBinding' && o.kind !== 'RoleBinding') continue;
    const ref = o.roleRef as { kind: string; name: string };
    const rules = rulesOf.get(`${ref.kind}/${ref.kind === 'Role' ? (o.metadata.namespace ?? '') : ''}/${ref.name}`) ?? [{ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'secrets'] }];
    for (const s of (o.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? []) {
      const user: UserInfo =
        s.kind === 'User'
          ? { name: s.name, groups: randomGroups() }
          : s.kind === 'Group'
            ? { name: pick(USERS), groups: [s.name, ...randomGroups()] }
            : { name: `system:serviceaccount:${s.namespace ?? o.metadata.namespace ?? ''}:${s.name}`, groups: r() < 0.5 ? [] : ['system:serviceaccounts', `system:serviceaccounts:${s.namespace ?? o.metadata.namespace ?? ''}`] };
      for (const rule of rules) targets.push({ user, namespace: o.metadata.namespace, rule });
    }
  }

  const aimed = (): Question => {
    const t = pick(targets);
    const rule = t.rule;
    const fill = (xs: string[] | undefined, all: readonly string[]): string => {
      const x = pick(xs && xs.length > 0 ? xs : ['*']);
      return x === '*' ? pick(all) : x;
    };
    const verb = fill(rule.verbs, VERBS);
    if ((rule.nonResourceURLs ?? []).length > 0) {
      const url = pick(rule.nonResourceURLs ?? []);
      const path = url === '*' ? pick(PATHS) : url.endsWith('*') ? `${url.replace(/\*+$/, '')}${pick(['', 'x', '/sub', 'z/y'])}` : url;
      return { user: t.user, req: { kind: 'nonResource', verb: r() < 0.2 ? pick(['get', 'post']) : verb, path: r() < 0.15 ? pick(PATHS) : path } };
    }
    let apiGroup = fill(rule.apiGroups, API_GROUPS);
    const res = pick(rule.resources && rule.resources.length > 0 ? rule.resources : ['*']);
    let target: { resource: string; subresource?: string } =
      res === '*' ? randomResource() : res.startsWith('*/') ? { resource: pick(['pods', 'deployments', 'widgets']), subresource: res.slice(2) } : res.includes('/') ? { resource: res.slice(0, res.indexOf('/')), subresource: res.slice(res.indexOf('/') + 1) } : { resource: res };
    const names = rule.resourceNames ?? [];
    let name = names.length > 0 && r() < 0.8 ? pick(names) : pick(['', 'web', 'other']);
    let namespace = t.namespace ?? (r() < 0.6 ? pick([...NAMESPACES, 'elsewhere']) : undefined);
    let v = verb;
    // Change one thing now and then: the answer should flip exactly when the rule stops matching.
    const m = r();
    if (m < 0.08) v = pick(VERBS);
    else if (m < 0.14) apiGroup = pick(API_GROUPS);
    else if (m < 0.2) target = randomResource();
    else if (m < 0.26) target = { resource: target.resource };
    else if (m < 0.34) name = pick(['', 'web', 'db', 'other']);
    else if (m < 0.4) namespace = r() < 0.5 ? undefined : pick([...NAMESPACES, 'kube-system']);
    return { user: t.user, req: { kind: 'resource', verb: v, apiGroup, ...target, ...(namespace !== undefined ? { namespace } : {}), ...(name !== '' ? { name } : {}) } };
  };

  return Array.from({ length: n }, () => (targets.length > 0 && r() < 0.67 ? aimed() : randomQuestion()));
}

// --- talking to the testbed ---------------------------------------------------------------------------------------

interface Api {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string | string[]>): Promise<{ status: number; body: unknown }>;
}

function apiOf(tb: Testbed): Api {
  const ca = readFileSync(tb.ca);
  const cert = readFileSync(join(tb.dir, 'user-testbed-admin.crt'));
  const key = readFileSync(join(tb.dir, 'user-testbed-admin.key'));
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca, cert, key });
  return {
    call: (method, path, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(`${tb.url}${path}`, { method, agent, headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('error', reject);
        req.end(data);
      }),
  };
}

async function pool<T, R>(items: readonly T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: width }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await f(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

function pathOf(o: Raw): string {
  const plural = { ClusterRole: 'clusterroles', Role: 'roles', ClusterRoleBinding: 'clusterrolebindings', RoleBinding: 'rolebindings' }[o.kind] ?? '';
  return o.metadata.namespace !== undefined ? `/apis/${RBAC}/v1/namespaces/${o.metadata.namespace}/${plural}` : `/apis/${RBAC}/v1/${plural}`;
}

interface Sar {
  readonly allowed: boolean;
  readonly reason: string;
}

async function sar(api: Api, q: Question): Promise<Sar> {
  const spec: Record<string, unknown> = { user: q.user.name, groups: q.user.groups };
  if (q.req.kind === 'nonResource') spec.nonResourceAttributes = { verb: q.req.verb, path: q.req.path };
  else spec.resourceAttributes = { verb: q.req.verb, group: q.req.apiGroup, resource: q.req.resource, subresource: q.req.subresource ?? '', namespace: q.req.namespace ?? '', name: q.req.name ?? '' };
  const res = await api.call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
  if (res.status !== 201) throw new Error(`SubjectAccessReview: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  const status = (res.body as { status?: { allowed?: boolean; reason?: string; evaluationError?: string } }).status ?? {};
  return { allowed: status.allowed === true, reason: `${status.reason ?? ''} ${status.evaluationError ?? ''}` };
}

/** Roles the RBAC authorizer could not find, from a SubjectAccessReview's reason. */
function missingRolesIn(reason: string): string[] {
  const out = new Set<string>();
  for (const m of reason.matchAll(/(clusterrole|role)\.rbac\.authorization\.k8s\.io "([^"]*)" not found/g)) out.add(`${m[1] === 'role' ? 'Role' : 'ClusterRole'} ${m[2] ?? ''}`);
  return [...out].sort();
}

function describeQ(q: Question): string {
  const r = q.req;
  const what = r.kind === 'nonResource' ? `${r.verb} ${r.path}` : `${r.verb} ${r.apiGroup === '' ? '' : `${r.apiGroup}/`}${r.resource}${r.subresource !== undefined ? `/${r.subresource}` : ''}${r.name !== undefined ? ` name=${JSON.stringify(r.name)}` : ''}${r.namespace !== undefined ? ` ns=${r.namespace}` : ' cluster'}`;
  return `${q.user.name} [${q.user.groups.join(',')}] ${what}`;
}

/** Does a who-can entry's subject stand for this user? */
function whoCanSays(index: RbacIndex, q: Question): boolean {
  if (q.user.groups.includes('system:masters')) return true;
  // A request without a namespace is answered by ClusterRoleBindings alone, as who-can without "any namespace".
  for (const e of index.whoCan(q.req)) {
    const s = e.subject;
    if (s.kind === 'User' && s.name === q.user.name) return true;
    if (s.kind === 'Group' && q.user.groups.includes(s.name)) return true;
    if (s.kind === 'ServiceAccount' && `system:serviceaccount:${s.namespace ?? ''}:${s.name}` === q.user.name) return true;
  }
  return false;
}

function ruleKey(r: { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }): string {
  return JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
}

// --- the test -----------------------------------------------------------------------------------------------------

describe.skipIf(skip !== undefined)('RBAC: kspect against kube-apiserver and the aggregation controller', () => {
  let tb: Testbed | undefined;
  let api: Api;
  let aggregator = '';
  const totals = { worlds: 0, sars: 0, whoCan: 0, aggregatedRoles: 0, impersonations: 0, rulesReviews: 0, dangers: 0, unknown: 0, allowed: 0 };

  beforeAll(async () => {
    // Prints "testbed: building rbac-aggregate …" on stderr the first time on a machine.
    aggregator = execFileSync('bash', [join(import.meta.dirname, 'testbed', 'build.sh'), 'rbac-aggregate'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    if (aggregator === '') throw new Error('test/testbed/build.sh rbac-aggregate built nothing (is Go installed?)');
    tb = await startTestbed();
    api = apiOf(tb);
    for (const ns of NAMESPACES) {
      const r = await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      if (r.status !== 201) throw new Error(`namespace ${ns}: HTTP ${r.status}`);
    }
  }, 300_000);

  afterAll(async () => {
    process.stderr.write(`rbac differential: ${JSON.stringify(totals)}\n`);
    await tb?.stop();
  });

  const aggregate = (): { rounds: number; writes: number } => {
    if (!tb) throw new Error('no testbed');
    const out = execFileSync(aggregator, ['--kubeconfig', tb.kubeconfig], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    return JSON.parse(out) as { rounds: number; writes: number };
  };

  it.each(Array.from({ length: WORLDS }, (_, i) => SEED + i))(
    'world %i: every answer agrees',
    async (seed) => {
      const world = generateWorld(seed);
      try {
        await checkWorld(seed, world);
      } finally {
        // Clean up for the next world (admin/edit/view are re-aggregated by the next run of the controller).
        await api.call('DELETE', `/apis/${RBAC}/v1/clusterroles?labelSelector=${MARK}`);
        await api.call('DELETE', `/apis/${RBAC}/v1/clusterrolebindings?labelSelector=${MARK}`);
        for (const ns of NAMESPACES) {
          await api.call('DELETE', `/apis/${RBAC}/v1/namespaces/${ns}/roles?labelSelector=${MARK}`);
          await api.call('DELETE', `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings?labelSelector=${MARK}`);
        }
      }
    },
    600_000,
  );

  async function checkWorld(seed: number, world: World): Promise<void> {
    // Create: roles before bindings (the API server does not care, but a reader might).
    for (const o of world.objects) {
      const r = await api.call('POST', pathOf(o), o);
      expect(r.status, `create ${o.kind} ${o.metadata.name}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(201);
    }
    aggregate();

    const objects: K8sObject[] = world.objects.map((o) => toK8sObject(structuredClone(o), undefined)).filter((o): o is K8sObject => o !== undefined);
    const index = buildRbacIndex(objects, { defaults: 'all' });
    // The API server accepted every object: kspect must not call any of them invalid.
    expect(index.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const mismatches: string[] = [];

    // 1. Aggregated ClusterRoles: the rules the controller stored, in order.
    const live = (await api.call('GET', `/apis/${RBAC}/v1/clusterroles`)).body as { items: { metadata: { name: string }; aggregationRule?: unknown; rules?: Record<string, string[]>[] | null }[] };
    for (const cr of live.items) {
      if (cr.aggregationRule === undefined || cr.aggregationRule === null) continue;
      const ours = index.clusterRole(cr.metadata.name);
      // With a cycle the controller only settles the sets of rules (their order keeps moving): compare sets then.
      const order = (keys: string[]): string[] => (world.cyclic ? [...keys].sort() : keys);
      const theirs = order((cr.rules ?? []).map(ruleKey));
      const mine = order((ours?.rules ?? []).map((r) => ruleKey(r.rule as unknown as Record<string, string[]>)));
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) mismatches.push(`aggregated ClusterRole ${cr.metadata.name}: controller ${JSON.stringify(theirs)} kspect ${JSON.stringify(mine)}`);
      totals.aggregatedRoles++;
    }

    // 2. SubjectAccessReviews, and who-can for the same requests.
    const questions = generateQuestions(seed, world, QUESTIONS);
    const answers = await pool(questions, 8, (q) => sar(api, q));
    questions.forEach((q, i) => {
      const a = answers[i] as Sar;
      const d = index.authorize(q.user, q.req);
      const theirMissing = missingRolesIn(a.reason);
      const ourMissing = [...new Set(d.unknown.map(([b]) => `${b.record.roleRef.kind} ${b.record.roleRef.name}`))].sort();
      if (a.allowed !== d.allowed) mismatches.push(`${describeQ(q)}: kube-apiserver ${a.allowed ? 'allows' : 'denies'} (${a.reason.trim()}), kspect ${d.reason}`);
      else if (!a.allowed && JSON.stringify(theirMissing) !== JSON.stringify(ourMissing)) mismatches.push(`${describeQ(q)}: missing roles kube-apiserver ${JSON.stringify(theirMissing)} kspect ${JSON.stringify(ourMissing)}`);
      if (whoCanSays(index, q) !== a.allowed) mismatches.push(`${describeQ(q)}: who-can says ${!a.allowed}, kube-apiserver ${a.allowed}`);
      if (d.reason === 'unknown') totals.unknown++;
      if (a.allowed) totals.allowed++;
    });
    totals.sars += questions.length;
    totals.whoCan += questions.length;

    // 3. Impersonation: who the API server says an impersonated user is.
    const r = rng(seed ^ 0x1234567);
    for (const name of USERS) {
      const groups = r() < 0.5 ? [] : [GROUPS[Math.floor(r() * (GROUPS.length - 1))] as string];
      const headers: Record<string, string | string[]> = { 'Impersonate-User': name, ...(groups.length > 0 ? { 'Impersonate-Group': groups } : {}) };
      const res = await api.call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, headers);
      const expected = impersonatedUser(name, groups);
      const canReview = index.can(expected, { kind: 'resource', verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews' });
      if (res.status === 403) {
        if (canReview) mismatches.push(`impersonating ${name} [${groups.join(',')}]: SelfSubjectReview forbidden, kspect says ${JSON.stringify(expected)} may create it`);
        continue;
      }
      const info = (res.body as { status?: { userInfo?: { username?: string; groups?: string[] } } }).status?.userInfo;
      const got = { name: info?.username ?? '', groups: [...new Set(info?.groups ?? [])].sort() };
      if (res.status !== 201 || got.name !== expected.name || JSON.stringify(got.groups) !== JSON.stringify([...expected.groups].sort()) || !canReview) mismatches.push(`impersonating ${name} [${groups.join(',')}]: HTTP ${res.status} ${JSON.stringify(got)}, kspect ${JSON.stringify(expected)} (may create: ${canReview})`);
      totals.impersonations++;
    }

    // 4. SelfSubjectRulesReview (what `rbac access` shows): the same rules, incomplete iff a role is missing.
    for (const name of ['alice', 'bob', 'system:serviceaccount:dt-a:app', 'system:serviceaccount:dt-b:app', 'system:serviceaccount:Bad_NS:app']) {
      const user = impersonatedUser(name);
      for (const ns of [...NAMESPACES, 'elsewhere']) {
        const res = await api.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: ns } }, { 'Impersonate-User': name });
        if (res.status !== 201) {
          mismatches.push(`rules review ${name} in ${ns}: HTTP ${res.status}`);
          continue;
        }
        const st = (res.body as { status: { resourceRules?: Record<string, string[]>[]; nonResourceRules?: Record<string, string[]>[]; evaluationError?: string } }).status;
        const theirs = [...(st.resourceRules ?? []), ...(st.nonResourceRules ?? [])].map(ruleKey).sort();
        const grants = index.rulesFor(user, ns);
        const mine = grants.flatMap(({ rule: { rule } }) => {
          const out: string[] = [];
          if (rule.resources.length > 0) out.push(ruleKey({ verbs: [...rule.verbs], apiGroups: [...rule.apiGroups], resources: [...rule.resources], resourceNames: [...rule.resourceNames] }));
          if (rule.nonResourceURLs.length > 0) out.push(ruleKey({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs] }));
          return out;
        });
        mine.sort();
        const ourMissing = [...new Set(index.unknownBindingsFor(user, ns).map(([b]) => `${b.record.roleRef.kind} ${b.record.roleRef.name}`))].sort();
        const theirMissing = missingRolesIn(st.evaluationError ?? '');
        if (JSON.stringify(theirs) !== JSON.stringify(mine)) mismatches.push(`rules review ${name} in ${ns}: kube-apiserver ${theirs.length} rules, kspect ${mine.length}: ${JSON.stringify(theirs.filter((x) => !mine.includes(x)))} vs ${JSON.stringify(mine.filter((x) => !theirs.includes(x)))}`);
        if (JSON.stringify(theirMissing) !== JSON.stringify(ourMissing)) mismatches.push(`rules review ${name} in ${ns}: missing roles kube-apiserver ${JSON.stringify(theirMissing)}, kspect ${JSON.stringify(ourMissing)}`);
        totals.rulesReviews++;
      }
    }

    // 5. Dangers: rbac-secrets-read and rbac-pod-create hold for a subject in a scope exactly when one of
    //    their requests is allowed (read: list, watch, or get of any Secret; create: any pod-making kind).
    const hits = findDangers(index);
    const PROBES: Record<string, Request[]> = {
      'rbac-secrets-read': [
        { kind: 'resource', verb: 'list', apiGroup: '', resource: 'secrets' },
        { kind: 'resource', verb: 'watch', apiGroup: '', resource: 'secrets' },
        { kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets', name: 'kspect-any-secret' },
      ],
      'rbac-pod-create': [
        ['', 'pods'],
        ['', 'replicationcontrollers'],
        ['apps', 'deployments'],
        ['apps', 'daemonsets'],
        ['apps', 'statefulsets'],
        ['apps', 'replicasets'],
        ['batch', 'jobs'],
        ['batch', 'cronjobs'],
      ].map(([apiGroup, resource]): Request => ({ kind: 'resource', verb: 'create', apiGroup: apiGroup ?? '', resource: resource ?? '' })),
    };
    const subjects = new Map<string, UserInfo>();
    for (const b of index.bindings)
      for (const s of b.record.subjects) {
        if (b.record.isDefault) continue;
        const user = s.kind === 'Group' ? { name: 'kspect-member', groups: [s.name] } : { name: s.kind === 'User' ? s.name : `system:serviceaccount:${s.namespace ?? ''}:${s.name}`, groups: [] };
        subjects.set(JSON.stringify(user), user);
      }
    const probeQs: { danger: string; user: UserInfo; scope: string; q: Question[] }[] = [];
    for (const user of subjects.values())
      for (const danger of Object.keys(PROBES))
        for (const scope of ['cluster', ...NAMESPACES]) probeQs.push({ danger, user, scope, q: (PROBES[danger] ?? []).map((req) => ({ user, req: scope === 'cluster' ? req : { ...req, namespace: scope } as Request })) });
    const flat = probeQs.flatMap((p) => p.q);
    const flatAnswers = await pool(flat, 8, (q) => sar(api, q));
    let k = 0;
    for (const p of probeQs) {
      const theirs = flatAnswers.slice(k, k + p.q.length).some((a) => a.allowed);
      k += p.q.length;
      const mine = hits.some((h) => {
        if (h.danger.id !== p.danger && h.danger.id !== 'rbac-cluster-admin-binding') return false;
        if (h.scope !== 'cluster' && h.scope !== p.scope) return false;
        // A binding to the user itself, or to a group it is in (scopes: cluster-wide grants hold in every namespace;
        // asking "cluster" means across all namespaces, which only ClusterRoleBindings answer).
        if (p.scope === 'cluster' && h.scope !== 'cluster') return false;
        return h.subjects.some((s) => (s.kind === 'Group' ? p.user.groups.includes(s.name) : s.kind === 'User' ? s.name === p.user.name : `system:serviceaccount:${s.namespace ?? ''}:${s.name}` === p.user.name));
      });
      // Default bindings also grant (e.g. system:masters); those subjects are not asked about, see the loop above.
      if (theirs !== mine) mismatches.push(`${p.danger} for ${p.user.name} [${p.user.groups.join(',')}] in ${p.scope}: kube-apiserver ${theirs}, kspect ${mine}`);
      totals.dangers++;
    }

    totals.worlds++;
    const dump = process.env.KSPECT_RBAC_DIFF_DUMP;
    if (dump !== undefined && mismatches.length > 0) writeFileSync(join(dump, `world-${seed}.json`), JSON.stringify({ seed, mismatches, objects: world.objects }, null, 1));
    expect(mismatches.slice(0, 40)).toEqual([]);
  }
});
