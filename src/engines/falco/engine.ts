/**
 * A standalone Falco engine for the k8s_audit source: load rules files in order (as Falco's `rules_files`), compile
 * them, and evaluate audit events the way Falco with the k8saudit and json plugins does — events are taken from a
 * JSON line as the plugin does (an Event, each item of an EventList, each element of an array; anything else is "data
 * not recognized as a k8s audit event"), events over the plugin's maximum size are dropped, and by default only the
 * first matching rule of an event raises an alert (Falco's `rule_matching: first`).
 */
import { isObject, type JsonObject, type JsonValue } from '../../model/object.js';
import { compileRules, K8S_AUDIT_SOURCE, type CompiledRule } from './compile.js';
import type { FalcoEvent } from './fields.js';
import { checkPluginRequirements, Collector, readRulesFile, RuleLoadError, type Ctx, type LoadMessage } from './rules.js';

export { RuleLoadError };

export interface RulesInput {
  /** Display name for messages. */
  readonly name: string;
  readonly text: string;
}

export interface FalcoRuleset {
  readonly rules: readonly CompiledRule[];
  readonly messages: readonly LoadMessage[];
  readonly skippedSources: Readonly<Record<string, number>>;
}

export type LoadResult = { readonly ok: true; readonly ruleset: FalcoRuleset } | { readonly ok: false; readonly error: string; readonly ctx: Ctx; readonly messages: readonly LoadMessage[] };

/** Load rules files in order, like Falco's rules_files; the first error fails the load. */
export function loadFalcoRules(files: readonly RulesInput[]): LoadResult {
  const c = new Collector(new Set([K8S_AUDIT_SOURCE]));
  try {
    for (const f of files) readRulesFile(c, f.name, f.text);
    checkPluginRequirements(c);
    const compiled = compileRules(c);
    return { ok: true, ruleset: { rules: compiled.rules, messages: compiled.messages, skippedSources: compiled.skippedSources } };
  } catch (e) {
    if (e instanceof RuleLoadError) return { ok: false, error: e.message, ctx: e.ctx, messages: c.messages };
    throw e;
  }
}

/** The k8saudit plugin's default maximum event size (maxEventSize). */
export const DEFAULT_MAX_EVENT_SIZE = 262144;

/** RFC 3339 (with up to nanoseconds) to nanoseconds since the epoch, as a decimal string; undefined when Go's time.Parse(RFC3339Nano) would fail. */
export function rfc3339Nanos(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, , sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let secs = BigInt(ms / 1000);
  if (sign !== undefined) secs -= BigInt((sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60));
  const nanos = BigInt((frac ?? '').padEnd(9, '0') || '0');
  return (secs * 1_000_000_000n + nanos).toString();
}

export type EventRejection = 'not-an-audit-event' | 'no-stage-timestamp' | 'bad-stage-timestamp' | 'too-large';

/**
 * The events of one JSON value as the k8saudit plugin takes them, with why some were dropped.
 * `lineBytes` is the size of the line when it holds one event (its marshalled size).
 */
export function eventsOf(value: unknown, lineBytes: number, maxEventSize = DEFAULT_MAX_EVENT_SIZE): { events: FalcoEvent[]; rejected: EventRejection[] } {
  const events: FalcoEvent[] = [];
  const rejected: EventRejection[] = [];
  const single = (v: JsonValue, size: number | undefined): void => {
    const o = v as JsonObject;
    const ts = isObject(v) ? o.stageTimestamp : undefined;
    if (ts === undefined) {
      rejected.push('no-stage-timestamp');
      return;
    }
    const rawtime = typeof ts === 'string' ? rfc3339Nanos(ts) : undefined;
    if (rawtime === undefined) {
      rejected.push('bad-stage-timestamp');
      return;
    }
    const bytes = size ?? byteLength(JSON.stringify(v));
    if (bytes > maxEventSize) {
      rejected.push('too-large');
      return;
    }
    events.push({ obj: o, rawtime });
  };
  const walk = (v: unknown, top: boolean): boolean => {
    if (Array.isArray(v)) {
      for (const x of v) if (!walk(x, false)) return false;
      return true;
    }
    if (isObject(v) && typeof v.kind === 'string') {
      if (v.kind === 'EventList' && Array.isArray(v.items)) {
        for (const item of v.items) single(item as JsonValue, undefined);
        return true;
      }
      if (v.kind === 'Event') {
        single(v, top ? lineBytes : undefined);
        return true;
      }
    }
    rejected.push('not-an-audit-event');
    return false;
  };
  walk(value, true);
  return { events, rejected };
}

function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 2 : 3;
  }
  return n;
}

export interface Match {
  readonly rule: CompiledRule;
}

/** The rules that raise an alert for an event: the first matching enabled rule, or all of them. */
export function evaluate(ruleset: FalcoRuleset, ev: FalcoEvent, matching: 'first' | 'all' = 'first', enabled: (r: CompiledRule) => boolean = (r) => r.enabled): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const r of ruleset.rules) {
    if (!enabled(r)) continue;
    if (r.match(ev)) {
      out.push(r);
      if (matching === 'first') break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs never carry credentials.

const REDACTED = '<redacted>';

function redactValues(o: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(o)) return o;
  return Object.fromEntries(Object.keys(o).map((k) => [k, REDACTED]));
}

function redactPodSpec(spec: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(spec)) return spec;
  const out: Record<string, JsonValue | undefined> = { ...spec };
  for (const k of ['containers', 'initContainers', 'ephemeralContainers']) {
    const cs = out[k];
    if (!Array.isArray(cs)) continue;
    out[k] = (cs as readonly JsonValue[]).map((c): JsonValue => {
      if (!isObject(c) || !Array.isArray(c.env)) return c;
      return { ...c, env: (c.env as readonly JsonValue[]).map((e): JsonValue => (isObject(e) && e.value !== undefined ? { ...e, value: REDACTED } : e)) };
    });
  }
  const tmpl = out.template;
  if (isObject(tmpl) && isObject(tmpl.spec)) out.template = { ...tmpl, spec: redactPodSpec(tmpl.spec) ?? null };
  const job = out.jobTemplate;
  if (isObject(job) && isObject(job.spec)) out.jobTemplate = { ...job, spec: redactPodSpec(job.spec) ?? null };
  return out;
}

function redactObject(obj: JsonValue | undefined, resource: string): JsonValue | undefined {
  if (!isObject(obj)) return obj;
  const kind = obj.kind;
  const items = obj.items;
  if (Array.isArray(items)) return { ...obj, items: (items as readonly JsonValue[]).map((i): JsonValue => redactObject(i, resource) ?? null) };
  const out: Record<string, JsonValue | undefined> = { ...obj };
  if (kind === 'Secret' || resource === 'secrets' || kind === 'ConfigMap' || resource === 'configmaps') {
    for (const k of ['data', 'stringData', 'binaryData']) if (out[k] !== undefined) out[k] = redactValues(out[k]);
  }
  if (kind === 'TokenReview' || resource === 'tokenreviews') {
    const spec = out.spec;
    if (isObject(spec) && spec.token !== undefined) out.spec = { ...spec, token: REDACTED };
  }
  if (kind === 'TokenRequest') {
    const status = out.status;
    if (isObject(status) && status.token !== undefined) out.status = { ...status, token: REDACTED };
  }
  if (out.spec !== undefined) out.spec = redactPodSpec(out.spec);
  return out;
}

/**
 * A copy of the event for rendering outputs: Secret, ConfigMap and TokenReview bodies, issued tokens and container
 * environment values replaced by `<redacted>`. Conditions still see the real event.
 */
export function redactedEvent(ev: FalcoEvent): FalcoEvent {
  const o = ev.obj;
  const ref = isObject(o.objectRef) ? o.objectRef : undefined;
  const resource = typeof ref?.resource === 'string' ? ref.resource : '';
  const sub = typeof ref?.subresource === 'string' ? ref.subresource : '';
  const req = redactObject(o.requestObject, resource);
  let resp = redactObject(o.responseObject, resource);
  if (resource === 'serviceaccounts' && sub === 'token' && isObject(resp) && isObject(resp.status)) resp = { ...resp, status: { ...resp.status, token: REDACTED } };
  const obj: JsonObject = { ...o, ...(o.requestObject !== undefined ? { requestObject: req ?? null } : {}), ...(o.responseObject !== undefined ? { responseObject: resp ?? null } : {}) };
  return { obj, rawtime: ev.rawtime };
}
