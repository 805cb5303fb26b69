/** The shipped framework data: sound, complete, and pointing only at checks and controls that exist. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { isNodeCheck } from '../../checks/node-controls/define.js';
import { PSS_CHECK_IDS } from '../pss/index.js';
import { FRAMEWORK_FILES, FRAMEWORK_IDS, MAPPINGS_FILE, parseFrameworkData } from './data.js';

const dir = new URL('../../../data/frameworks/', import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as unknown;
const files: Record<string, unknown> = Object.fromEntries([...Object.values(FRAMEWORK_FILES), MAPPINGS_FILE].map((n) => [n, read(n)]));
const { data, errors } = parseFrameworkData(files);

describe('framework data', () => {
  it('parses without a problem', () => {
    expect(errors).toEqual([]);
  });

  it('maps every check, and only checks that exist', () => {
    const ids = new Set(allChecks.map((c) => c.id));
    const mapped = Object.keys(data.mappings);
    expect(mapped.filter((id) => !ids.has(id))).toEqual([]);
    // A new check needs its line in data/frameworks/mappings.json (empty lists where a framework does not apply).
    expect([...ids].filter((id) => !(id in data.mappings)), 'checks missing from data/frameworks/mappings.json').toEqual([]);
  });

  it('every ATT&CK id of the mappings is in the pinned Containers table', () => {
    const pinned = new Set(data.catalogs.mitre.controls.map((c) => c.id));
    const used = Object.values(data.mappings).flatMap((m) => m.mitre);
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((id) => !pinned.has(id))).toEqual([]);
    for (const c of data.catalogs.mitre.controls) expect(c.id).toMatch(/^T\d{4}(\.\d{3})?$/);
  });

  it('every mapped id of every framework exists in its catalog (a wrong id is reported)', () => {
    for (const f of FRAMEWORK_IDS) {
      const ids = new Set(data.catalogs[f].controls.map((c) => c.id));
      for (const m of Object.values(data.mappings)) for (const id of m[f]) expect(ids.has(id)).toBe(true);
    }
    const broken = { ...files, [MAPPINGS_FILE]: { checks: { 'pod-privileged': { cis: ['9.9.9'], mitre: ['T1611', 'T9999'] } } } };
    expect(parseFrameworkData(broken).errors).toEqual([
      'mappings.json: pod-privileged.cis names 9.9.9, which is not in cis-1.12.json',
      'mappings.json: pod-privileged.mitre names T9999, which is not in mitre-attack-containers.json',
    ]);
  });

  it('node controls map to the CIS id they implement', () => {
    const node = allChecks.filter(isNodeCheck);
    expect(node.length).toBeGreaterThan(50);
    for (const c of node) if (c.control.cis !== undefined) expect(data.mappings[c.id]?.cis).toContain(c.control.cis);
  });

  it('PSS controls are the ones the PSS engine evaluates', () => {
    expect(data.catalogs.pss.controls.map((c) => c.id).sort()).toEqual([...PSS_CHECK_IDS].sort());
  });

  it('the CIS catalog has the policy controls the engines decide', () => {
    const ids = new Set(data.catalogs.cis.controls.map((c) => c.id));
    for (const id of ['3.2.2', '5.1.1', '5.1.8', '5.2.2', '5.3.2', '5.4.1']) expect(ids.has(id)).toBe(true);
    for (const id of ['3.2.2', '5.1.1', '5.1.8', '5.2.2', '5.3.2', '5.4.1']) expect(Object.values(data.mappings).some((m) => m.cis.includes(id))).toBe(true);
  });
});
