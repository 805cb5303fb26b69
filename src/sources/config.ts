/** Reading `.kspect.yaml` and baseline files: the configuration doors of a run. */
import { join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { lazyModule } from '../engines/lazy.js';
import { retiredChecks, sharedOldIds } from '../checks/retired.js';
import { parseBaseline, type Baseline, BASELINE_VERSION } from '../core/baseline.js';
import { EMPTY_CONFIG, parseConfig, type ConfigPath, type KspectConfig } from '../core/config.js';
import { UsageError } from '../core/result.js';
import { readErrorText as errnoText, readRegularText } from './safe-read.js';

/** Largest configuration file read (a baseline may be as large as any input: the default limit). */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** The YAML parser, loaded when there is a configuration file to read (most runs have none). */
const yaml = lazyModule<typeof import('yaml')>('yaml');

export const CONFIG_FILE = '.kspect.yaml';

/**
 * Load the configuration: `explicit` when given (it must exist), else `.kspect.yaml` in `cwd` if present.
 * Throws UsageError with one line on any problem; `warnings` are one line each (file:line: text), for stderr.
 */
export async function loadConfig(
  explicit: string | undefined,
  cwd: string,
  knownChecks: ReadonlySet<string> | (() => Promise<ReadonlySet<string>>),
): Promise<{ config: KspectConfig; file?: string; warnings: readonly string[] }> {
  const file = explicit ?? join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readRegularText(file, { max: MAX_CONFIG_BYTES });
  } catch (e) {
    if (explicit === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return { config: EMPTY_CONFIG, warnings: [] };
    throw new UsageError('config', `${file}: cannot read configuration: ${errnoText(e)}`);
  }
  const lines = new yaml.LineCounter();
  const parsed = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter: lines });
  const syntax = parsed.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw new UsageError('config', `${file}${at ? `:${at.line}:${at.col}` : ''}: ${(syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  let doc: unknown;
  try {
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError('config', `${file}: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
  }
  const { config, issues, warnings } = parseConfig(doc, typeof knownChecks === 'function' ? await knownChecks() : knownChecks, await retiredChecks(), sharedOldIds());
  if (issues.length > 0) {
    // One line per problem, each with the line of the node it is about (or of its nearest parent).
    const located = issues.map((i) => `${file}${lineOf(parsed, lines, i.path)}: ${i.message}`);
    throw new UsageError('config', located.join('; '));
  }
  return { config, file, warnings: warnings.map((w) => `${file}${lineOf(parsed, lines, w.path)}: ${w.message}`) };
}

export async function loadBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readRegularText(file);
  } catch (e) {
    throw new UsageError('baseline', `${file}: cannot read baseline: ${errnoText(e)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError('baseline', `${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = parseBaseline(doc);
  if (!r.ok) throw new UsageError('baseline', `${file}: ${r.error}`);
  return { baselineVersion: BASELINE_VERSION, entries: [...r.fingerprints].map((fingerprint) => ({ fingerprint, checkId: fingerprint.split('|')[0] ?? '' })) };
}

/** `:LINE:COL` of the node at `path` (or of its nearest existing parent), or empty. */
function lineOf(doc: Document, lines: LineCounter, path: ConfigPath): string {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node: unknown = n === 0 ? doc.contents : doc.getIn(sub, true);
    if (yaml.isNode(node) && node.range) {
      // A key's problem (unknown key, unknown check id) points at the key rather than its value.
      const key = n > 0 ? keyNode(doc, sub) : undefined;
      const pos = lines.linePos((key ?? node).range?.[0] ?? 0);
      return `:${pos.line}:${pos.col}`;
    }
  }
  return '';
}

function keyNode(doc: Document, path: ConfigPath): { range?: [number, number, number] | null } | undefined {
  const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (typeof last !== 'string' || !parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
  for (const item of (parent as { items: unknown[] }).items) {
    const k = (item as { key?: unknown }).key;
    if (yaml.isNode(k) && (k as { value?: unknown }).value === last) return k;
  }
  return undefined;
}
