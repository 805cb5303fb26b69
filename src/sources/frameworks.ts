/**
 * Reads the framework data shipped in data/frameworks/ (the only I/O of the framework views) and validates it.
 * A broken data file is a bug of the package, not a user's mistake: it throws.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FRAMEWORK_FILES, MAPPINGS_FILE, parseFrameworkData, type FrameworkData } from '../engines/frameworks/data.js';

/** The folder of the shipped data. */
export const FRAMEWORKS_DIR = fileURLToPath(new URL('../../data/frameworks/', import.meta.url));

let cached: Promise<FrameworkData> | undefined;

/** The framework data, read once per process. */
export function loadFrameworkData(dir: string = FRAMEWORKS_DIR): Promise<FrameworkData> {
  if (dir === FRAMEWORKS_DIR && cached) return cached;
  const p = (async () => {
    const files: Record<string, unknown> = {};
    for (const name of [...Object.values(FRAMEWORK_FILES), MAPPINGS_FILE]) files[name] = JSON.parse(await readFile(`${dir}/${name}`, 'utf8')) as unknown;
    const { data, errors } = parseFrameworkData(files);
    if (errors.length > 0) throw new Error(`framework data in ${dir} is broken: ${errors.join('; ')}`);
    return data;
  })();
  if (dir === FRAMEWORKS_DIR) cached = p;
  return p;
}
