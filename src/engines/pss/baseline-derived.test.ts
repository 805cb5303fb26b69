/**
 * The baseline evaluation derived from a denied restricted one (evaluateViewWithBaseline) is exactly a baseline
 * evaluation of its own: on every upstream admission fixture (../shared/conformance/pod-security-admission) and every
 * pod-bearing object of the corpus and the examples, at the policy versions where restricted's replacements change.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { parseManifests } from '../../sources/yaml.js';
import { PSS_NEWEST_MINOR } from './checks.js';
import { evaluateView, evaluateViewWithBaseline } from './evaluate.js';
import { decodePod } from './pod.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

function shared(): string | undefined {
  for (const up of ['..', '../..']) {
    const dir = resolve(REPO_ROOT, up, 'shared');
    if (existsSync(join(dir, 'conformance'))) return dir;
  }
  return undefined;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function objects(files: readonly string[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const o of parseManifests(text, f, { type: 'file', uri: f }).objects) if (podSpecOf(o)) out.push(o);
  }
  return out;
}

/** Versions on each side of every change of which baseline controls restricted replaces (v1.19, v1.22, v1.35), and latest. */
const MINORS = [18, 19, 22, 35, PSS_NEWEST_MINOR + 1];

describe('baseline derived from restricted equals baseline evaluated alone', () => {
  const root = shared();
  it('finds the shared data', () => {
    expect(root).toBeDefined();
  });
  if (!root) return;
  const pods = objects([...yamlFiles(join(root, 'conformance/pod-security-admission')), ...yamlFiles(join(root, 'corpus')), ...yamlFiles(join(REPO_ROOT, 'examples'))]);
  it(`on ${pods.length} pods and templates at the versions where replacements change`, { timeout: 180_000 }, () => {
    expect(pods.length).toBeGreaterThan(4000);
    let denied = 0;
    for (const obj of pods) {
      const view = podSpecOf(obj);
      if (!view) continue;
      const pod = decodePod({ spec: view.spec, specPath: view.path, metadata: view.metadata, metadataPath: view.metadataPath, isPod: obj.kind === 'Pod' });
      for (const minor of MINORS) {
        const version = minor > PSS_NEWEST_MINOR ? { latest: true as const } : { latest: false as const, minor };
        const both = evaluateViewWithBaseline(pod, { level: 'restricted', version });
        expect(both.evaluation).toEqual(evaluateView(pod, { level: 'restricted', version }));
        if (both.evaluation.allowed) expect(both.baseline).toBeUndefined();
        else {
          denied++;
          expect(both.baseline).toEqual(evaluateView(pod, { level: 'baseline', version }));
        }
      }
    }
    expect(denied).toBeGreaterThan(1000);
  });
});
