/** Test helpers: where the shared conformance data and corpus are, and loading YAML into an index. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { K8sObject } from '../../model/object.js';
import { parseManifests } from '../../sources/yaml.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

/** `../shared/<sub>` relative to the repository (or to its parent, for worktrees), if present. */
export function sharedDir(sub: string): string | undefined {
  for (const base of [join(REPO, '..', 'shared'), join(REPO, '..', '..', 'shared')]) {
    const d = join(base, sub);
    if (existsSync(d)) return d;
  }
  return undefined;
}

export function loadYamlFile(file: string): K8sObject[] {
  const parsed = parseManifests(readFileSync(file, 'utf8'), file, { type: 'file', uri: file });
  if (parsed.problems.some((p) => p.severity === 'error')) throw new Error(`${file}: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.objects;
}

export function loadYamlText(text: string, file = 'input.yaml'): K8sObject[] {
  return parseManifests(text, file, { type: 'file', uri: file }).objects;
}

/** Every .yaml/.yml file under a folder, recursively, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function loadFolder(dir: string): K8sObject[] {
  return yamlFilesUnder(dir).flatMap((f) => parseManifests(readFileSync(f, 'utf8'), f, { type: 'file', uri: f }).objects);
}
