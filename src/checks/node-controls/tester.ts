/**
 * The node control tester (test-only): the shared check tester's rules, plus the benchmark view. Each fixture is an
 * inventory — static Pods for a manifest scan; a NodeAudit with Pods, NodeComponents, NodeFiles and NodeConfigs for a
 * node audit — and states what it expects:
 *
 *   # expect: <checkId> <Kind>/<namespace>/<name>[:<container>] [<path>]   (exactly these findings)
 *   # verdict: PASS | FAIL | WARN | MANUAL | NOT_EVALUATED                  (the control's verdict in `kspect node`)
 *   # reason: <text the verdict's reason contains>
 *
 * A pass fixture yields no finding and no FAIL/WARN verdict; a fail fixture names its findings, or — for a manual
 * control, which never has findings — its MANUAL verdict and what the observation must say. Inputs are deep-frozen.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../core/config.js';
import type { Report } from '../../core/report.js';
import { resolveChecks, runChecks } from '../../framework/runner.js';
import { buildInventory } from '../../model/inventory.js';
import type { K8sObject } from '../../model/object.js';
import { parseManifests } from '../../sources/yaml.js';
import { findingKey, TEST_SETTINGS } from '../support/tester.js';
import { nodeSections } from './audit.js';
import type { NodeCheck } from './define.js';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** Run one node control over fixture text as `kspect node` (or `kspect scan`) would: the report with its benchmark view. */
export function runNodeControlOn(check: NodeCheck, text: string, file: string): Report {
  const parsed = parseManifests(text, file, { type: 'file', uri: file });
  if (parsed.problems.length > 0) throw new Error(`fixture ${file} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const objects: K8sObject[] = parsed.objects.map((o) => {
    deepFreeze(o.raw);
    deepFreeze(o.metadata);
    return o;
  });
  const { active, errors } = resolveChecks([check], EMPTY_CONFIG, [check.id]);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return runChecks({ inventory: buildInventory(objects, parsed.skipped), checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [file], toolVersion: 'test', sections: nodeSections });
}

function directives(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^#\\s*${name}:\\s*(.+?)\\s*$`, 'gm');
  for (const m of text.matchAll(re)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

function fixtureFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
}

/** Register vitest cases for a node control's fixtures (the folder that holds its check.ts). */
export function testNodeControl(check: NodeCheck, checkDir: string): void {
  const passDir = join(checkDir, 'fixtures', 'pass');
  const failDir = join(checkDir, 'fixtures', 'fail');
  describe(`node control ${check.id}`, () => {
    it('has pass and fail fixtures', () => {
      expect(fixtureFiles(passDir).length, 'fixtures/pass is empty').toBeGreaterThan(0);
      expect(fixtureFiles(failDir).length, 'fixtures/fail is empty').toBeGreaterThan(0);
    });
    const verify = (dir: string, f: string, kind: 'pass' | 'fail'): void => {
      const text = readFileSync(join(dir, f), 'utf8');
      const expected = directives(text, 'expect').sort();
      const verdict = directives(text, 'verdict')[0];
      const reasons = directives(text, 'reason');
      for (const e of expected) expect(e.split(' ')[0], `${kind}/${f}: expectation names another check`).toBe(check.id);
      if (kind === 'pass') expect(expected, `${kind}/${f} expects findings`).toEqual([]);
      else expect(expected.length > 0 || verdict === 'MANUAL' || verdict === 'NOT_EVALUATED', `${kind}/${f} names no finding and no MANUAL or NOT_EVALUATED verdict`).toBe(true);
      if (!check.control.automated) expect(verdict, `${kind}/${f}: a manual control's fixture states its MANUAL verdict`).toBe('MANUAL');
      const report = runNodeControlOn(check, text, f);
      expect(report.notEvaluated.filter((n) => n.reason === 'check-error')).toEqual([]);
      expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(report.findings.map(findingKey).sort()).toEqual(expected);
      for (const finding of report.findings) {
        expect(finding.location?.file, `${finding.checkId} points into the fixture`).toBe(f);
        expect(finding.message).not.toMatch(/\{\{/);
      }
      const result = report.controls?.results.find((r) => r.id === check.id);
      if (verdict !== undefined) {
        expect(result, `${kind}/${f}: no benchmark view (a verdict needs a NodeAudit object)`).toBeDefined();
        expect(`${result?.verdict ?? ''}: ${result?.reason ?? ''}`).toMatch(new RegExp(`^${verdict}: `));
        for (const r of reasons) expect(result?.reason).toContain(r);
      }
      if (kind === 'pass' && result) expect(['FAIL', 'WARN']).not.toContain(result.verdict);
    };
    for (const f of fixtureFiles(passDir)) it(`pass/${f}`, () => { verify(passDir, f, 'pass'); });
    for (const f of fixtureFiles(failDir)) it(`fail/${f}`, () => { verify(failDir, f, 'fail'); });
  });
}
