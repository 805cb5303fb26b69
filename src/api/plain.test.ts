/**
 * The boundary of src/api/plain.ts: the CLI's compact findings render, in every format, exactly as plain findings
 * holding the same fields (src/index.test.ts: the library API returns plain findings with every field).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeBaseline } from '../core/baseline.js';
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { RunFinding } from '../framework/run-finding.js';
import { collect } from '../reporters/chunks.js';
import { FORMATS } from '../reporters/formats.js';
import { WRITERS } from '../reporters/index.js';
import { plainReport } from './plain.js';
import { checkManifests as compactCheckManifests } from './scan.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = join(ROOT, '..', '..', 'shared', 'corpus');
const settings = { now: new Date('2026-06-01T00:00:00Z') };

/** Every example, the pass and fail fixtures of every check, and the corpus when it is there. */
function inputs(): string[] {
  const out = readdirSync(join(ROOT, 'examples')).sort().map((d) => join(ROOT, 'examples', d));
  for (const c of readdirSync(join(ROOT, 'src', 'checks')).sort()) for (const kind of ['pass', 'fail']) if (existsSync(join(ROOT, 'src', 'checks', c, 'fixtures', kind))) out.push(join(ROOT, 'src', 'checks', c, 'fixtures', kind));
  if (existsSync(CORPUS)) for (const d of readdirSync(CORPUS).sort()) out.push(join(CORPUS, d));
  return out;
}


/** A finding read field by field through the Finding interface, into a plain object (keys in the order toJSON gives). */
function readBack(f: Finding): Finding {
  const keys = f instanceof RunFinding ? Object.keys(f.toJSON()) : Object.keys(f);
  return Object.fromEntries(keys.map((k) => [k, f[k as keyof Finding]])) as unknown as Finding;
}


describe('the compact findings render as plain ones', () => {
  it('every format, on the examples, every check fixture and the corpus: byte-identical to the same report of plain findings', async () => {
    const paths = inputs();
    expect(paths.length).toBeGreaterThan(400);
    // A fifth of the findings accepted in a baseline: suppressed findings are rendered too.
    const first = await compactCheckManifests({ paths, settings });
    const compact = await compactCheckManifests({ paths, settings, baseline: makeBaseline(first.findings.filter((_, i) => i % 5 === 0)) });
    expect(compact.findings.length).toBeGreaterThan(1000);
    expect(compact.suppressed.length).toBeGreaterThan(10);
    const plain: Report = { ...compact, findings: compact.findings.map(readBack), suppressed: compact.suppressed.map((s) => ({ ...s, finding: readBack(s.finding) })) };
    const viaBoundary = plainReport(compact);
    expect(viaBoundary.findings.every((f) => !(f instanceof RunFinding))).toBe(true);
    for (const format of FORMATS) {
      const options = { color: false, showSuppressed: true };
      const render = (r: Report): string => collect((sink) => { (WRITERS[format] as (typeof WRITERS)[string])(r, options, sink); });
      const want = render(plain);
      expect(render(compact) === want, format).toBe(true);
      expect(render(viaBoundary) === want, format).toBe(true);
    }
  }, 300_000);
});
