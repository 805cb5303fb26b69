/**
 * Which checks can judge an object at admission, where the webhook sees one object and its Namespace: every check
 * the webhook runs is tried on every object of its own pass and fail fixtures twice — within the whole fixture, as
 * `kspect scan` sees it, and alone with its Namespace, as the webhook sees it.
 *  - A finding alone that the fixture does not have is a false verdict at admission: the check must not run on that
 *    kind at admission (CONTEXT_CHECKS, with why).
 *  - A finding the fixture has and the object alone does not is a verdict admission cannot reach: the check is left
 *    out (CONTEXT_CHECKS) or judges what the request carries and says so (PARTIAL_AT_ADMISSION).
 * docs/admission.md names every one of them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../src/core/config.js';
import type { Finding } from '../src/core/finding.js';
import type { RunSettings } from '../src/framework/define.js';
import { resolveChecks, runChecks } from '../src/framework/runner.js';
import { buildInventory } from '../src/model/inventory.js';
import type { K8sObject } from '../src/model/object.js';
import { parseManifests } from '../src/sources/yaml.js';
import { WEBHOOK_CHECKS } from '../src/sources/webhook/context.js';
import { CONTEXT_CHECKS, PARTIAL_AT_ADMISSION, judgedKinds, notAtAdmission } from '../src/sources/webhook/review.js';
import { TEST_SETTINGS, findingKey } from '../src/checks/support/tester.js';

const CHECKS_DIR = new URL('../src/checks/', import.meta.url).pathname;
const DOC = readFileSync(new URL('../docs/admission.md', import.meta.url), 'utf8');
const JUDGED = new Set(judgedKinds().map((k) => k.kind));

function directive(text: string, name: string): string | undefined {
  return new RegExp(`^#\\s*${name}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1];
}

function run(checkId: string, objects: readonly K8sObject[], options: unknown, settings: RunSettings): readonly Finding[] {
  const check = WEBHOOK_CHECKS.find((c) => c.id === checkId);
  if (!check) throw new Error(checkId);
  const config = options === undefined ? EMPTY_CONFIG : { ...EMPTY_CONFIG, parameters: { [check.id]: options } };
  const { active } = resolveChecks([check], config, [check.id]);
  return runChecks({ inventory: buildInventory(objects), checks: active, settings, config, inputs: ['fixture'], toolVersion: 'test' }).findings;
}

const on = (o: K8sObject) => (f: Finding): boolean => f.resource !== undefined && f.resource.kind === o.kind && f.resource.name === o.metadata.name && (f.resource.namespace ?? '') === (o.metadata.namespace ?? '');

interface Difference {
  /** Findings alone that the fixture does not have (false at admission), by object kind. */
  readonly extra: { kind: string; where: string }[];
  /** Findings of the fixture that the object alone does not get (out of admission's reach). */
  readonly missing: string[];
}

function differences(checkId: string): Difference {
  const d: Difference = { extra: [], missing: [] };
  for (const kind of ['pass', 'fail']) {
    const dir = join(CHECKS_DIR, checkId, 'fixtures', kind);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      const opt = directive(text, 'options');
      const set = directive(text, 'settings');
      const settings = set !== undefined ? { ...TEST_SETTINGS, ...(JSON.parse(set) as Partial<RunSettings>) } : TEST_SETTINGS;
      const options: unknown = opt !== undefined ? JSON.parse(opt) : undefined;
      const parsed = parseManifests(text, file, { type: 'file', uri: file });
      const whole = run(checkId, parsed.objects, options, settings);
      for (const o of parsed.objects) {
        if (!JUDGED.has(o.kind)) continue;
        const ns = parsed.objects.find((n) => n.kind === 'Namespace' && n.metadata.name === o.metadata.namespace);
        const alone = new Set(run(checkId, ns ? [o, ns] : [o], options, settings).filter(on(o)).map(findingKey));
        const within = new Set(whole.filter(on(o)).map(findingKey));
        for (const f of alone) if (!within.has(f)) d.extra.push({ kind: o.kind, where: `${kind}/${file}: ${f}` });
        for (const f of within) if (!alone.has(f)) d.missing.push(`${kind}/${file}: ${f}`);
      }
    }
  }
  return d;
}

describe('checks at admission: one object and its Namespace', () => {
  const diffs = new Map(WEBHOOK_CHECKS.map((c) => [c.id, differences(c.id)]));

  it('no check runs at admission on a kind where it would find what a scan of the same input does not', () => {
    const wrong = [...diffs].flatMap(([id, d]) => d.extra.filter((e) => !notAtAdmission(id, e.kind)).map((e) => `${id} on ${e.kind}: ${e.where}`));
    expect(wrong).toEqual([]);
  });

  it('a check that misses, alone, what the fixture shows is left out of admission or listed as partial there', () => {
    const silent = [...diffs].filter(([id, d]) => d.missing.length > 0 && !CONTEXT_CHECKS.has(id) && !PARTIAL_AT_ADMISSION.has(id)).map(([id, d]) => `${id}: ${d.missing.join(' | ')}`);
    expect(silent).toEqual([]);
  });

  it('a check listed as partial really is (its fixtures show what admission misses), and runs at admission', () => {
    expect([...PARTIAL_AT_ADMISSION.keys()].filter((id) => (diffs.get(id)?.missing.length ?? 0) === 0)).toEqual([]);
    expect([...PARTIAL_AT_ADMISSION.keys()].filter((id) => CONTEXT_CHECKS.has(id))).toEqual([]);
  });

  it('every listed id is a check the webhook has, and docs/admission.md names each one', () => {
    const ids = new Set(WEBHOOK_CHECKS.map((c) => c.id));
    const listed = [...CONTEXT_CHECKS.keys(), ...PARTIAL_AT_ADMISSION.keys()];
    expect(listed.filter((id) => !ids.has(id))).toEqual([]);
    expect(listed.filter((id) => !DOC.includes(`\`${id}\``))).toEqual([]);
  });
});
