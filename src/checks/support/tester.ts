/**
 * The shared check tester (test-only). Runs a check over its `fixtures/pass` and `fixtures/fail` files:
 * a pass file must yield no finding of the check; a fail file must yield exactly the findings its
 * `# expect:` lines name — by check id, object and field path, never by message text.
 *
 *   # expect: <checkId> <Kind>/<namespace>/<name>[:<container>] [<path>]
 *   # expect: <checkId> <Kind>/<name> [<path>]          (cluster-scoped)
 *   # options: {"json": "options for the check"}
 *   # settings: {"pss": {"level": "baseline", "version": "latest"}}
 *
 * Inputs are deep-frozen, so a check that mutates its input throws.
 */
import { appendFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../core/config.js';
import type { Finding } from '../../core/finding.js';
import type { Report } from '../../core/report.js';
import { buildInventory } from '../../model/inventory.js';
import type { K8sObject } from '../../model/object.js';
import { parseManifests } from '../../sources/yaml.js';
import type { AnyCheck, RunSettings } from '../../framework/define.js';
import { resolveChecks, runChecks } from '../../framework/runner.js';

export const TEST_SETTINGS: RunSettings = { pss: { level: 'restricted', version: 'latest' }, now: new Date('2026-06-01T00:00:00Z') };

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** Run one check over YAML text, as the CLI would; returns the whole report. */
export function runCheckOn(check: AnyCheck, text: string, file = 'fixture.yaml', options?: unknown, settings: RunSettings = TEST_SETTINGS): Report {
  const parsed = parseManifests(text, file, { type: 'file', uri: file });
  if (parsed.problems.length > 0) throw new Error(`fixture ${file} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const objects: K8sObject[] = parsed.objects.map((o) => {
    deepFreeze(o.raw);
    deepFreeze(o.metadata);
    return o;
  });
  const config = options === undefined ? EMPTY_CONFIG : { ...EMPTY_CONFIG, parameters: { [check.id]: options } };
  const { active, errors } = resolveChecks([check], config, [check.id]);
  if (errors.length > 0) throw new Error(`options of ${file}: ${errors.join('; ')}`);
  // The check's `reads` declaration is proved here: a read outside it fails the fixture (even if the check caught it).
  const undeclared: string[] = [];
  const report = runChecks({ inventory: buildInventory(objects, parsed.skipped), checks: active, settings, config, inputs: [file], toolVersion: 'test', onUndeclaredRead: (who, what) => undeclared.push(`${who} read ${what}`) });
  if (process.env.KSPECT_READS_LOG) for (const u of undeclared) appendFileSync(process.env.KSPECT_READS_LOG, `${u}\n`);
  if (undeclared.length > 0) throw new Error(`${file}: ${[...new Set(undeclared)].join('; ')}, outside what it declares in meta.reads`);
  return report;
}

export function findingKey(f: Finding): string {
  const r = f.resource;
  const res = r ? `${r.kind}/${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}${r.container !== undefined ? `:${r.container}` : ''}` : '-';
  return `${f.checkId} ${res}${f.path !== undefined ? ` ${f.path}` : ''}`;
}

function directives(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^#\\s*${name}:\\s*(.+?)\\s*$`, 'gm');
  for (const m of text.matchAll(re)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

function fixtureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** Register vitest cases for a check's fixtures folder (the folder that holds check.ts). */
export function testCheck(check: AnyCheck, checkDir: string, settings: RunSettings = TEST_SETTINGS): void {
  const passDir = join(checkDir, 'fixtures', 'pass');
  const failDir = join(checkDir, 'fixtures', 'fail');
  describe(`check ${check.id}`, () => {
    it('has pass and fail fixtures', () => {
      expect(fixtureFiles(passDir).length, 'fixtures/pass is empty').toBeGreaterThan(0);
      expect(fixtureFiles(failDir).length, 'fixtures/fail is empty').toBeGreaterThan(0);
    });
    const load = (dir: string, f: string): { text: string; options: unknown; settings: RunSettings } => {
      const text = readFileSync(join(dir, f), 'utf8');
      const opt = directives(text, 'options')[0];
      const set = directives(text, 'settings')[0];
      return {
        text,
        options: opt !== undefined ? JSON.parse(opt) : undefined,
        settings: set !== undefined ? { ...settings, ...(JSON.parse(set) as Partial<RunSettings>) } : settings,
      };
    };
    for (const f of fixtureFiles(passDir)) {
      it(`pass/${f} yields no finding`, () => {
        const { text, options, settings: s } = load(passDir, f);
        const report = runCheckOn(check, text, f, options, s);
        expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(report.notEvaluated.filter((n) => n.reason === 'check-error')).toEqual([]);
        expect(report.findings.map(findingKey)).toEqual([]);
      });
    }
    for (const f of fixtureFiles(failDir)) {
      it(`fail/${f} yields exactly the expected findings`, () => {
        const { text, options, settings: s } = load(failDir, f);
        const expected = directives(text, 'expect').sort();
        expect(expected.length, `fail/${f} has no "# expect:" line`).toBeGreaterThan(0);
        for (const e of expected) expect(e.split(' ')[0], `fail/${f}: expectation names another check`).toBe(check.id);
        const report = runCheckOn(check, text, f, options, s);
        expect(report.notEvaluated.filter((n) => n.reason === 'check-error')).toEqual([]);
        expect(report.findings.map(findingKey).sort()).toEqual(expected);
        for (const finding of report.findings) {
          // Findings on kspect's pseudo-resources (a run-wide fact such as the targeted Kubernetes version) have no file.
          if (finding.resource?.apiVersion !== 'kspect.dev/v1alpha1') expect(finding.location?.file).toBe(f);
          expect(finding.message).not.toMatch(/\{\{/);
        }
      });
    }
  });
}
