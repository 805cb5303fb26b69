/**
 * Test oracle: a small interpreter of kube-bench's test definitions (test_items with flag / path /
 * env, set, compare ops eq, noteq, gt, gte, lt, lte, has, nothave, valid_elements, bitmask; bin_op;
 * use_multiple_values; the audit_config fallback; manual → WARN; scored → FAIL or WARN).
 * It reads kube-bench's YAML in place (shared/conformance/kube-bench-cis) and is used only by tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const KUBE_BENCH_DIR = '/work/shared/conformance/kube-bench-cis/cfg/cis-1.12';

export interface KbItem {
  readonly flag?: string;
  readonly path?: string;
  readonly env?: string;
  readonly set: boolean;
  readonly compare?: { readonly op: string; readonly value: string };
}

export interface KbCheck {
  readonly id: string;
  readonly text: string;
  readonly audit: string;
  readonly auditConfig?: string;
  readonly type?: string;
  readonly scored: boolean;
  readonly binOp: 'and' | 'or';
  readonly items: readonly KbItem[];
  readonly multiple: boolean;
  readonly automated: boolean;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Load the checks of master.yaml, etcd.yaml and node.yaml. */
export function loadKubeBench(): KbCheck[] {
  const out: KbCheck[] = [];
  for (const f of ['master.yaml', 'etcd.yaml', 'node.yaml']) {
    // Go's yaml.v2 accepts a double-quoted title continued on a less indented line; the yaml package does not.
    const text = readFileSync(join(KUBE_BENCH_DIR, f), 'utf8').replace(/(text: "[^"\n]*)\n\s+([^"\n]*")/g, '$1 $2');
    const doc = parse(text) as { groups: { checks: Record<string, unknown>[] }[] };
    for (const g of doc.groups)
      for (const c of g.checks) {
        const tests = c.tests as { bin_op?: string; test_items?: Record<string, unknown>[] } | undefined;
        const text = str(c.text).replace(/\s+/g, ' ');
        out.push({
          id: str(c.id),
          text,
          audit: str(c.audit),
          ...(c.audit_config !== undefined ? { auditConfig: str(c.audit_config) } : {}),
          ...(c.type !== undefined ? { type: str(c.type) } : {}),
          scored: c.scored === true,
          binOp: tests?.bin_op === 'or' ? 'or' : 'and',
          multiple: c.use_multiple_values === true,
          automated: text.endsWith('(Automated)'),
          items: (tests?.test_items ?? []).map((t) => {
            const cmp = t.compare as { op?: unknown; value?: unknown } | undefined;
            return {
              ...(t.flag !== undefined ? { flag: str(t.flag) } : {}),
              ...(t.path !== undefined ? { path: str(t.path) } : {}),
              ...(t.env !== undefined ? { env: str(t.env) } : {}),
              set: t.set === undefined ? true : t.set === true,
              ...(cmp ? { compare: { op: str(cmp.op), value: str(cmp.value) } } : {}),
            };
          }),
        });
      }
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** kube-bench's flag lookup: substring presence, then `flag(=|: *)*value`, then `flag value`, else bare. */
function findFlag(item: KbItem, s: string): { match: boolean; value: string } {
  const flag = item.flag ?? '';
  if (s === '' || flag === '' || !s.includes(flag)) return { match: false, value: '' };
  const m = new RegExp(`(${escapeRe(flag)})(=|: *)*([^\\s]*) *`).exec(s);
  if (!m) return { match: true, value: '' };
  if (m[3]) return { match: true, value: m[3] };
  if (item.compare) {
    const sp = new RegExp(`${escapeRe(flag)}\\s+([^\\s-][^\\s]*)`).exec(s);
    if (sp?.[1] !== undefined) return { match: true, value: sp[1] };
  }
  return { match: true, value: flag.startsWith('--') ? 'true' : (m[1] ?? '') };
}

function findEnv(item: KbItem, env: string): { match: boolean; value: string } {
  if (!item.env || env === '') return { match: false, value: '' };
  const m = new RegExp(`${escapeRe(item.env)}=(.*)`).exec(env);
  const v = m?.[1] ?? '';
  return v.length > 0 ? { match: true, value: v } : { match: false, value: '' };
}

/** JSONPath subset kube-bench's definitions use: `{.a.b.c}` and `{range .x[:]}{}{','}{end}`. */
function jsonPath(path: string, doc: unknown): string {
  const show = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : str(v));
  const range = /^\{range \.([A-Za-z0-9_.]+)\[:\]\}\{\}\{','\}\{end\}$/.exec(path);
  const walk = (p: string): unknown => p.split('.').reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined), doc);
  if (range?.[1] !== undefined) {
    const arr = walk(range[1]);
    return Array.isArray(arr) ? arr.map((x) => `${show(x)},`).join('') : '';
  }
  const simple = /^\{\.([A-Za-z0-9_.]+)\}$/.exec(path);
  if (!simple?.[1]) throw new Error(`unsupported JSONPath ${path}`);
  return show(walk(simple[1]));
}

function compareOp(op: string, flagVal: string, want: string): boolean {
  switch (op) {
    case 'eq': {
      const v = flagVal.toLowerCase();
      return v === 'false' || v === 'true' ? v === want : flagVal === want;
    }
    case 'noteq': {
      const v = flagVal.toLowerCase();
      return v === 'false' || v === 'true' ? v !== want : flagVal !== want;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = /^[+-]?\d+$/.test(flagVal.trim()) ? Number(flagVal.trim()) : NaN;
      const b = Number(want.trim());
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
    case 'has':
      return flagVal.includes(want);
    case 'nothave':
      return !flagVal.includes(want);
    case 'regex':
      return new RegExp(want).test(flagVal);
    case 'valid_elements': {
      const split = (s: string): string[] => {
        const t = s.trim().replace(/,+$/, '');
        return t === '' ? [] : t.split(',').map((x) => x.trim());
      };
      const s = split(flagVal);
      const t = split(want);
      if (s.length === 0 && t.length === 0) return true;
      if (s.length === 0 || t.length === 0) return false;
      return s.every((x) => t.includes(x));
    }
    case 'bitmask': {
      if (!/^[0-7]+$/.test(flagVal)) return false;
      const req = parseInt(flagVal, 8);
      const max = parseInt(want, 8);
      return (max & req) === req;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

type Mode = 'command' | 'config';

function evalItem(item: KbItem, s: string, mode: Mode, env: string): boolean {
  let found: { match: boolean; value: string };
  if (mode === 'config') {
    if (item.path === undefined) return false;
    let doc: unknown;
    try {
      doc = parse(s);
    } catch {
      return false;
    }
    const v = jsonPath(item.path, doc);
    found = { match: v !== '', value: v };
  } else {
    found = findFlag(item, s);
    if (!found.match && item.env) found = findEnv(item, env);
  }
  if (!item.set) return !found.match;
  if (found.match && item.compare) return compareOp(item.compare.op, found.value, item.compare.value);
  return found.match;
}

function execute(items: readonly KbItem[], binOp: 'and' | 'or', output: string, multiple: boolean, mode: Mode, env: string): boolean {
  const s = output.replace(/[ \n]+$/, '');
  const rows = multiple ? s.split('\n') : [s];
  const itemResult = (it: KbItem): boolean => {
    for (const row of rows) if (!evalItem(it, row, mode, env)) return false;
    return true;
  };
  const results = items.map(itemResult);
  return binOp === 'or' ? results.some(Boolean) : results.every(Boolean);
}

export type KbState = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

/** Run a check on simulated audit output (and config text for audit_config, env lines for env items). */
export function runKubeBench(check: KbCheck, auditOutput: string, configOutput?: string, envOutput = ''): KbState {
  if (check.scored && (check.type === undefined || check.type.trim() === '') && check.items.length === 0) return 'WARN';
  if (check.type === 'skip') return 'INFO';
  if (check.type === 'manual') return 'WARN';
  let ok = execute(check.items, check.binOp, auditOutput, check.multiple, 'command', envOutput);
  if (!ok && check.auditConfig !== undefined && configOutput !== undefined) {
    const pathItems = check.items.map((i) => ({ ...(i.path !== undefined ? { path: i.path } : {}), set: i.set, ...(i.compare ? { compare: i.compare } : {}) }));
    ok = execute(pathItems, check.binOp, configOutput, check.multiple, 'config', envOutput);
  }
  if (ok) return 'PASS';
  return check.scored ? 'FAIL' : 'WARN';
}
