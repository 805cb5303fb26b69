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

  it('every CIS, ATT&CK and PSS id a check cites exists in the pinned data, and is among the ids the check maps to', () => {
    // `kspect explain`, SARIF tags and finding references print what a check cites; the views use the mappings:
    // they must never disagree, nor name a control the pinned frameworks do not have.
    const catalog = Object.fromEntries(FRAMEWORK_IDS.map((f) => [f, new Set(data.catalogs[f].controls.map((c) => c.id))])) as Record<(typeof FRAMEWORK_IDS)[number], Set<string>>;
    const wrong: string[] = [];
    let cited = 0;
    for (const c of allChecks) {
      for (const f of ['cis', 'mitre', 'pss'] as const) {
        for (const id of c.meta.references[f] ?? []) {
          cited++;
          // A PSS citation may name a whole profile (baseline, restricted): the sections of pss.json.
          if (f === 'pss' && data.catalogs.pss.sections.some((s) => s.id === id)) continue;
          if (!catalog[f].has(id)) wrong.push(`${c.id} cites ${f} ${id}, which is not in ${FRAMEWORK_FILES[f]}`);
          else if (!(data.mappings[c.id]?.[f] ?? []).includes(id)) wrong.push(`${c.id} cites ${f} ${id}, which mappings.json does not map it to`);
        }
      }
    }
    expect(cited).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });

  it('the pinned ATT&CK table is the Containers platform of the release it names (scripts/attack-containers.js)', () => {
    const mitre = read('mitre-attack-containers.json') as { version: string; source: string; controls: { id: string; tactics: string[]; section: string }[] };
    expect(mitre.version).toBe('v18.1');
    expect(mitre.source).toContain('421deacb77191b38bdd1bf63268954e93da91365');
    // Spot checks against ATT&CK v18.1: container-specific techniques, a sub-technique added for containers, and
    // ids outside the Containers platform that checks once cited.
    const ids = new Set(mitre.controls.map((c) => c.id));
    for (const id of ['T1609', 'T1610', 'T1611', 'T1612', 'T1613', 'T1053.007', 'T1059.013', 'T1098.006', 'T1552.007', 'T1543.005']) expect(ids.has(id), id).toBe(true);
    for (const id of ['T1557', 'T1649', 'T1078.004', 'T1552.005', 'T1562.007', 'T1041', 'T1210']) expect(ids.has(id), id).toBe(false);
    expect(mitre.controls).toHaveLength(48);
    for (const c of mitre.controls) expect(c.tactics[0]).toBe(c.section);
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
