/**
 * Reading Falco rules files as Falco's rule loader does (falco userspace/engine rule_loader_reader.cpp and
 * rule_loader_collector.cpp; learned from, not copied): `required_engine_version`, `required_plugin_versions`,
 * `list`, `macro` and `rule` items in load order; `append: true` and `override: {key: append|replace}`; a rule
 * redefined by name keeps its place; a rule item with only `enabled` switches an earlier rule on or off;
 * `exceptions` with fields, comps and values. The first error stops loading (Falco does not start); warnings
 * (unknown keys, deprecated `append`, unknown sources) are collected.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';

/** The version of Falco's rules engine whose language kspect reads (engine 0.63.0, Falco 0.43). */
export const ENGINE_VERSION: readonly [number, number, number] = [0, 63, 0];
/** The plugins kspect stands in for, with the versions whose fields it implements. */
export const PLUGINS: Readonly<Record<string, string>> = { k8saudit: '0.18.0', json: '0.7.4' };

export type Priority = 'EMERGENCY' | 'ALERT' | 'CRITICAL' | 'ERROR' | 'WARNING' | 'NOTICE' | 'INFORMATIONAL' | 'DEBUG';
const PRIORITIES: readonly Priority[] = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'];

/** Falco's parse_priority: case-insensitive, and `info` for INFORMATIONAL. */
export function parsePriority(v: string): Priority | undefined {
  const u = v.toUpperCase();
  if (u === 'INFO') return 'INFORMATIONAL';
  return PRIORITIES.find((p) => p === u);
}

/** Where an item is: file and line (1-based). */
export interface Ctx {
  readonly file: string;
  readonly line: number;
  readonly item?: string;
}

export interface LoadMessage {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly ctx: Ctx;
}

export class RuleLoadError extends Error {
  constructor(
    message: string,
    readonly ctx: Ctx,
  ) {
    super(message);
    this.name = 'RuleLoadError';
  }
}

export interface ExceptionEntry {
  readonly isList: boolean;
  readonly item: string;
  readonly items: readonly ExceptionEntry[];
}

export interface ExceptionInfo {
  readonly name: string;
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
  readonly ctx: Ctx;
}

export interface ListInfo {
  readonly name: string;
  items: string[];
  index: number;
  visibility: number;
  readonly ctx: Ctx;
}

export interface MacroInfo {
  readonly name: string;
  cond: string;
  index: number;
  visibility: number;
  readonly ctx: Ctx;
}

export interface RuleInfo {
  readonly name: string;
  cond: string;
  output: string;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  skipIfUnknownFilter: boolean;
  unknownSource: boolean;
  index: number;
  visibility: number;
  readonly ctx: Ctx;
}

/** Everything read so far, in Falco's collector order. */
export class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  readonly requiredPlugins: { name: string; version: string }[][] = [];
  requiredEngine: readonly [number, number, number] = [0, 0, 0];
  readonly messages: LoadMessage[] = [];
  private cur = 0;

  constructor(readonly knownSources: ReadonlySet<string>) {}

  nextId(): number {
    return this.cur++;
  }

  warn(message: string, ctx: Ctx): void {
    this.messages.push({ severity: 'warning', message, ctx });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A yaml-cpp-like view: scalars are their text, null is null, maps keep the first of repeated keys.

type YNode = { readonly k: 'null'; readonly line: number } | { readonly k: 'scalar'; readonly text: string; readonly line: number } | { readonly k: 'seq'; readonly items: readonly YNode[]; readonly line: number } | { readonly k: 'map'; readonly entries: ReadonlyMap<string, YNode>; readonly keys: readonly string[]; readonly line: number };

function toY(node: unknown, lc: LineCounter, depth = 0): YNode {
  if (depth > 200) throw new RuleLoadError('nesting too deep', { file: '', line: 0 });
  const line = (n: unknown): number => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    return r ? lc.linePos(r[0]).line : 0;
  };
  if (isMap(node)) {
    const entries = new Map<string, YNode>();
    const keys: string[] = [];
    for (const p of node.items) {
      const key = isScalar(p.key) ? (p.key.source ?? (typeof p.key.value === 'string' ? p.key.value : '')) : '';
      if (entries.has(key)) continue;
      keys.push(key);
      entries.set(key, p.value === null ? { k: 'null', line: line(p.key) } : toY(p.value, lc, depth + 1));
    }
    return { k: 'map', entries, keys, line: line(node) };
  }
  if (isSeq(node)) return { k: 'seq', items: node.items.map((i) => toY(i, lc, depth + 1)), line: line(node) };
  if (isScalar(node)) {
    if (node.value === null && (node.source === undefined || ['', '~', 'null', 'Null', 'NULL'].includes(node.source)) && node.type === 'PLAIN') return { k: 'null', line: line(node) };
    const v = node.value;
    const text = node.type === 'PLAIN' ? (node.source ?? (typeof v === 'string' ? v : '')) : typeof v === 'string' ? v : (node.source ?? '');
    return { k: 'scalar', text, line: line(node) };
  }
  return { k: 'null', line: line(node) };
}

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

function val(item: YNode, key: string, ctx: Ctx, opts: { optional?: boolean; canBeEmpty?: boolean } = {}): string | undefined {
  const v = item.k === 'map' ? item.entries.get(key) : undefined;
  if (v === undefined) {
    if (opts.optional === true) return undefined;
    throw new RuleLoadError(`Item has no mapping for key '${key}'`, ctx);
  }
  if (v.k === 'null') {
    if (opts.canBeEmpty === true) return undefined;
    throw new RuleLoadError(`Mapping for key '${key}' is empty`, ctx);
  }
  if (v.k !== 'scalar') throw new RuleLoadError('Value is not a scalar value', { ...ctx, line: v.line });
  if (v.text === '') {
    if (opts.canBeEmpty === true) return undefined;
    throw new RuleLoadError('Value must be non-empty', { ...ctx, line: v.line });
  }
  return v.text;
}

function boolVal(item: YNode, key: string, ctx: Ctx, optional: boolean): boolean | undefined {
  const s = val(item, key, ctx, { optional });
  if (s === undefined) return undefined;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw new RuleLoadError("Can't decode YAML scalar value", ctx);
}

function seqOfScalars(item: YNode, key: string, ctx: Ctx, optional: boolean): string[] | undefined {
  const v = item.k === 'map' ? item.entries.get(key) : undefined;
  if (v === undefined) {
    if (optional) return undefined;
    throw new RuleLoadError(`Item has no mapping for key '${key}'`, ctx);
  }
  if (v.k !== 'seq') throw new RuleLoadError('Value is not a sequence', { ...ctx, line: v.line });
  return v.items.map((i) => {
    if (i.k !== 'scalar') throw new RuleLoadError('sequence value is not scalar', { ...ctx, line: i.line });
    return i.text;
  });
}

function exceptionEntry(v: YNode | undefined, key: string | undefined, ctx: Ctx, optional: boolean): ExceptionEntry | undefined {
  if (v === undefined) {
    if (optional) return undefined;
    throw new RuleLoadError(`Item has no mapping for key '${key ?? ''}'`, ctx);
  }
  if (v.k === 'scalar') {
    if (v.text === '') throw new RuleLoadError('Value must be non-empty', { ...ctx, line: v.line });
    return { isList: false, item: v.text, items: [] };
  }
  if (v.k === 'seq') return { isList: true, item: '', items: v.items.map((i) => exceptionEntry(i, undefined, { ...ctx, line: i.line }, false) as ExceptionEntry) };
  // A null or mapping decodes to nothing (yaml-cpp neither scalar nor sequence).
  return { isList: false, item: '', items: [] };
}

function readExceptions(c: Collector, item: YNode, ctx: Ctx, append: boolean): ExceptionInfo[] {
  const exs = item.k === 'map' ? item.entries.get('exceptions') : undefined;
  if (exs === undefined || exs.k === 'null') return [];
  if (exs.k !== 'seq') throw new RuleLoadError('Rule exceptions must be a sequence', { ...ctx, line: exs.line });
  const out: ExceptionInfo[] = [];
  for (const ex of exs.items) {
    const ectx = { ...ctx, line: ex.line };
    if (ex.k !== 'map') throw new RuleLoadError('Rule exception must be a mapping', ectx);
    const name = val(ex, 'name', ectx) ?? '';
    if (out.some((e) => e.name === name)) c.warn(`Multiple definitions of exception '${name}' in the same rule`, ectx);
    const fields = exceptionEntry(ex.entries.get('fields'), 'fields', ectx, append);
    const comps = exceptionEntry(ex.entries.get('comps'), 'comps', ectx, true);
    const values: ExceptionEntry[] = [];
    const vs = ex.entries.get('values');
    if (vs !== undefined) {
      if (vs.k !== 'seq') throw new RuleLoadError('Rule exception values must be a sequence', { ...ectx, line: vs.line });
      for (const v of vs.items) values.push(exceptionEntry(v, undefined, { ...ectx, line: v.line }, false) as ExceptionEntry);
    } else if (append) c.warn('Overriding/appending exception with no values', ectx);
    out.push({ name, ...(fields ? { fields } : {}), ...(comps ? { comps } : {}), values, ctx: ectx });
  }
  return out;
}

function warnUnknownKeys(c: Collector, item: YNode, expected: readonly string[], ctx: Ctx): void {
  if (item.k !== 'map') return;
  for (const k of item.keys) if (!expected.includes(k)) c.warn(`Unknown key '${k}'. The key will be ignored.`, ctx);
}

const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const ERROR_OVERRIDE_APPEND = "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

function readOverrides(item: YNode, appendable: readonly string[], replaceable: readonly string[], ctx: Ctx): { append: Set<string>; replace: Set<string> } {
  const out = { append: new Set<string>(), replace: new Set<string>() };
  const o = item.k === 'map' ? item.entries.get('override') : undefined;
  if (o === undefined || o.k !== 'map') return out;
  for (const key of o.keys) {
    const v = o.entries.get(key);
    const op = v?.k === 'scalar' ? v.text : '';
    if (op === 'append') {
      if (!appendable.includes(key)) throw new RuleLoadError(`Key '${key}' cannot be appended to, use 'replace' instead`, ctx);
      out.append.add(key);
    } else if (op === 'replace') {
      if (!replaceable.includes(key)) throw new RuleLoadError(`Key '${key}' cannot be replaced`, ctx);
      out.replace.add(key);
    } else throw new RuleLoadError(`Invalid override operation for key '${key}': '${op}'. Allowed values are: ${appendable.includes(key) ? 'append ' : ''}${replaceable.includes(key) ? 'replace ' : ''}`, ctx);
  }
  return out;
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function versionLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** sinsp_version::compatible_with: same major, and not older. */
export function compatible(have: readonly number[], want: readonly number[]): boolean {
  return have[0] === want[0] && !versionLess(have, want);
}

function defineNamed<T extends { name: string; index: number; visibility: number }>(map: Map<string, T>, info: T, id: number): void {
  const prev = map.get(info.name);
  if (prev) {
    info.index = prev.index;
    info.visibility = id;
    map.set(info.name, info);
  } else {
    info.index = id;
    info.visibility = id;
    map.set(info.name, info);
  }
}

function readItem(c: Collector, item: YNode, file: string): void {
  const base: Ctx = { file, line: item.line };
  if (item.k !== 'map') throw new RuleLoadError('Unexpected element type. Each element should be a yaml associative array.', base);
  const has = (k: string): boolean => item.entries.has(k);

  if (has('required_engine_version')) {
    const s = val(item, 'required_engine_version', base) ?? '';
    let v: [number, number, number] | undefined;
    if (/^\d+$/.test(s)) v = [0, Number(s), 0];
    else {
      v = parseVersion(s);
      if (!v) throw new RuleLoadError(`Unable to parse engine version '${s}' as a semver string. Expected "x.y.z" semver format.`, base);
    }
    if (!compatible(ENGINE_VERSION, v)) throw new RuleLoadError(`Rules require engine version ${v.join('.')}, but engine version is ${ENGINE_VERSION.join('.')}`, base);
    if (versionLess(c.requiredEngine, v)) c.requiredEngine = v;
    warnUnknownKeys(c, item, ['required_engine_version'], base);
    return;
  }
  if (has('required_plugin_versions')) {
    const reqs = item.entries.get('required_plugin_versions');
    if (reqs?.k !== 'seq') throw new RuleLoadError('Value of required_plugin_versions must be a sequence', base);
    for (const p of reqs.items) {
      const pctx = { ...base, line: p.line };
      if (p.k !== 'map') throw new RuleLoadError('Plugin version must be a mapping', pctx);
      const alts = [{ name: val(p, 'name', pctx) ?? '', version: val(p, 'version', pctx) ?? '' }];
      const a = p.entries.get('alternatives');
      if (a !== undefined) {
        if (a.k !== 'seq') throw new RuleLoadError('Value of plugin version alternatives must be a sequence', pctx);
        for (const r of a.items) {
          if (r.k !== 'map') throw new RuleLoadError('Plugin version alternative must be a mapping', { ...pctx, line: r.line });
          alts.push({ name: val(r, 'name', pctx) ?? '', version: val(r, 'version', pctx) ?? '' });
        }
      }
      const names = new Set<string>();
      for (const alt of alts) {
        if (!parseVersion(alt.version)) throw new RuleLoadError(`Invalid required version '${alt.version}' for plugin '${alt.name}'`, pctx);
        if (names.has(alt.name)) throw new RuleLoadError(`Defined multiple alternative version requirements for plugin '${alt.name}'`, pctx);
        names.add(alt.name);
      }
      c.requiredPlugins.push(alts);
    }
    warnUnknownKeys(c, item, ['required_plugin_versions'], base);
    return;
  }
  if (has('list')) {
    const name = val(item, 'list', base) ?? '';
    const ctx = { ...base, item: `list ${name}` };
    if (!/^[^()"'\s=,]+$/.test(name)) c.warn('List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)', ctx);
    const items = seqOfScalars(item, 'items', ctx, false) ?? [];
    const appendFlag = boolVal(item, 'append', ctx, true) ?? false;
    if (appendFlag) c.warn(WARNING_APPEND, ctx);
    const ov = readOverrides(item, ['items'], ['items'], ctx);
    if (appendFlag && (ov.append.size > 0 || ov.replace.size > 0)) throw new RuleLoadError(ERROR_OVERRIDE_APPEND, ctx);
    if (appendFlag || ov.append.has('items')) {
      const prev = c.lists.get(name);
      if (!prev) throw new RuleLoadError("List uses 'append' or 'override.items: append' but no list by that name already exists", ctx);
      prev.items.push(...items);
      prev.visibility = c.nextId();
    } else defineNamed(c.lists, { name, items, index: 0, visibility: 0, ctx }, c.nextId());
    warnUnknownKeys(c, item, ['list', 'items', 'append', 'override'], ctx);
    return;
  }
  if (has('macro')) {
    const name = val(item, 'macro', base) ?? '';
    const ctx = { ...base, item: `macro ${name}` };
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(name)) c.warn('Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)', ctx);
    const cond = val(item, 'condition', ctx) ?? '';
    const appendFlag = boolVal(item, 'append', ctx, true) ?? false;
    if (appendFlag) c.warn(WARNING_APPEND, ctx);
    const ov = readOverrides(item, ['condition'], ['condition'], ctx);
    if (appendFlag && (ov.append.size > 0 || ov.replace.size > 0)) throw new RuleLoadError(ERROR_OVERRIDE_APPEND, ctx);
    const condLine = (item.entries.get('condition')?.line ?? base.line) || base.line;
    if (appendFlag || ov.append.has('condition')) {
      const prev = c.macros.get(name);
      if (!prev) throw new RuleLoadError("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", ctx);
      prev.cond = `${prev.cond} ${cond}`;
      prev.visibility = c.nextId();
    } else defineNamed(c.macros, { name, cond, index: 0, visibility: 0, ctx: { ...ctx, line: condLine } }, c.nextId());
    warnUnknownKeys(c, item, ['macro', 'condition', 'append', 'override'], ctx);
    return;
  }
  if (has('rule')) {
    readRule(c, item, base);
    return;
  }
  c.warn('Unknown top level item', base);
}

const RULE_KEYS = ['rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append'];
const APPENDABLE = ['condition', 'output', 'desc', 'tags', 'exceptions'];
const REPLACEABLE = ['condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter'];

function findPrevRule(c: Collector, name: string, source: string | undefined, ctx: Ctx): RuleInfo | undefined {
  const prev = c.rules.get(name);
  if (prev && prev.source !== '' && source !== undefined && source !== '' && prev.source !== source) throw new RuleLoadError('Rule has been re-defined with a different source', ctx);
  return prev;
}

interface RuleUpdate {
  cond?: string;
  output?: string;
  desc?: string;
  tags?: string[];
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  enabled?: boolean;
  skipIfUnknownFilter?: boolean;
}

function hasAnyValue(u: RuleUpdate): boolean {
  return Object.values(u).some((v) => v !== undefined);
}

/** Field names are checked when the rule is compiled for its source (compile.ts), where kspect knows the fields. */
function validateExceptions(exs: readonly ExceptionInfo[]): void {
  for (const ex of exs) {
    if (!ex.fields || (ex.fields.isList ? false : ex.fields.item === '')) throw new RuleLoadError('Rule exception item must have fields property with a list of fields', ex.ctx);
    if (ex.fields.isList) {
      if (!ex.comps || (!ex.comps.isList && ex.comps.item === '')) ex.comps = { isList: true, item: '', items: ex.fields.items.map(() => ({ isList: false, item: '=', items: [] })) };
      if (ex.fields.items.length !== ex.comps.items.length) throw new RuleLoadError('Fields and comps lists must have equal length', ex.ctx);
    } else {
      if (!ex.comps || (!ex.comps.isList && ex.comps.item === '')) ex.comps = { isList: false, item: 'in', items: [] };
      if (ex.comps.isList) throw new RuleLoadError('Fields and comps must both be strings', ex.ctx);
      const op = ex.comps.item.trim();
      if (!['in', 'pmatch', 'intersects'].includes(op) && !/^[a-z]+ (oneof|anyof|allof)$/.test(op))
        throw new RuleLoadError('When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)', ex.ctx);
    }
  }
}

function readRule(c: Collector, item: YNode, base: Ctx): void {
  if (item.k !== 'map') return;
  const name = val(item, 'rule', base) ?? '';
  const ctx = { ...base, item: `rule ${name}` };
  const source = val(item, 'source', ctx, { optional: true, canBeEmpty: true }) ?? '';
  const appendFlag = boolVal(item, 'append', ctx, true) ?? false;
  if (appendFlag) c.warn(WARNING_APPEND, ctx);
  const ov = readOverrides(item, APPENDABLE, REPLACEABLE, ctx);
  const hasOverrides = ov.append.size > 0 || ov.replace.size > 0;
  if (appendFlag && hasOverrides) throw new RuleLoadError(ERROR_OVERRIDE_APPEND, ctx);

  const readUpdate = (keys: Set<string>, append: boolean, expected: Set<string>): RuleUpdate => {
    const u: RuleUpdate = {};
    const take = (k: string): boolean => {
      if (!keys.has(k)) return false;
      if (!expected.has(k)) throw new RuleLoadError(`An ${append ? 'append' : 'replace'} override for '${k}' was specified but '${k}' is not defined`, ctx);
      expected.delete(k);
      return true;
    };
    if (take('condition')) u.cond = val(item, 'condition', ctx) ?? '';
    if (take('exceptions')) u.exceptions = readExceptions(c, item, ctx, append);
    if (take('output')) u.output = val(item, 'output', ctx) ?? '';
    if (take('desc')) u.desc = val(item, 'desc', ctx) ?? '';
    if (take('tags')) u.tags = seqOfScalars(item, 'tags', ctx, true) ?? [];
    if (!append) {
      if (take('priority')) {
        const p = parsePriority(val(item, 'priority', ctx) ?? '');
        if (!p) throw new RuleLoadError('Invalid priority', ctx);
        u.priority = p;
      }
      if (take('capture')) boolVal(item, 'capture', ctx, false);
      if (take('capture_duration')) val(item, 'capture_duration', ctx);
      if (take('enabled')) u.enabled = boolVal(item, 'enabled', ctx, false) ?? true;
      if (take('warn_evttypes')) boolVal(item, 'warn_evttypes', ctx, false);
      if (take('skip-if-unknown-filter')) u.skipIfUnknownFilter = boolVal(item, 'skip-if-unknown-filter', ctx, false) ?? false;
    }
    return u;
  };

  const applyAppend = (u: RuleUpdate): void => {
    const prev = findPrevRule(c, name, source, ctx);
    if (!prev) throw new RuleLoadError("Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", ctx);
    if (!hasAnyValue(u)) throw new RuleLoadError('Appended rule must have exceptions or condition property', ctx);
    if (u.cond !== undefined && u.cond !== '') prev.cond = `${prev.cond} ${u.cond}`;
    if (u.output !== undefined && u.output !== '') prev.output = `${prev.output} ${u.output}`;
    if (u.desc !== undefined && u.desc !== '') prev.desc = `${prev.desc} ${u.desc}`;
    for (const t of u.tags ?? []) prev.tags.add(t);
    for (const ex of u.exceptions ?? []) {
      const existing = prev.exceptions.find((e) => e.name === ex.name);
      if (!existing) {
        if (!ex.fields) throw new RuleLoadError('Rule exception must have fields property with a list of fields', ex.ctx);
        if (ex.values.length === 0) throw new RuleLoadError('Rule exception must have values property with a list of values', ex.ctx);
        validateExceptions([ex]);
        prev.exceptions.push(ex);
      } else {
        if (ex.fields) throw new RuleLoadError('Can not append exception fields to existing exception, only values', ex.ctx);
        if (ex.comps) throw new RuleLoadError('Can not append exception comps to existing exception, only values', ex.ctx);
        existing.values.push(...ex.values);
      }
    }
    prev.visibility = c.nextId();
  };

  if (hasOverrides) {
    const expected = new Set([...APPENDABLE, ...REPLACEABLE].filter((k) => item.entries.has(k)));
    if (ov.append.size > 0) applyAppend(readUpdate(ov.append, true, expected));
    if (ov.replace.size > 0) {
      const u = readUpdate(ov.replace, false, expected);
      const prev = findPrevRule(c, name, source, ctx);
      if (!prev) throw new RuleLoadError("An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", ctx);
      if (!hasAnyValue(u)) throw new RuleLoadError('The rule must have at least one field that can be replaced', ctx);
      if (u.cond !== undefined) prev.cond = u.cond;
      if (u.output !== undefined) prev.output = u.output;
      if (u.desc !== undefined) prev.desc = u.desc;
      if (u.tags !== undefined) prev.tags = new Set(u.tags);
      if (u.exceptions !== undefined) prev.exceptions = u.exceptions;
      if (u.priority !== undefined) prev.priority = u.priority;
      if (u.enabled !== undefined) prev.enabled = u.enabled;
      if (u.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = u.skipIfUnknownFilter;
      prev.visibility = c.nextId();
    }
    for (const k of expected) throw new RuleLoadError(`Unexpected key '${k}': no corresponding entry under 'override' is defined.`, ctx);
  } else if (appendFlag) {
    const u: RuleUpdate = {};
    if (item.entries.has('condition')) u.cond = val(item, 'condition', ctx) ?? '';
    if (item.entries.has('exceptions')) u.exceptions = readExceptions(c, item, ctx, true);
    applyAppend(u);
  } else if (!item.entries.has('condition') && !item.entries.has('output') && !item.entries.has('desc') && !item.entries.has('priority')) {
    const enabled = boolVal(item, 'enabled', ctx, false) ?? true;
    c.warn("The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').", ctx);
    const prev = c.rules.get(name);
    if (!prev) throw new RuleLoadError("Rule has 'enabled' key but no rule by that name already exists", ctx);
    prev.enabled = enabled;
  } else {
    const cond = val(item, 'condition', ctx) ?? '';
    const condLine = item.entries.get('condition')?.line ?? ctx.line;
    const output = (val(item, 'output', ctx) ?? '').trim();
    const desc = val(item, 'desc', ctx) ?? '';
    const priority = parsePriority(val(item, 'priority', ctx) ?? '');
    if (!priority) throw new RuleLoadError('Invalid priority', { ...ctx, line: item.entries.get('priority')?.line ?? ctx.line });
    const src = val(item, 'source', ctx, { optional: true }) ?? 'syscall';
    const enabled = boolVal(item, 'enabled', ctx, true) ?? true;
    boolVal(item, 'capture', ctx, true);
    boolVal(item, 'warn_evttypes', ctx, true);
    const skip = boolVal(item, 'skip-if-unknown-filter', ctx, true) ?? false;
    const tags = new Set(seqOfScalars(item, 'tags', ctx, true) ?? []);
    const exceptions = readExceptions(c, item, ctx, false);
    findPrevRule(c, name, src, ctx);
    const unknownSource = !c.knownSources.has(src);
    if (unknownSource) c.warn(`Unknown source ${src}, skipping`, ctx);
    for (const ex of exceptions) if (!ex.fields) throw new RuleLoadError('Rule exception item must have fields property with a list of fields', ex.ctx);
    validateExceptions(exceptions);
    defineNamed(c.rules, { name, cond, output, desc, priority, source: src, enabled, tags, exceptions, skipIfUnknownFilter: skip, unknownSource, index: 0, visibility: 0, ctx: { ...ctx, line: condLine } }, c.nextId());
  }
  warnUnknownKeys(c, item, RULE_KEYS, ctx);
}

/** Read one rules file into the collector. Throws RuleLoadError at the first error, as Falco stops there. */
export function readRulesFile(c: Collector, file: string, text: string): void {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new RuleLoadError(`yaml: ${err.message.split('\n')[0] ?? ''}`, { file, line: lc.linePos(err.pos[0]).line });
    if (doc.contents === null) continue;
    const root = toY(doc.contents, lc);
    if (root.k === 'null') continue;
    if (root.k !== 'map' && root.k !== 'seq') throw new RuleLoadError('Rules content is not yaml', { file, line: root.line });
    if (root.k !== 'seq') throw new RuleLoadError('Rules content is not yaml array of objects', { file, line: root.line });
    for (const item of root.items) if (item.k !== 'null') readItem(c, item, file);
  }
}

/** Check required plugin versions against the plugins kspect stands in for. */
export function checkPluginRequirements(c: Collector): void {
  for (const alts of c.requiredPlugins) {
    const ok = alts.some((a) => {
      const have = PLUGINS[a.name];
      const hv = have !== undefined ? parseVersion(have) : undefined;
      const wv = parseVersion(a.version);
      return hv !== undefined && wv !== undefined && compatible(hv, wv);
    });
    if (ok) continue;
    const first = alts[0];
    if (!first) continue;
    const have = PLUGINS[first.name];
    throw new RuleLoadError(
      have === undefined
        ? `Plugin '${first.name}' is required but not loaded (kspect provides ${Object.entries(PLUGINS).map(([n, v]) => `${n} ${v}`).join(', ')})`
        : `Plugin '${first.name}' version '${have}' is not compatible with required plugin version '${first.version}'`,
      { file: '', line: 0 },
    );
  }
}
