/**
 * Compiling collected rules the way Falco does (rule_loader_compiler.cpp; learned from, not copied): list items are
 * expanded (one level, by visibility), list names in conditions are substituted textually, macros are parsed and
 * resolved by visibility (an undefined macro or a reference loop is a load error, even in an unused macro),
 * exceptions become `and not (...)` clauses, and each k8s_audit rule's condition is checked against the fields of
 * the k8saudit and json plugins (unknown fields, bad arguments, operators a field type does not support) and turned
 * into an evaluator. Operators and transformers kspect does not implement (`regex`, `oneof`/`anyof`/`allof`,
 * `join`, `concat`, `getopt`) are load errors, never approximations.
 */
import { cacheOf, extract, fieldSpec, NOT_EXTRACTED, parseFieldArg, type Extracted, type FalcoEvent, type FieldArg, type FieldSpec } from './fields.js';
import { byteCompare, globMatch, icontains, PathPrefixSearch } from './match.js';
import { ConditionParser, ParseError, parseCondition, type Expr, type Operand, type Pos, type Rhs } from './parser.js';
import { RuleLoadError, type Collector, type Ctx, type ExceptionInfo, type LoadMessage, type Priority } from './rules.js';
import { trimEndChar } from '../../core/text.js';

export const K8S_AUDIT_SOURCE = 'k8s_audit';

export type Evaluator = (ev: FalcoEvent) => boolean;

/** An output format: literal text and fields, rendered per event. */
export interface OutputFormat {
  readonly text: string;
  render(ev: FalcoEvent): string;
  /** Fields the output reads. */
  readonly fields: readonly string[];
}

export interface CompiledRule {
  readonly name: string;
  readonly description: string;
  readonly priority: Priority;
  readonly source: string;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly condition: string;
  readonly match: Evaluator;
  readonly output: OutputFormat;
  /** Fields the condition reads (after macros), for coverage analysis. */
  readonly fields: readonly string[];
  /** The resolved condition, for coverage analysis. */
  readonly ast: Expr;
  readonly ctx: Ctx;
  /** Values the condition requires of plain fields (see guardsOf): an event outside them cannot match. */
  readonly guards: Guards;
}

/** Per field key (`name\0arg`): the only values for which the condition can hold. A key not listed is unconstrained. */
export type Guards = ReadonlyMap<string, ReadonlySet<string>>;

/** The memo and guard key of a field with its argument. */
export function fieldKey(name: string, arg: string | undefined): string {
  return `${name}\u0000${arg ?? ''}`;
}

/**
 * What a condition requires of single-valued fields, read off its shape: `f = v` and `f in (…)` (and `intersects`,
 * which is `in` on a single value) require f's value in the set; `and` requires what any child requires (the
 * intersection); `or` what every child requires (the union); anything else (not, exists, other operators,
 * transformers, list fields) requires nothing. Exact: a field that is not extracted makes those comparisons false,
 * so an event whose value is missing or outside the set cannot satisfy the condition.
 */
export function guardsOf(e: Expr): Map<string, Set<string>> {
  switch (e.t) {
    case 'macro':
      return guardsOf(e.child);
    case 'and': {
      const out = new Map<string, Set<string>>();
      for (const c of e.children)
        for (const [k, vs] of guardsOf(c)) {
          const had = out.get(k);
          out.set(k, had ? new Set([...had].filter((v) => vs.has(v))) : vs);
        }
      return out;
    }
    case 'or': {
      const [first, ...rest] = e.children.map(guardsOf);
      if (!first) return new Map();
      const out = new Map<string, Set<string>>();
      for (const [k, vs] of first) {
        const all = new Set(vs);
        let everywhere = true;
        for (const g of rest) {
          const o = g.get(k);
          if (!o) {
            everywhere = false;
            break;
          }
          for (const v of o) all.add(v);
        }
        if (everywhere) out.set(k, all);
      }
      return out;
    }
    case 'binary': {
      if (e.left.t !== 'field' || !['=', '==', 'in', 'intersects'].includes(e.op)) return new Map();
      const spec = fieldSpec(e.left.name);
      if (!spec || spec.list) return new Map();
      if (e.right.t === 'value') return new Map([[fieldKey(e.left.name, e.left.arg), new Set([e.right.value])]]);
      if (e.right.t === 'list') return new Map([[fieldKey(e.left.name, e.left.arg), new Set(e.right.values)]]);
      return new Map();
    }
    default:
      return new Map();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lists

interface CompiledList {
  readonly name: string;
  readonly items: readonly string[];
  used: boolean;
  readonly ctx: Ctx;
}

function quoteItem(e: string): string {
  return e.includes(' ') && !e.startsWith('"') && !e.startsWith("'") ? `"${e}"` : e;
}

const LIST_DELIMS = ' \t\n\r(),=';
const LIST_BLANKS = ' \t\n\r';

/** Falco's textual list substitution: every occurrence of the name between delimiters becomes the items. */
function resolveList(cond: string, list: CompiledList): string {
  let cnd = cond;
  let start = cnd.indexOf(list.name);
  while (start >= 0) {
    let end = start + list.name.length;
    if ((start === 0 || LIST_DELIMS.includes(cnd[start - 1] ?? '')) && (end >= cnd.length || LIST_DELIMS.includes(cnd[end] ?? ''))) {
      while (start > 0 && LIST_BLANKS.includes(cnd[start - 1] ?? '')) start--;
      while (end < cnd.length && LIST_BLANKS.includes(cnd[end] ?? '')) end++;
      const sub = list.items.map(quoteItem).join(', ');
      if (sub === '') {
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      cnd = `${start > 0 ? `${cnd.slice(0, start)} ` : ''}${sub} ${cnd.slice(end)}`;
      start += sub.length + 1;
      list.used = true;
    }
    start = cnd.indexOf(list.name, start + 1);
  }
  return cnd;
}

function compileLists(c: Collector): CompiledList[] {
  const out: CompiledList[] = [];
  const used = new Set<string>();
  for (const l of c.lists.values()) {
    const items: string[] = [];
    for (const item of l.items) {
      const ref = c.lists.get(item);
      if (ref && ref.index < l.visibility) {
        used.add(ref.name);
        items.push(...ref.items);
      } else items.push(item);
    }
    out.push({ name: l.name, items, used: false, ctx: l.ctx });
  }
  for (const l of out) if (used.has(l.name)) l.used = true;
  return out;
}

function parseWithLists(condition: string, lists: readonly CompiledList[], ctx: Ctx): Expr {
  let cond = condition;
  for (const l of lists) cond = resolveList(cond, l);
  try {
    return parseCondition(cond, 1000);
  } catch (e) {
    if (e instanceof ParseError) throw new RuleLoadError(`${e.message} (in condition: ${cond.trim().slice(0, 200)})`, { ...ctx, line: ctx.line + e.pos.line - 1 });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Macros

function clone(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e)) as Expr;
}

function resolveMacros(e: Expr, visible: ReadonlyMap<string, Expr>, path: readonly string[], used: Set<string>, ctx: Ctx): Expr {
  switch (e.t) {
    case 'and':
    case 'or':
      return { ...e, children: e.children.map((c) => resolveMacros(c, visible, path, used, ctx)) };
    case 'not':
      return { ...e, child: resolveMacros(e.child, visible, path, used, ctx) };
    case 'macro':
      return { ...e, child: resolveMacros(e.child, visible, path, used, ctx) };
    case 'id': {
      const m = visible.get(e.name);
      if (!m) throw new RuleLoadError(`Undefined macro '${e.name}' used in filter.`, ctx);
      if (path.includes(e.name)) throw new RuleLoadError(`reference loop in macro '${e.name}'`, ctx);
      used.add(e.name);
      return { t: 'macro', name: e.name, child: resolveMacros(clone(m), visible, [...path, e.name], used, ctx), pos: e.pos };
    }
    default:
      return e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions → condition

function buildExceptions(exceptions: readonly ExceptionInfo[], condition: string): string {
  let cond = `(${condition})`;
  const isListOp = (op: string): boolean => ['in', 'intersects', 'pmatch'].includes(op) || /^[a-z]+ (oneof|anyof|allof)$/.test(op);
  for (const ex of exceptions) {
    let icond = '';
    const fields = ex.fields;
    const comps = ex.comps;
    if (!fields || !comps) continue;
    if (!fields.isList) {
      for (const v of ex.values) {
        if (v.isList) throw new RuleLoadError('Expected values array to contain a list of strings', ex.ctx);
        icond += icond === '' ? `(${fields.item} ${comps.item} (` : ', ';
        icond += quoteItem(v.item);
      }
      icond += icond === '' ? '' : '))';
    } else {
      icond = '(';
      for (const values of ex.values) {
        if (fields.items.length !== values.items.length) throw new RuleLoadError('Fields and values lists must have equal length', ex.ctx);
        icond += icond === '(' ? '' : ' or ';
        icond += '(';
        fields.items.forEach((field, k) => {
          const vk = values.items[k];
          const op = comps.items[k]?.item.trim() ?? '=';
          let istr: string;
          if (vk?.isList) istr = `(${vk.items.map((x) => quoteItem(x.item)).join(', ')})`;
          else {
            istr = vk?.item ?? '';
            istr = isListOp(op) ? (istr.startsWith('(') ? istr : `(${istr})`) : quoteItem(istr);
          }
          icond += `${k === 0 ? '' : ' and '} ${field.item} ${op} ${istr}`;
        });
        icond += ')';
      }
      icond += ')';
      if (icond === '()') icond = '';
    }
    if (icond !== '') cond += ` and not ${icond}`;
  }
  return cond;
}

// ---------------------------------------------------------------------------------------------------------------
// Field checks → evaluators

const STRING_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'exists', 'icontains', 'startswith', 'glob', 'pmatch', 'endswith', 'intersects', 'iglob', 'regex']);
const NUMERIC_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists']);
const LIST_FIELD_OPS = new Set(['in', 'intersects', 'exists']);
const KSPECT_UNSUPPORTED: Readonly<Record<string, string>> = {
  regex: "the 'regex' operator is not supported by kspect (it would need RE2 semantics); use glob, startswith, endswith or contains",
};
const UNSUPPORTED_TRANSFORMERS = new Set(['join', 'concat', 'getopt']);

interface Operandc {
  readonly type: 'string' | 'number';
  readonly list: boolean;
  readonly get: (ev: FalcoEvent) => Extracted | number | readonly number[];
  readonly fields: readonly string[];
}

class CompileError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
    readonly unknownField = false,
  ) {
    super(message);
  }
}

function b64decode(s: string): string | undefined {
  const t = trimEndChar(s, '=');
  if (!/^[A-Za-z0-9+/]*$/.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64').toString('latin1');
}

function compileOperand(op: Operand, memo?: MacroMemo): Operandc {
  if (op.t === 'field') {
    const spec: FieldSpec | undefined = fieldSpec(op.name);
    if (!spec) throw new CompileError(`filter_check called with nonexistent field ${op.name}`, op.pos, true);
    const a = parseFieldArg(spec, op.arg);
    if (!a.ok) throw new CompileError(`filter '${op.name}${op.arg !== undefined ? `[${op.arg}]` : ''}': ${a.error}`, op.pos);
    const arg: FieldArg = a.arg;
    if (!memo) return { type: 'string', list: spec.list, get: (ev) => extract(spec, ev, arg), fields: [spec.name] };
    // Extraction is pure: each distinct field (with its argument) is extracted once per event, whichever rules read it.
    const key = fieldKey(op.name, op.arg);
    let slot = memo.fieldSlots.get(key);
    if (slot === undefined) {
      slot = memo.fieldSlots.size;
      memo.fieldSlots.set(key, slot);
    }
    const at = slot;
    return {
      type: 'string',
      list: spec.list,
      fields: [spec.name],
      get: (ev) => {
        const f = cacheOf(ev, memo).fields;
        const c = f[at];
        if (c !== undefined) return c === NOT_EXTRACTED ? undefined : c;
        const v = extract(spec, ev, arg);
        f[at] = v ?? NOT_EXTRACTED;
        return v;
      },
    };
  }
  if (UNSUPPORTED_TRANSFORMERS.has(op.name)) throw new CompileError(`the '${op.name}' transformer is not supported by kspect`, op.pos);
  if (op.name === 'val') throw new CompileError("'val' may only appear on the right-hand side of a comparison", op.pos);
  if (op.args.length !== 1) throw new CompileError(`transformer '${op.name}' expects exactly one argument`, op.pos);
  const inner = op.args[0];
  if (!inner || (inner.t !== 'field' && inner.t !== 'transformer')) throw new CompileError(`transformer '${op.name}' expects a field argument`, op.pos);
  const src = compileOperand(inner, memo);
  if (op.arg !== undefined) throw new CompileError(`transformer '${op.name}' does not take an argument`, op.pos);
  const mapStr = (f: (s: string) => string | undefined): Operandc => {
    if (src.type !== 'string') throw new CompileError(`field type not supported by ${op.name}() transformer`, op.pos);
    return {
      type: 'string',
      list: src.list,
      fields: src.fields,
      get: (ev) => {
        const v = src.get(ev) as Extracted;
        if (v === undefined) return undefined;
        if (typeof v === 'string') return f(v);
        const out: string[] = [];
        for (const x of v) {
          const y = f(x);
          if (y === undefined) return undefined;
          out.push(y);
        }
        return out;
      },
    };
  };
  switch (op.name) {
    case 'tolower':
      return mapStr((s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()));
    case 'toupper':
      return mapStr((s) => s.replace(/[a-z]/g, (c) => c.toUpperCase()));
    case 'basename':
      return mapStr((s) => s.slice(s.lastIndexOf('/') + 1));
    case 'b64':
      return mapStr(b64decode);
    case 'len':
      if (src.type !== 'string') throw new CompileError('field type not supported by len() transformer', op.pos);
      return {
        type: 'number',
        list: false,
        fields: src.fields,
        get: (ev) => {
          const v = src.get(ev) as Extracted;
          if (v === undefined) return undefined;
          if (typeof v === 'string') {
            const nul = v.indexOf('\0');
            return Buffer.byteLength(nul >= 0 ? v.slice(0, nul) : v, 'utf8');
          }
          return v.length;
        },
      };
    default:
      throw new CompileError(`unknown transformer '${op.name}'`, op.pos);
  }
}

function parseNumber(s: string, pos: Pos): number {
  const n = /^0[xX]/.test(s) ? parseInt(s, 16) : Number(s);
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) throw new CompileError(`could not parse "${s}" as a number`, pos);
  return n;
}

/** Equality and order, the part of Falco's comparison operators strings and numbers share; `c` is a three-way comparison. */
function compareOrdered(op: string, equal: boolean, c: () => number): boolean {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return c() < 0;
    case '<=':
      return c() <= 0;
    case '>':
      return c() > 0;
    case '>=':
      return c() >= 0;
    default:
      return false;
  }
}

function compareStrings(op: string, a: string, b: string): boolean {
  switch (op) {
    case 'contains':
      return a.includes(b);
    case 'icontains':
      return icontains(a, b);
    case 'startswith':
      return a.startsWith(b);
    case 'endswith':
      return a.endsWith(b);
    case 'glob':
      return globMatch(b, a);
    case 'iglob':
      return globMatch(b, a, true);
    default:
      return compareOrdered(op, a === b, () => byteCompare(a, b));
  }
}

function compareNumbers(op: string, a: number, b: number): boolean {
  return compareOrdered(op, a === b, () => (a < b ? -1 : a > b ? 1 : 0));
}

function compileCheck(e: Extract<Expr, { t: 'unary' | 'binary' }>, fields: Set<string>, memo?: MacroMemo): Evaluator {
  const left = compileOperand(e.left, memo);
  for (const f of left.fields) fields.add(f);
  if (e.t === 'unary') {
    return (ev) => {
      const v = left.get(ev);
      return v !== undefined && !(Array.isArray(v) && v.length === 0);
    };
  }
  const op = e.op;
  if (/ (oneof|anyof|allof)$/.test(op)) throw new CompileError(`the '${op}' operator modifier is not supported by kspect`, e.pos);
  const unsupported = KSPECT_UNSUPPORTED[op];
  if (unsupported !== undefined) throw new CompileError(unsupported, e.pos);
  if (left.list && !LIST_FIELD_OPS.has(op)) throw new CompileError(`'${op}' operator not supported list filters`, e.pos);
  if (!left.list && left.type === 'string' && !STRING_OPS.has(op)) throw new CompileError(`'${op}' operator not supported for string filters`, e.pos);
  if (left.type === 'number' && !NUMERIC_OPS.has(op)) throw new CompileError(`'${op}' operator not supported for numeric filters`, e.pos);
  const listOp = op === 'in' || op === 'intersects' || op === 'pmatch';
  const rhs: Rhs = e.right;

  if (rhs.t === 'transformer') {
    // val(field) or a transformer: compare with another field's value.
    const other = rhs.name === 'val' ? compileOperand(rhs.args[0] as Operand, memo) : compileOperand(rhs, memo);
    for (const f of other.fields) fields.add(f);
    if (other.list || left.list) throw new CompileError('field-to-field comparisons of list fields are not supported by kspect', e.pos);
    if (listOp) throw new CompileError(`'${op}' needs a list of values, not a field`, e.pos);
    if (other.type !== left.type) throw new CompileError('field-to-field comparison of different types', e.pos);
    return (ev) => {
      const a = left.get(ev);
      const b = other.get(ev);
      if (a === undefined || b === undefined) return false;
      return left.type === 'number' ? compareNumbers(op, a as number, b as number) : compareStrings(op, a as string, b as string);
    };
  }

  const values: readonly string[] = rhs.t === 'list' ? rhs.values : [rhs.value];
  if (listOp && rhs.t !== 'list') throw new CompileError(`operator '${op}' needs a list of values, e.g. (a, b): "${rhs.value}" is not a defined list`, e.pos);
  if (!listOp && rhs.t === 'list') throw new CompileError(`operator '${op}' takes one value, not a list`, e.pos);

  if (left.type === 'number') {
    const nums = new Set(values.map((v) => parseNumber(v, rhs.pos)));
    const one = [...nums][0] ?? 0;
    return (ev) => {
      const a = left.get(ev);
      if (typeof a !== 'number') return false;
      return listOp ? nums.has(a) : compareNumbers(op, a, one);
    };
  }
  if (op === 'pmatch') {
    const search = new PathPrefixSearch(values);
    return (ev) => {
      const a = left.get(ev);
      return typeof a === 'string' && search.match(a);
    };
  }
  if (listOp) {
    const set = new Set(values);
    if (left.list)
      return op === 'in'
        ? (ev) => {
            const a = left.get(ev) as Extracted;
            if (a === undefined || typeof a === 'string' || a.length === 0) return false;
            for (const x of a) if (!set.has(x)) return false;
            return true;
          }
        : (ev) => {
            const a = left.get(ev) as Extracted;
            if (a === undefined || typeof a === 'string') return false;
            for (const x of a) if (set.has(x)) return true;
            return false;
          };
    return (ev) => {
      const a = left.get(ev);
      return typeof a === 'string' && set.has(a);
    };
  }
  const b = values[0] ?? '';
  if (op === '=' || op === '==')
    return (ev) => left.get(ev) === b;
  return (ev) => {
    const a = left.get(ev);
    return typeof a === 'string' && compareStrings(op, a, b);
  };
}

/** The fields an expression reads (for a memoised macro compiled earlier). */
function collectFields(e: Expr, fields: Set<string>): void {
  switch (e.t) {
    case 'and':
    case 'or':
      e.children.forEach((c) => { collectFields(c, fields); });
      return;
    case 'not':
    case 'macro':
      collectFields(e.child, fields);
      return;
    case 'id':
      return;
    default: {
      const walk = (o: unknown): void => {
        if (!o || typeof o !== 'object') return;
        const n = o as { t?: string; name?: string; args?: unknown[] };
        if (n.t === 'field' && n.name !== undefined) fields.add(n.name);
        if (n.t === 'transformer') (n.args ?? []).forEach(walk);
      };
      walk(e.left);
      if (e.t === 'binary') walk(e.right);
    }
  }
}

/** Evaluators shared by every rule: one per distinct macro body, its result memoised per event in a slot. */
export interface MacroMemo {
  readonly slots: Map<string, Evaluator>;
  /** A slot per distinct field and argument: its value is extracted once per event (FalcoEvent.f). */
  readonly fieldSlots: Map<string, number>;
}

function compileExpr(e: Expr, fields: Set<string>, memo?: MacroMemo): Evaluator {
  switch (e.t) {
    case 'macro': {
      if (!memo) return compileExpr(e.child, fields);
      const key = JSON.stringify(e.child);
      const known = memo.slots.get(key);
      if (known) {
        collectFields(e.child, fields);
        return known;
      }
      const inner = compileExpr(e.child, fields, memo);
      const slot = memo.slots.size;
      const ev: Evaluator = (x) => {
        const m = cacheOf(x, memo).macros;
        const c = m[slot];
        if (c !== undefined) return c;
        const r = inner(x);
        m[slot] = r;
        return r;
      };
      memo.slots.set(key, ev);
      return ev;
    }
    case 'and': {
      const cs = e.children.map((c) => compileExpr(c, fields, memo));
      return (ev) => {
        for (const c of cs) if (!c(ev)) return false;
        return true;
      };
    }
    case 'or': {
      const cs = e.children.map((c) => compileExpr(c, fields, memo));
      return (ev) => {
        for (const c of cs) if (c(ev)) return true;
        return false;
      };
    }
    case 'not': {
      const c = compileExpr(e.child, fields, memo);
      return (ev) => !c(ev);
    }
    case 'id':
      throw new CompileError(`Undefined macro '${e.name}' used in filter.`, e.pos);
    default:
      return compileCheck(e, fields, memo);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output formats

const NA = '<NA>';

/** Compile an output format; unknown fields are errors. A leading `*` is allowed, as Falco prepends one. */
export function compileOutput(format: string): OutputFormat {
  const text = format.startsWith('*') ? format.slice(1) : format;
  if (text === '') throw new CompileError('empty formatting token', { idx: 0, line: 1, col: 1 });
  type Tok = { lit: string } | { get: (ev: FalcoEvent) => Extracted | number | readonly number[]; width: number };
  const toks: Tok[] = [];
  const fields: string[] = [];
  let lit = '';
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== '%') {
      lit += text[j] ?? '';
      continue;
    }
    if (lit !== '') toks.push({ lit });
    lit = '';
    if (j === text.length - 1) throw new CompileError('invalid formatting syntax: formatting cannot end with a %', { idx: j, line: 1, col: j + 1 });
    let width = 0;
    const digits = /^\d+/.exec(text.slice(j + 1));
    if (digits) {
      width = Number(digits[0]);
      j += digits[0].length;
      if (j >= text.length - 1) throw new CompileError('invalid formatting syntax: formatting cannot end with a number', { idx: j, line: 1, col: j + 1 });
    }
    const rest = text.slice(j + 1);
    let found: { get: Operandc['get']; len: number; names: readonly string[] } | undefined;
    let lastError = '';
    for (let size = Math.min(rest.length, 512); size > 0 && !found; size--) {
      try {
        const p = new ConditionParser(rest.slice(0, size));
        const { expr, length } = p.parseFieldOrTransformer();
        const c = compileOperand(expr);
        found = { get: c.get, len: length, names: c.fields };
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    if (!found) throw new CompileError(`invalid formatting token %${rest.split(/[\s)(]/)[0] ?? ''}: unknown filter: ${lastError}`, { idx: j, line: 1, col: j + 1 }, true);
    fields.push(...found.names);
    toks.push({ get: found.get, width });
    j += found.len;
  }
  if (lit !== '') toks.push({ lit });
  return {
    text: format,
    fields,
    render(ev) {
      let out = '';
      for (const t of toks) {
        if ('lit' in t) {
          out += t.lit;
          continue;
        }
        const v = t.get(ev);
        let s = v === undefined ? NA : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : `(${v.join(',')})`;
        if (t.width > 0) s = s.length > t.width ? s.slice(0, t.width) : s.padEnd(t.width, ' ');
        out += s;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface CompileResult {
  /** Rules of the k8s_audit source, in Falco's order (definition order; a redefined rule keeps its place). */
  readonly rules: readonly CompiledRule[];
  /** Rules skipped because their source is not k8s_audit, by source. */
  readonly skippedSources: Readonly<Record<string, number>>;
  readonly messages: readonly LoadMessage[];
  /** The extractor of a guard key, sharing the rules' per-event memo (undefined for a key that is not a plain field). */
  readonly field: (key: string) => FieldGetter | undefined;
}

/** Compile everything collected. Throws RuleLoadError at the first error, as Falco does. */
export function compileRules(c: Collector): CompileResult {
  const messages: LoadMessage[] = [...c.messages];
  const lists = compileLists(c);
  // Macros: parse all (syntax errors fail even unused macros), then resolve in definition order by visibility.
  const macroInfos = [...c.macros.values()].sort((a, b) => a.index - b.index);
  const macroAst = new Map<string, Expr>();
  for (const m of macroInfos) macroAst.set(m.name, parseWithLists(m.cond, lists, m.ctx));
  const used = new Set<string>();
  for (const m of macroInfos) {
    const visible = new Map<string, Expr>();
    for (const o of macroInfos) if (o.index < m.visibility) visible.set(o.name, macroAst.get(o.name) as Expr);
    macroAst.set(m.name, resolveMacros(macroAst.get(m.name) as Expr, visible, [], used, m.ctx));
  }
  const allMacros = new Map(macroInfos.map((m) => [m.name, macroAst.get(m.name) as Expr]));

  const rules: CompiledRule[] = [];
  const skipped: Record<string, number> = {};
  const memo: MacroMemo = { slots: new Map(), fieldSlots: new Map() };
  for (const r of [...c.rules.values()].sort((a, b) => a.index - b.index)) {
    if (r.unknownSource) {
      skipped[r.source] = (skipped[r.source] ?? 0) + 1;
      continue;
    }
    const condition = r.exceptions.length > 0 ? buildExceptions(r.exceptions, r.cond) : r.cond;
    let output: OutputFormat;
    try {
      output = compileOutput(r.output);
    } catch (e) {
      if (e instanceof CompileError) {
        if (e.unknownField && r.skipIfUnknownFilter) {
          messages.push({ severity: 'warning', message: e.message, ctx: r.ctx });
          continue;
        }
        throw new RuleLoadError(`${e.message} (in the output of rule '${r.name}')`, r.ctx);
      }
      throw e;
    }
    const ast = resolveMacros(parseWithLists(condition, lists, r.ctx), allMacros, [], used, r.ctx);
    const fields = new Set<string>();
    let match: Evaluator;
    try {
      match = compileExpr(ast, fields, memo);
    } catch (e) {
      if (e instanceof CompileError) {
        if (e.unknownField && r.skipIfUnknownFilter) {
          messages.push({ severity: 'warning', message: e.message, ctx: r.ctx });
          continue;
        }
        throw new RuleLoadError(`${e.message} (in rule '${r.name}')`, r.ctx);
      }
      throw e;
    }
    for (const f of fields) {
      const spec = fieldSpec(f);
      if (spec?.deprecated !== undefined) messages.push({ severity: 'warning', message: `rule '${r.name}' reads deprecated field ${f} (${spec.deprecated})`, ctx: r.ctx });
    }
    rules.push({ name: r.name, description: r.desc, priority: r.priority, source: r.source, enabled: r.enabled, tags: [...r.tags].sort(), condition, match, output, fields: [...fields].sort(), ast, ctx: r.ctx, guards: guardsOf(ast) });
  }
  for (const m of macroInfos) if (!used.has(m.name)) messages.push({ severity: 'warning', message: 'Macro not referred to by any other rule/macro', ctx: m.ctx });
  for (const l of lists) if (!l.used) messages.push({ severity: 'warning', message: 'List not referred to by any other rule/macro', ctx: l.ctx });
  const field = (key: string): FieldGetter | undefined => {
    const cut = key.indexOf('\u0000');
    const name = key.slice(0, cut);
    const arg = key.slice(cut + 1);
    const spec = fieldSpec(name);
    if (!spec || spec.list) return undefined;
    try {
      const op = compileOperand({ t: 'field', name, ...(arg !== '' || spec.arg === 'key' ? { arg } : {}), pos: { idx: 0, line: 1, col: 1 } }, memo);
      return op.get as FieldGetter;
    } catch {
      return undefined;
    }
  };
  return { rules, skippedSources: skipped, messages, field };
}

/** A single-valued field's value on an event (memoised with the rules' own extractions). */
export type FieldGetter = (ev: FalcoEvent) => string | undefined;

/** An evaluator for one comparison (coverage analysis evaluates leaves on synthetic events). */
export function compileLeaf(e: Expr): Evaluator {
  return compileExpr(e, new Set());
}
