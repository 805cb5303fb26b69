/** Reading `.kspect.yaml` and baseline files: the configuration doors of a run. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseBaseline, type Baseline, BASELINE_VERSION } from '../core/baseline.js';
import { EMPTY_CONFIG, parseConfig, type KspectConfig } from '../core/config.js';
import { UsageError } from '../core/result.js';
import { errnoText } from './files.js';

export const CONFIG_FILE = '.kspect.yaml';

/**
 * Load the configuration: `explicit` when given (it must exist), else `.kspect.yaml` in `cwd` if present.
 * Throws UsageError with one line on any problem.
 */
export async function loadConfig(explicit: string | undefined, cwd: string, knownChecks: ReadonlySet<string>): Promise<{ config: KspectConfig; file?: string }> {
  const file = explicit ?? join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (explicit === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return { config: EMPTY_CONFIG };
    throw new UsageError('config', `${file}: cannot read configuration: ${errnoText(e)}`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    throw new UsageError('config', `${file}: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
  }
  const { config, errors } = parseConfig(doc, knownChecks);
  if (errors.length > 0) throw new UsageError('config', `${file}: ${errors.join('; ')}`);
  return { config, file };
}

export async function loadBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
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
