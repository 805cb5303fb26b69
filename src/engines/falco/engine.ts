/**
 * A standalone Falco engine for the k8s_audit source: load rules files in order (as Falco's `rules_files`), compile
 * them, and evaluate audit events the way Falco with the k8saudit and json plugins does — events are taken from a
 * JSON line as the plugin does (an Event, each item of an EventList, each element of an array; anything else is "data
 * not recognized as a k8s audit event"), events over the plugin's maximum size are dropped, and by default only the
 * first matching rule of an event raises an alert (Falco's `rule_matching: first`).
 */
import { isObject, type JsonObject, type JsonValue } from '../../model/object.js';
import { compileRules, K8S_AUDIT_SOURCE, type CompiledRule, type FieldGetter } from './compile.js';
import type { EventCache, FalcoEvent } from './fields.js';
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
  /** Extractors of the rules' guard fields (see CompiledRule.guards); without it every rule is tried on every event. */
  readonly field?: (key: string) => FieldGetter | undefined;
}

export type LoadResult = { readonly ok: true; readonly ruleset: FalcoRuleset } | { readonly ok: false; readonly error: string; readonly ctx: Ctx; readonly messages: readonly LoadMessage[] };

/** Load rules files in order, like Falco's rules_files; the first error fails the load. */
export function loadFalcoRules(files: readonly RulesInput[]): LoadResult {
  const c = new Collector(new Set([K8S_AUDIT_SOURCE]));
  try {
    for (const f of files) readRulesFile(c, f.name, f.text);
    checkPluginRequirements(c);
    const compiled = compileRules(c);
    return { ok: true, ruleset: { rules: compiled.rules, messages: compiled.messages, skippedSources: compiled.skippedSources, field: compiled.field } };
  } catch (e) {
    if (e instanceof RuleLoadError) return { ok: false, error: e.message, ctx: e.ctx, messages: c.messages };
    throw e;
  }
}

/** The k8saudit plugin's default maximum event size (maxEventSize). */
export const DEFAULT_MAX_EVENT_SIZE = 262144;

/** RFC 3339 (with up to nanoseconds) to nanoseconds since the epoch, as a decimal string; undefined when Go's time.Parse(RFC3339Nano) would fail. */
export function rfc3339Nanos(s: string): string | undefined {
  // The form kube-apiserver writes (2026-01-02T03:04:05.123456Z): read the digits directly.
  if (s.length >= 20 && s.length <= 30 && s.charCodeAt(s.length - 1) === 90 && s.charCodeAt(10) === 84 && s.charCodeAt(19) !== 43 && s.charCodeAt(19) !== 45) {
    const d = (i: number, n: number): number => {
      let v = 0;
      for (let k = i; k < i + n; k++) {
        const c = s.charCodeAt(k) - 48;
        if (c < 0 || c > 9) return NaN;
        v = v * 10 + c;
      }
      return v;
    };
    const frac = s.length > 20 ? s.slice(20, -1) : '';
    if ((s.length === 20 || (s.charCodeAt(19) === 46 && /^\d{1,9}$/.test(frac))) && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
      const [y, mo, dd, h, mi, se] = [d(0, 4), d(5, 2), d(8, 2), d(11, 2), d(14, 2), d(17, 2)];
      if (mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && h <= 23 && mi <= 59 && se <= 59) {
        const secs = Date.UTC(y, mo - 1, dd, h, mi, se) / 1000;
        if (secs > 0) return `${secs}${frac.padEnd(9, '0')}`;
      }
    }
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, , sign, oh, om] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let secs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) / 1000;
  if (sign !== undefined) secs -= (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  const nanos = (frac ?? '').padEnd(9, '0');
  // Whole seconds and nine digits: exact without BigInt for every time after 1970.
  if (secs > 0) return `${secs}${nanos}`;
  return (BigInt(secs) * 1_000_000_000n + BigInt(nanos)).toString();
}

const RFC3339_SHAPE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Month, day, hour, minute and second in range (the shape is checked by RFC3339_SHAPE). */
function plausibleFields(ts: string): boolean {
  const n = (i: number): number => (ts.charCodeAt(i) - 48) * 10 + (ts.charCodeAt(i + 1) - 48);
  const mo = n(5);
  const d = n(8);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && n(11) <= 23 && n(14) <= 59 && n(17) <= 59;
}

/** An audit event whose nanosecond time is computed only when a rule or a filter reads it. */
class AuditEvent implements FalcoEvent {
  private raw?: string;
  indented?: string;
  cache?: EventCache;
  constructor(
    readonly obj: JsonObject,
    private readonly ts: string,
  ) {}
  get rawtime(): string {
    this.raw ??= rfc3339Nanos(this.ts) ?? '0';
    return this.raw;
  }
}

/** The event of a line holding one audit Event, or undefined when the line needs the general path (eventsOf). */
export function singleEvent(value: unknown, lineBytes: number, maxEventSize = DEFAULT_MAX_EVENT_SIZE): FalcoEvent | EventRejection | undefined {
  if (!isObject(value) || value.kind !== 'Event') return undefined;
  const ts = value.stageTimestamp;
  if (ts === undefined) return 'no-stage-timestamp';
  if (typeof ts !== 'string' || !RFC3339_SHAPE.test(ts) || !plausibleFields(ts)) return 'bad-stage-timestamp';
  if (lineBytes > maxEventSize) return 'too-large';
  return new AuditEvent(value, ts);
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
    if (typeof ts !== 'string' || rfc3339Nanos(ts) === undefined) {
      rejected.push('bad-stage-timestamp');
      return;
    }
    const bytes = size ?? byteLength(JSON.stringify(v));
    if (bytes > maxEventSize) {
      rejected.push('too-large');
      return;
    }
    events.push(new AuditEvent(o, ts));
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

const NONE: readonly CompiledRule[] = Object.freeze([]);

/** Fields the dispatch looks at, at most. */
const MAX_INDEX_FIELDS = 3;
/** A value no rule names (any value outside every guard set), and a field that was not extracted. */
const OTHER = Symbol('other');
const MISSING = Symbol('missing');
type Slot = string | typeof OTHER | typeof MISSING;

/**
 * Rules grouped by the values of the fields their conditions require (CompiledRule.guards), in rule order: an
 * event is tried only against the rules whose guards its values meet; the others cannot match (see guardsOf), so
 * the outcome is the same as trying every rule, in the same order. Values no rule names share one group, so the
 * number of groups is bounded by the rules, never by the log.
 */
class Dispatch {
  private readonly keys: readonly { readonly get: FieldGetter; readonly named: ReadonlySet<string>; readonly key: string }[];
  private readonly root = new Map<Slot, unknown>();

  constructor(
    private readonly rules: readonly CompiledRule[],
    field: (key: string) => FieldGetter | undefined,
  ) {
    const counts = new Map<string, number>();
    for (const r of rules) for (const k of r.guards.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
    const keys: { get: FieldGetter; named: Set<string>; key: string }[] = [];
    for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      if (keys.length >= MAX_INDEX_FIELDS || n < 2) break;
      const get = field(key);
      if (!get) continue;
      const named = new Set<string>();
      for (const r of rules) for (const v of r.guards.get(key) ?? []) named.add(v);
      keys.push({ get, named, key });
    }
    this.keys = keys;
  }

  /** The rules an event can match, in rule order. */
  candidates(ev: FalcoEvent): readonly CompiledRule[] {
    const keys = this.keys;
    const last = keys.length - 1;
    if (last < 0) return this.rules;
    let node: Map<Slot, unknown> = this.root;
    for (let i = 0; ; i++) {
      const slot = this.slot(i, ev);
      let next = node.get(slot);
      if (next === undefined) {
        next = i === last ? this.select(keys.map((_, j) => this.slot(j, ev))) : new Map<Slot, unknown>();
        node.set(slot, next);
      }
      if (i === last) return next as readonly CompiledRule[];
      node = next as Map<Slot, unknown>;
    }
  }

  private slot(i: number, ev: FalcoEvent): Slot {
    const k = this.keys[i] as (typeof this.keys)[number];
    const v = k.get(ev);
    return v === undefined ? MISSING : k.named.has(v) ? v : OTHER;
  }

  private select(slots: readonly Slot[]): readonly CompiledRule[] {
    return this.rules.filter((r) =>
      this.keys.every((k, i) => {
        const g = r.guards.get(k.key);
        const s = slots[i];
        return g === undefined || (typeof s === 'string' && g.has(s));
      }),
    );
  }
}

const DISPATCH = new WeakMap<FalcoRuleset, Dispatch | readonly CompiledRule[]>();

/** The rules that raise an alert for an event: the first matching enabled rule, or all of them. */
export function evaluate(ruleset: FalcoRuleset, ev: FalcoEvent, matching: 'first' | 'all' = 'first', enabled?: (r: CompiledRule) => boolean): readonly CompiledRule[] {
  let rules: readonly CompiledRule[];
  if (enabled === undefined) {
    let d = DISPATCH.get(ruleset);
    if (d === undefined) {
      const on = ruleset.rules.filter((r) => r.enabled);
      d = ruleset.field ? new Dispatch(on, ruleset.field) : on;
      DISPATCH.set(ruleset, d);
    }
    rules = d instanceof Dispatch ? d.candidates(ev) : d;
  } else rules = ruleset.rules.filter(enabled);
  let out: CompiledRule[] | undefined;
  for (const r of rules) {
    if (!r.match(ev)) continue;
    if (matching === 'first') return [r];
    (out ??= []).push(r);
  }
  return out ?? NONE;
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
