/**
 * What kube-apiserver writes to the audit log for a request under a policy: the level (first matching rule), the
 * stages it goes through (RequestReceived, ResponseStarted for long-running requests, ResponseComplete; Panic
 * only on a panic) and which of them are omitted (policy and rule omitStages merged), whether the request and
 * response bodies are recorded, and whether managed fields are dropped from them. Also the request attributes
 * the policy saw for an event of an existing log, to check a prediction against what the server wrote.
 */
import { isObject, type JsonObject } from '../../model/object.js';
import { levelFor } from './policy.js';
import { AUDIT_STAGES, type AuditLevel, type AuditPolicy, type AuditRequest, type AuditStage } from './types.js';

/** kube-apiserver's long-running request check: these verbs and subresources get a ResponseStarted stage. */
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
/** Verbs whose requests carry a body the server decodes (and logs from level Request). */
const BODY_VERBS = new Set(['create', 'update', 'patch']);

export function isLongRunning(req: AuditRequest): boolean {
  if (LONG_RUNNING_VERBS.has(req.verb)) return true;
  return req.resource !== undefined && LONG_RUNNING_SUBRESOURCES.has(req.resource.subresource ?? '');
}

export interface StageOutcome {
  readonly stage: AuditStage;
  /** Whether an event of this stage is written. */
  readonly logged: boolean;
  /** When the request goes through the stage: always, long-running requests only, only on a panic. */
  readonly when: 'always' | 'long-running' | 'on-panic';
}

export interface Simulation {
  readonly level: AuditLevel;
  /** The rule that decided; undefined when none matched (level None). */
  readonly rule?: number;
  readonly omitStages: readonly AuditStage[];
  readonly longRunning: boolean;
  /** The stages the request goes through, with whether each is logged. Empty at level None. */
  readonly stages: readonly StageOutcome[];
  /** requestObject: recorded at level Request and above when the request has a body. */
  readonly requestObject: 'recorded' | 'not-recorded' | 'no-body';
  /** responseObject: recorded at RequestResponse for resource requests that answer with an object (not watch). */
  readonly responseObject: 'recorded' | 'not-recorded' | 'no-body';
  /** managedFields are removed from the recorded bodies (rule setting, else the policy's). */
  readonly omitManagedFields: boolean;
}

export function simulateRequest(policy: AuditPolicy, req: AuditRequest): Simulation {
  const d = levelFor(policy, req);
  const rule = d.ruleIndex !== undefined ? policy.rules[d.ruleIndex] : undefined;
  const omit = new Set(d.omitStages);
  const omitStages = AUDIT_STAGES.filter((s) => omit.has(s));
  const longRunning = isLongRunning(req);
  const logged = d.level !== 'None';
  const stages: StageOutcome[] = logged
    ? [
        { stage: 'RequestReceived', logged: !omit.has('RequestReceived'), when: 'always' },
        ...(longRunning ? [{ stage: 'ResponseStarted' as const, logged: !omit.has('ResponseStarted'), when: 'long-running' as const }] : []),
        { stage: 'ResponseComplete', logged: !omit.has('ResponseComplete'), when: 'always' },
        { stage: 'Panic', logged: !omit.has('Panic'), when: 'on-panic' },
      ]
    : [];
  const hasBody = req.resource !== undefined && BODY_VERBS.has(req.verb) && !LONG_RUNNING_SUBRESOURCES.has(req.resource.subresource ?? '');
  const hasResponseBody = req.resource !== undefined && req.verb !== 'watch' && !LONG_RUNNING_SUBRESOURCES.has(req.resource.subresource ?? '');
  const rank: Readonly<Record<AuditLevel, number>> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };
  return {
    level: d.level,
    ...(d.ruleIndex !== undefined ? { rule: d.ruleIndex } : {}),
    omitStages,
    longRunning,
    stages,
    requestObject: !hasBody ? 'no-body' : rank[d.level] >= rank.Request ? 'recorded' : 'not-recorded',
    responseObject: !hasResponseBody ? 'no-body' : d.level === 'RequestResponse' ? 'recorded' : 'not-recorded',
    omitManagedFields: rule?.omitManagedFields ?? policy.omitManagedFields,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// From an audit event back to the attributes the policy was evaluated on.

function str(o: JsonObject | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The request attributes kube-apiserver evaluated the policy on, read back from one of its audit events.
 * The policy sees the authenticated user (not the impersonated one), the verb, and the object reference of the
 * URL: for a create the name comes from the body only after the policy was evaluated, so it is not part of it.
 */
export function requestOfEvent(ev: JsonObject): AuditRequest | undefined {
  const verb = str(ev, 'verb');
  if (verb === undefined) return undefined;
  const user = isObject(ev.user) ? ev.user : undefined;
  const username = str(user, 'username');
  const groups = Array.isArray(user?.groups) ? user.groups.filter((g): g is string => typeof g === 'string') : [];
  const who = username !== undefined && username !== '' ? { user: username, groups } : { groups: [] as string[] };
  const ref = isObject(ev.objectRef) ? ev.objectRef : undefined;
  const resource = str(ref, 'resource');
  if (ref && resource !== undefined) {
    const subresource = str(ref, 'subresource');
    const name = verb === 'create' && (subresource === undefined || subresource === '') ? '' : (str(ref, 'name') ?? '');
    return {
      ...who,
      verb,
      resource: {
        group: str(ref, 'apiGroup') ?? '',
        resource,
        ...(subresource !== undefined && subresource !== '' ? { subresource } : {}),
        namespace: str(ref, 'namespace') ?? '',
        name,
      },
    };
  }
  const uri = str(ev, 'requestURI') ?? '';
  const q = uri.indexOf('?');
  return { ...who, verb, path: q >= 0 ? uri.slice(0, q) : uri };
}

export interface EventCheck {
  readonly predicted: AuditLevel;
  readonly logged: string;
  readonly stage: string;
  readonly rule?: number;
  /** Empty when the prediction agrees with the event. */
  readonly disagreements: readonly string[];
}

/** Predict the level of a logged event and say where the prediction disagrees with what the server wrote. */
export function checkEvent(policy: AuditPolicy, ev: JsonObject): EventCheck | undefined {
  const req = requestOfEvent(ev);
  if (!req) return undefined;
  const sim = simulateRequest(policy, req);
  const logged = str(ev, 'level') ?? '';
  const stage = str(ev, 'stage') ?? '';
  const out: string[] = [];
  if (sim.level === 'None') out.push(`the policy logs nothing for this request (no rule matches${sim.rule !== undefined ? ` but rule ${sim.rule}, level None` : ''}), yet the server wrote it at level ${logged}`);
  else if (logged !== sim.level) out.push(`predicted level ${sim.level}${sim.rule !== undefined ? ` (rule ${sim.rule})` : ''}, the server wrote ${logged}`);
  if (sim.level !== 'None' && (sim.omitStages as readonly string[]).includes(stage)) out.push(`stage ${stage} is omitted by the policy, yet the server wrote it`);
  if (stage === 'ResponseStarted' && !sim.longRunning) out.push('a ResponseStarted event for a request kspect does not consider long-running');
  if (ev.requestObject !== undefined && sim.requestObject !== 'recorded' && sim.level !== 'None') out.push('the event has a requestObject the prediction does not record');
  if (ev.responseObject !== undefined && sim.responseObject !== 'recorded' && sim.level !== 'None') out.push('the event has a responseObject the prediction does not record');
  return { predicted: sim.level, logged, stage, ...(sim.rule !== undefined ? { rule: sim.rule } : {}), disagreements: out };
}

// ---------------------------------------------------------------------------------------------------------------
// A request URL, as kube-apiserver's RequestInfo reads it.

/** Subresources of a namespace object (`/api/v1/namespaces/x/status`), not resources in it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * Parse a request path into audit attributes like k8s.io/apiserver's RequestInfoFactory: `/api/v1/...` and
 * `/apis/GROUP/VERSION/...` are resource requests (namespace, resource, name, subresource); anything else is a
 * non-resource URL. `verb` is the API verb (get, list, watch, create, ...).
 */
export function requestOfPath(path: string, verb: string, who: { user?: string; groups?: readonly string[] }): AuditRequest {
  const clean = path.split('?')[0] ?? '';
  const base = { ...(who.user !== undefined ? { user: who.user } : {}), groups: who.groups ?? [], verb };
  const parts = clean.split('/').filter((p) => p !== '');
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return { ...base, path: clean };
  let namespace = '';
  if (rest[0] === 'watch') rest = rest.slice(1);
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] ?? '';
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest[2];
  return { ...base, resource: { group, resource, ...(subresource !== undefined ? { subresource } : {}), namespace, name } };
}
