/**
 * Which Falco k8s_audit detections an audit policy makes impossible. For each rule: the requests it can fire on
 * (found by evaluating its condition in three-valued logic over classes of requests — verb, resource, subresource,
 * stage — with everything else unknown), and for each of those, what the policy records (level, omitted stages) for
 * every class of user. A rule that reads request bodies (ka.req.*, jevt.value[/requestObject...]) needs level Request,
 * one that reads responses RequestResponse; an omitted stage (ResponseStarted for exec/attach) means no event at all.
 * Where the policy records less, the condition is evaluated again with the bodies absent: if it can no longer be true,
 * the rule is blind there; otherwise it fires without seeing what it was written to check.
 */
import { levelAtLeast } from '../audit-policy/lint.js';
import { levelFor } from '../audit-policy/policy.js';
import { identities, mentioned, OTHER_API_GROUP, OTHER_NAME, OTHER_NAMESPACE, OTHER_PATH, OTHER_RESOURCE, OTHER_SUBRESOURCE, RESOURCE_VERBS, withIdentity, type Identity } from '../audit-policy/probe.js';
import { BUILTIN_RESOURCES } from '../audit-policy/resources.js';
import { isLongRunning } from '../audit-policy/simulate.js';
import type { AuditLevel, AuditPolicy, AuditRequest, AuditStage } from '../audit-policy/types.js';
import type { JsonObject } from '../../model/object.js';
import { compileLeaf, type CompiledRule } from './compile.js';
import type { FalcoEvent } from './fields.js';
import type { Expr } from './parser.js';

/** What a field needs the policy to record. */
export function levelNeededBy(field: string, arg?: string): AuditLevel {
  if (field.startsWith('ka.req.')) return 'Request';
  if (field.startsWith('ka.resp.') || field === 'ka.target.pod.name') return 'RequestResponse';
  if ((field === 'jevt.value' || field === 'json.value') && arg !== undefined) {
    const a = arg.replace(/^\//, '');
    if (a.startsWith('requestObject')) return 'Request';
    if (a.startsWith('responseObject')) return 'RequestResponse';
  }
  return 'Metadata';
}

/** Fields whose value a request class determines (the rest are unknown, or absent bodies). */
const KNOWN = new Set(['ka.verb', 'ka.target.resource', 'ka.target.subresource', 'ka.stage', 'jevt.rawtime', 'json.rawtime', 'ka.auditid']);
const KNOWN_POINTERS = new Set(['/stage', 'stage', '/verb', 'verb', '/objectRef/resource', 'objectRef/resource', '/objectRef/subresource', 'objectRef/subresource']);

type K3 = 0 | 1 | 2; // false, true, unknown
const F: K3 = 0;
const T: K3 = 1;
const U: K3 = 2;

interface LeafInfo {
  readonly eval: (ev: FalcoEvent) => boolean;
  /** 'known': decided by the class; 'body': reads a body the policy may not record; 'unknown': anything else. */
  readonly kind: 'known' | 'body' | 'unknown';
  /** Reads the user name (known when the class's user is one the policy or the rule names). */
  readonly readsUser: boolean;
  /** Compares the user name only for equality (so "a user nobody names" decides it too). */
  readonly userEquality: boolean;
  readonly needs: AuditLevel;
}

function operandFields(e: Expr): { name: string; arg?: string }[] {
  if (e.t !== 'unary' && e.t !== 'binary') return [];
  const out: { name: string; arg?: string }[] = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    const n = o as { t?: string; name?: string; arg?: string; args?: unknown[] };
    if (n.t === 'field' && n.name !== undefined) out.push({ name: n.name, ...(n.arg !== undefined ? { arg: n.arg } : {}) });
    if (n.t === 'transformer') for (const a of n.args ?? []) walk(a);
  };
  walk(e.left);
  if (e.t === 'binary') walk(e.right);
  return out;
}

const leafCache = new WeakMap<Expr, LeafInfo>();

function leafInfo(e: Expr): LeafInfo {
  const cached = leafCache.get(e);
  if (cached) return cached;
  const fields = operandFields(e);
  let kind: LeafInfo['kind'] = 'known';
  let needs: AuditLevel = 'Metadata';
  let readsUser = false;
  for (const f of fields) {
    if (f.name === 'ka.user.name') {
      readsUser = true;
      continue;
    }
    const need = levelNeededBy(f.name, f.arg);
    if (levelAtLeast(need, 'Request')) {
      kind = 'body';
      if (levelAtLeast(need, needs)) needs = need;
      continue;
    }
    const known = KNOWN.has(f.name) || ((f.name === 'jevt.value' || f.name === 'json.value') && f.arg !== undefined && KNOWN_POINTERS.has(f.arg));
    if (!known && kind === 'known') kind = 'unknown';
  }
  const userEquality = e.t === 'binary' && ['=', '==', '!=', 'in', 'intersects'].includes(e.op);
  const info: LeafInfo = { eval: compileLeaf(e), kind, readsUser, userEquality, needs };
  leafCache.set(e, info);
  return info;
}

/** Kleene evaluation: known leaves are computed on the class's event, body leaves are unknown or absent. */
/** How much the class knows of the user: exactly (a named user, or none), "someone nobody names", or nothing. */
type UserMode = 'exact' | 'other' | 'unknown';

function k3(e: Expr, ev: FalcoEvent, bodies: 'unknown' | 'absent', user: UserMode = 'unknown'): K3 {
  switch (e.t) {
    case 'and': {
      let r: K3 = T;
      for (const c of e.children) {
        const v = k3(c, ev, bodies, user);
        if (v === F) return F;
        if (v === U) r = U;
      }
      return r;
    }
    case 'or': {
      let r: K3 = F;
      for (const c of e.children) {
        const v = k3(c, ev, bodies, user);
        if (v === T) return T;
        if (v === U) r = U;
      }
      return r;
    }
    case 'not': {
      const v = k3(e.child, ev, bodies, user);
      return v === U ? U : v === T ? F : T;
    }
    case 'macro':
      return k3(e.child, ev, bodies, user);
    case 'id':
      return U;
    default: {
      const l = leafInfo(e);
      if (l.kind === 'unknown') return U;
      if (l.readsUser && (user === 'unknown' || (user === 'other' && !l.userEquality))) return U;
      if (l.kind === 'body') return bodies === 'unknown' ? U : l.eval(ev) ? T : F;
      return l.eval(ev) ? T : F;
    }
  }
}

function maxNeed(e: Expr): AuditLevel {
  let need: AuditLevel = 'Metadata';
  const walk = (x: Expr): void => {
    if (x.t === 'and' || x.t === 'or') x.children.forEach(walk);
    else if (x.t === 'not' || x.t === 'macro') walk(x.child);
    else if (x.t !== 'id') {
      const l = leafInfo(x);
      if (levelAtLeast(l.needs, need)) need = l.needs;
    }
  };
  walk(e);
  return need;
}

interface RequestClass {
  readonly verb: string;
  readonly resource?: { readonly group: string; readonly resource: string; readonly subresource?: string };
  readonly stage: AuditStage;
  readonly describe: string;
}

/** The synthetic event of a class: only what the class determines (plus an auditID and a time). */
function classEvent(c: RequestClass, id?: Identity): FalcoEvent {
  const obj: Record<string, unknown> = { kind: 'Event', auditID: 'kspect-coverage', stage: c.stage, verb: c.verb, stageTimestamp: '2000-01-01T00:00:00Z' };
  if (id?.user !== undefined) obj.user = { username: id.user, groups: id.groups };
  if (c.resource) obj.objectRef = { resource: c.resource.resource, ...(c.resource.subresource !== undefined ? { subresource: c.resource.subresource } : {}), ...(c.resource.group !== '' ? { apiGroup: c.resource.group } : {}) };
  else obj.requestURI = OTHER_PATH;
  return { obj: obj as JsonObject, rawtime: '946684800000000000' };
}

/** Values a rule's condition compares a field with (any polarity): the resources and subresources worth probing. */
function comparedValues(e: Expr, field: string, out: Set<string>): void {
  if (e.t === 'and' || e.t === 'or') e.children.forEach((c) => { comparedValues(c, field, out); });
  else if (e.t === 'not' || e.t === 'macro') comparedValues(e.child, field, out);
  else if (e.t === 'binary' && e.left.t === 'field' && e.left.name === field) {
    if (e.right.t === 'list') e.right.values.forEach((v) => out.add(v));
    else if (e.right.t === 'value') out.add(e.right.value);
  }
}

const GROUPS_OF = new Map<string, string[]>();
for (const [g, rs] of Object.entries(BUILTIN_RESOURCES))
  for (const r of rs) {
    const base = r.split('/')[0] ?? r;
    const list = GROUPS_OF.get(base) ?? [];
    if (!list.includes(g)) list.push(g);
    GROUPS_OF.set(base, list);
  }

export type CoverageStatus = 'covered' | 'partial' | 'blind' | 'degraded' | 'never-fires';

export interface CoverageGap {
  readonly request: string;
  readonly stage: AuditStage;
  readonly who: string;
  readonly effect: 'no-event' | 'blind' | 'degraded';
  readonly level: AuditLevel;
  readonly needs: AuditLevel;
  /** The policy rule that decides (undefined: no rule matches). */
  readonly policyRule?: number;
  readonly reason: string;
}

export interface RuleCoverage {
  readonly rule: string;
  readonly priority: string;
  readonly status: CoverageStatus;
  /** Classes of requests the rule can fire on. */
  readonly classes: number;
  readonly needs: AuditLevel;
  readonly gaps: readonly CoverageGap[];
  readonly summary: string;
}

function describeIdentity(id: Identity): string {
  if (id.user === undefined) return 'unauthenticated requests';
  if (id.groups.length > 0) return id.groups[0]?.startsWith('kspect:') ? 'other users' : `group ${id.groups.join(',')}`;
  return id.user.startsWith('kspect:') ? 'other users' : `user ${id.user}`;
}

/** The coverage of each enabled k8s_audit rule under the policy. */
export function auditCoverage(policy: AuditPolicy, rules: readonly CompiledRule[]): RuleCoverage[] {
  const m = mentioned(policy.rules);
  const out: RuleCoverage[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    // Users the policy or the rule names are evaluated as themselves; anyone else stays unknown to the rule.
    const ruleUsers = new Set<string>();
    comparedValues(rule.ast, 'ka.user.name', ruleUsers);
    const named = new Set([...m.users, ...ruleUsers]);
    const ids: Identity[] = [...identities(m), ...[...ruleUsers].filter((u) => !m.users.includes(u)).map((u) => ({ user: u, groups: u === 'system:anonymous' ? ['system:unauthenticated'] : [] }))];
    const resources = new Set<string>([...m.resources, OTHER_RESOURCE]);
    const subs = new Set<string>([...m.subresources]);
    const verbs = new Set<string>([...RESOURCE_VERBS]);
    comparedValues(rule.ast, 'ka.target.resource', resources);
    comparedValues(rule.ast, 'ka.target.subresource', subs);
    comparedValues(rule.ast, 'ka.verb', verbs);
    const classes: RequestClass[] = [];
    for (const verb of verbs)
      for (const resource of resources)
        for (const group of GROUPS_OF.get(resource) ?? [OTHER_API_GROUP]) {
          // Built-in resources: their real subresources only; others: any subresource a rule or the policy names.
          const served = BUILTIN_RESOURCES[group];
          const realSubs = served ? served.filter((r) => r.startsWith(`${resource}/`)).map((r) => r.slice(resource.length + 1)) : [...subs, OTHER_SUBRESOURCE];
          for (const sub of [undefined, ...realSubs]) {
            const req: AuditRequest = { verb, resource: { group, resource, ...(sub !== undefined ? { subresource: sub } : {}), namespace: OTHER_NAMESPACE, name: OTHER_NAME } };
            const stages: AuditStage[] = ['RequestReceived', 'ResponseComplete', ...(isLongRunning(req) ? (['ResponseStarted'] as const) : [])];
            const label = `${verb} ${resource === OTHER_RESOURCE ? '<any resource>' : resource}${sub !== undefined ? `/${sub === OTHER_SUBRESOURCE ? '<any>' : sub}` : ''}`;
            for (const stage of stages) classes.push({ verb, resource: { group, resource, ...(sub !== undefined ? { subresource: sub } : {}) }, stage, describe: label });
          }
        }
    for (const verb of ['get', 'post']) for (const stage of ['RequestReceived', 'ResponseComplete'] as const) classes.push({ verb, stage, describe: `${verb} <non-resource URL>` });

    const needs = maxNeed(rule.ast);
    // Per request and identity: covered if one of the stages the rule can fire on yields an event with what it reads.
    const outcome = new Map<string, { ok: boolean; gaps: CoverageGap[] }>();
    let relevant = 0;
    for (const c of classes) {
      if (k3(rule.ast, classEvent(c), 'unknown') === F) continue;
      relevant++;
      const paths = c.resource ? [undefined] : [...m.paths.filter((p) => !p.endsWith('\uffff')), OTHER_PATH];
      for (const id of ids) {
        const user: UserMode = id.user === undefined || (named.has(id.user) && id.groups.length === 0) ? 'exact' : 'other';
        const ev = classEvent(c, id);
        if (k3(rule.ast, ev, 'unknown', user) === F) continue;
        for (const path of paths) {
          const req = c.resource ? withIdentity(id, { verb: c.verb, resource: { ...c.resource, namespace: OTHER_NAMESPACE, name: OTHER_NAME } }) : withIdentity(id, { verb: c.verb, path: path ?? OTHER_PATH });
          const d = levelFor(policy, req);
          const who = describeIdentity(id);
          const key = `${c.describe}|${c.resource?.group ?? ''}|${who}|${path ?? ''}`;
          const o = outcome.get(key) ?? { ok: false, gaps: [] };
          outcome.set(key, o);
          const base = { request: c.describe, stage: c.stage, who, level: d.level, needs, ...(d.ruleIndex !== undefined ? { policyRule: d.ruleIndex } : {}) };
          if (d.level === 'None' || d.omitStages.includes(c.stage)) {
            o.gaps.push({ ...base, effect: 'no-event', reason: d.level === 'None' ? `logged at level None${d.ruleIndex !== undefined ? ` by policy rule ${d.ruleIndex}` : ' (no policy rule matches)'}` : `stage ${c.stage} omitted${d.ruleIndex !== undefined ? ` (policy rule ${d.ruleIndex})` : ''}` });
            continue;
          }
          if (levelAtLeast(d.level, needs)) {
            o.ok = true;
            continue;
          }
          const withoutBodies = k3(rule.ast, ev, 'absent', user);
          o.gaps.push({ ...base, effect: withoutBodies === F ? 'blind' : 'degraded', reason: `logged at ${d.level}${d.ruleIndex !== undefined ? ` by policy rule ${d.ruleIndex}` : ''}; the rule reads ${needs === 'RequestResponse' ? 'the response body' : 'the request body'} (needs ${needs})` });
        }
      }
    }
    const realGaps: CoverageGap[] = [];
    let seenGood = false;
    for (const o of outcome.values()) {
      if (o.ok) {
        seenGood = true;
        continue;
      }
      // Report the most telling stage: one with an event (blind/degraded) before one without.
      const g = o.gaps.find((x) => x.effect !== 'no-event') ?? o.gaps.find((x) => x.stage !== 'RequestReceived') ?? o.gaps[0];
      if (g) realGaps.push(g);
    }
    const blindish = realGaps.filter((g) => g.effect !== 'degraded');
    const status: CoverageStatus = relevant === 0 ? 'never-fires' : realGaps.length === 0 ? 'covered' : blindish.length === 0 ? 'degraded' : seenGood ? 'partial' : 'blind';
    const first = blindish[0] ?? realGaps[0];
    const summary =
      status === 'covered'
        ? 'the policy records everything the rule reads'
        : status === 'never-fires'
          ? 'the condition cannot be true for any request'
          : `${first ? `${first.request} by ${first.who} (${first.stage}): ${first.reason}` : ''}${realGaps.length > 1 ? ` — and ${realGaps.length - 1} more case${realGaps.length === 2 ? '' : 's'}` : ''}`;
    out.push({ rule: rule.name, priority: rule.priority, status, classes: relevant, needs, gaps: realGaps, summary });
  }
  return out;
}
