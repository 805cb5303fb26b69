/**
 * Report schema v3 loses nothing: on every example and on the pass and fail fixtures of every check,
 * the JSON report read back gives exactly the findings of a v2 report (test/support/report-roundtrip.ts).
 * The real-world corpus is proved in corpus.e2e.test.ts, on the reports it already makes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../src/api/scan.js';
import { expectV3RestoresV2 } from './support/report-roundtrip.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const settings = { now: new Date('2026-06-01T00:00:00Z') };

describe('report schema v3: read back, the findings of a v2 report', () => {
  it('every example', async () => {
    let compact = 0;
    for (const d of readdirSync(join(ROOT, 'examples')).sort()) compact += expectV3RestoresV2(await checkManifests({ paths: [join(ROOT, 'examples', d)], settings }), d);
    expect(compact).toBeGreaterThan(0);
  });
  it('the pass and fail fixtures of every check, each folder a report', async () => {
    const folders: string[] = [];
    for (const c of readdirSync(join(ROOT, 'src', 'checks')).sort()) for (const kind of ['pass', 'fail']) if (existsSync(join(ROOT, 'src', 'checks', c, 'fixtures', kind))) folders.push(join(ROOT, 'src', 'checks', c, 'fixtures', kind));
    expect(folders.length).toBeGreaterThan(400);
    let compact = 0;
    for (const f of folders) compact += expectV3RestoresV2(await checkManifests({ paths: [f], settings }), f.slice(ROOT.length));
    expect(compact).toBeGreaterThan(500);
  }, 120_000);
});
