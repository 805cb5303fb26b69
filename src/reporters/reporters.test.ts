import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { REPORTERS } from './index.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { reportSchemaValidator, sarifErrors } from './validate.testutil.js';


describe('reporters render the fixed report exactly (golden files)', () => {
  const ext: Record<string, string> = { table: 'txt', json: 'json', sarif: 'sarif', junit: 'xml', markdown: 'md' };
  for (const [name, render] of Object.entries(REPORTERS)) {
    it(name, async () => {
      const out = render(FIXED_REPORT, { color: false, showSuppressed: true });
      await expect(out).toMatchFileSnapshot(`./__golden__/report.${ext[name] ?? name}`);
    });
  }
  it('table paints severities only when asked to', () => {
    const render = REPORTERS.table;
    if (!render) throw new Error('no table reporter');
    expect(render(FIXED_REPORT, { color: false, showSuppressed: false })).not.toContain('\u001b[');
    expect(render(FIXED_REPORT, { color: true, showSuppressed: false })).toContain('\u001b[35mCRITICAL');
  });
  it('table keeps its columns aligned past line 99,999 (the location column widens to the longest line number)', () => {
    const render = REPORTERS.table;
    if (!render) throw new Error('no table reporter');
    const [first, ...rest] = FIXED_REPORT.findings;
    if (!first?.location) throw new Error('the fixed report lost its located finding');
    const far = { ...FIXED_REPORT, findings: [{ ...first, location: { ...first.location, line: 1234567 } }, ...rest] };
    // Where each finding's check id starts: the same column whatever its line, and as before when no line is long.
    const idColumns = (out: string) => FIXED_REPORT.findings.map((f) => { const row = out.split('\n').find((l) => l.includes(` ${f.checkId} `) && /^\s*:?\d*\s+[A-Z]+\s/.test(l)); return row === undefined ? -1 : row.indexOf(` ${f.checkId} `); });
    const before = idColumns(render(FIXED_REPORT, { color: false, showSuppressed: false }));
    const after = idColumns(render(far, { color: false, showSuppressed: false }));
    expect(render(far, { color: false, showSuppressed: false })).toContain(':1234567 ');
    expect(before.filter((c) => c >= 0).length).toBeGreaterThan(1);
    expect(new Set(before.filter((c) => c >= 0)).size).toBe(1);
    expect(new Set(after.filter((c) => c >= 0)).size).toBe(1);
    expect(after[0]).toBe((before[0] ?? 0) + ':1234567'.length - 6);
  });
  it('table hides suppressed findings unless asked', () => {
    const render = REPORTERS.table;
    if (!render) throw new Error('no table reporter');
    expect(render(FIXED_REPORT, { color: false, showSuppressed: false })).not.toContain('calico-node');
    expect(render(FIXED_REPORT, { color: false, showSuppressed: true })).toContain('calico-node');
  });
});

describe('json output follows the shipped JSON Schema', () => {
  const validate = reportSchemaValidator();
  it('the fixed report validates', () => {
    const render = REPORTERS.json;
    if (!render) throw new Error('no json reporter');
    const ok = validate(JSON.parse(render(FIXED_REPORT, { color: false, showSuppressed: false })));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('a report missing a field does not validate', () => {
    const { findings: _f, ...rest } = FIXED_REPORT;
    expect(validate(rest)).toBe(false);
  });
  it('a finding with an unknown severity does not validate', () => {
    const bad = { ...FIXED_REPORT, findings: [{ ...FIXED_REPORT.findings[0], severity: 'urgent' }] };
    expect(validate(bad)).toBe(false);
  });
});

describe('sarif', () => {
  it('validates with the SARIF multitool (schema and SARIF rules)', () => {
    expect(sarifErrors(renderSarif(FIXED_REPORT))).toEqual([]);
  });
  it('the validator does catch an invalid log', () => {
    expect(sarifErrors(JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: {} }] }] })).length).toBeGreaterThan(0);
  });
  it('has one rule per check and results with physical locations', () => {
    const log = JSON.parse(renderSarif(FIXED_REPORT)) as { runs: [{ tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; suppressions?: unknown[] }[] }] };
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['pod-host-path', 'pod-privileged', 'rbac-wildcard']);
    const first = run.results[0];
    expect(first?.locations?.[0]?.physicalLocation?.artifactLocation.uri).toBe('k8s/web%20deploy.yaml');
    expect(first?.locations?.[0]?.physicalLocation?.region.startLine).toBe(21);
    expect(run.results.filter((r) => r.suppressions).length).toBe(2);
  });
});

describe('junit', () => {
  it('is well-formed XML with one testcase per check × resource', () => {
    const xml = renderJunit(FIXED_REPORT);
    const dir = mkdtempSync(join(tmpdir(), 'kspect-junit-'));
    writeFileSync(join(dir, 'r.xml'), xml);
    const counted = execFileSync('python3', ['-c', 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(len(r.findall(".//testcase")), len(r.findall(".//failure")), len(r.findall(".//error")), len(r.findall(".//skipped")))', join(dir, 'r.xml')], { encoding: 'utf8' }).trim();
    // testcases: pod-host-path (2 failing resources + 1 suppressed), pod-privileged (1 failing + 1 suppressed), rbac-wildcard (1 failing + 1 not evaluated), input (2 problems + 1 general not-evaluated)
    expect(counted).toBe('10 4 1 5');
  });
});
