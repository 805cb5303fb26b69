/**
 * The library API (this module) returns plain findings: every field an own property, so spread and structuredClone
 * keep every field (src/api/plain.ts is the boundary; the CLI keeps the runner's compact findings).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_KEYS } from './api/plain.js';
import { checkManifests as compactCheckManifests } from './api/scan.js';
import { makeBaseline } from './core/baseline.js';
import type { Finding } from './core/finding.js';
import type { Report } from './core/report.js';
import { RunFinding } from './framework/run-finding.js';
import { checkManifests, judge } from './index.js';
import { parseManifests } from './sources/yaml.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const settings = { now: new Date('2026-06-01T00:00:00Z') };

/** Every example and the fail fixtures of the first checks. */
function inputs(): string[] {
  const out = readdirSync(join(ROOT, 'examples')).sort().map((d) => join(ROOT, 'examples', d));
  for (const c of readdirSync(join(ROOT, 'src', 'checks')).sort()) if (existsSync(join(ROOT, 'src', 'checks', c, 'fixtures', 'fail'))) out.push(join(ROOT, 'src', 'checks', c, 'fixtures', 'fail'));
  return out.slice(0, 40);
}

const REQUIRED: readonly (keyof Finding)[] = ['checkId', 'severity', 'title', 'message', 'remediation', 'references', 'fingerprint'];

function allFindings(report: Report): Finding[] {
  return [...report.findings, ...report.suppressed.map((s) => s.finding)];
}

describe('library findings are plain objects with every field', () => {
  it('checkManifests and judge: spread and structuredClone keep every field, equal to the compact finding read field by field', async () => {
    const paths = inputs();
    const compact = await compactCheckManifests({ paths, settings });
    const baseline = makeBaseline(compact.findings.filter((_, i) => i % 5 === 0));
    const [internal, library] = await Promise.all([compactCheckManifests({ paths, settings, baseline }), checkManifests({ paths, settings, baseline })]);
    const theirs = allFindings(internal);
    const ours = allFindings(library);
    expect(ours.length).toBe(theirs.length);
    expect(library.suppressed.length).toBeGreaterThan(50);
    expect(theirs.every((f) => f instanceof RunFinding)).toBe(true);
    ours.forEach((f, i) => {
      const spread = { ...f };
      const cloned = structuredClone(f);
      const want = theirs[i] as Finding;
      for (const k of FINDING_KEYS) {
        expect(spread[k], k).toEqual(want[k]);
        expect(cloned[k], k).toEqual(want[k]);
      }
      for (const k of REQUIRED) expect(spread[k], k).toBeDefined();
    });
    const objects = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n', 'p.yaml', { type: 'file', uri: 'p.yaml' }).objects;
    const judged = judge({ objects, settings });
    expect(judged.findings.length).toBeGreaterThan(3);
    for (const f of judged.findings) for (const k of REQUIRED) expect({ ...f }[k], k).toBeDefined();
  }, 120_000);

  it('toJSON writes every field of a Finding', async () => {
    const report = await compactCheckManifests({ paths: [join(ROOT, 'examples', 'insecure')], settings });
    const f = report.findings[0] as RunFinding;
    expect(new Set(Object.keys(f.toJSON()))).toEqual(new Set(FINDING_KEYS));
  });
});

