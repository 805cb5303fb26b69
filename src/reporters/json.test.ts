import { describe, expect, it } from 'vitest';
import type { Finding, References } from '../core/finding.js';
import type { CheckInfo, Report } from '../core/report.js';
import { readReportJson, reportJsonValue } from '../core/report-json.js';
import { SEVERITIES } from '../core/severity.js';
import { displayView } from './view.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { hostileReports, prng, randomHostile } from './hostile.testutil.js';
import { renderJson } from './json.js';
import { reportSchemaValidator } from './validate.testutil.js';
import { safeJson } from './safe-json.js';

/** A report of random findings: hostile strings, every optional field present or not, equal to the check's or not. */
function randomReport(rand: () => number, n: number): Report {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const s = (): string => randomHostile(rand, 4);
  const refs = (): References => pick<References>([{}, { pss: [s()] }, { cis: [s(), s()], urls: [] }, { nsa: [s()], mitre: ['T1611'], pss: ['privileged', 'baseline'] }]);
  const checks: CheckInfo[] = ['pod-a', 'pod-b', 'pod-c'].map((id) => ({ id, title: s(), description: s(), severity: pick(SEVERITIES), category: 'workload', remediation: s(), references: refs() }));
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const id = pick(['pod-a', 'pod-b', 'pod-c', 'pod-unlisted']);
    const check = checks.find((c) => c.id === id);
    const resource = rand() < 0.8 ? { apiVersion: s(), kind: s(), name: s(), ...(rand() < 0.5 ? { namespace: s() } : {}), ...(rand() < 0.4 ? { container: s() } : {}) } : undefined;
    findings.push({
      checkId: id,
      severity: pick(SEVERITIES),
      title: check && rand() < 0.8 ? check.title : s(),
      message: s(),
      resource,
      location: rand() < 0.7 ? { file: s(), line: 1 + Math.floor(rand() * 1e6), column: 1 + Math.floor(rand() * 200) } : undefined,
      source: rand() < 0.6 ? { type: pick(['file', 'stdin', 'cluster'] as const), uri: s() } : undefined,
      path: rand() < 0.8 ? s() : undefined,
      evidence: rand() < 0.3 ? s() : undefined,
      remediation: check && rand() < 0.8 ? check.remediation : s(),
      references: check && rand() < 0.6 ? check.references : refs(),
      fingerprint: s(),
      alsoReportedBy: rand() < 0.2 ? (rand() < 0.5 ? [] : [s(), s()]) : undefined,
    });
  }
  const suppressed = findings.slice(0, Math.floor(n / 4)).map((finding) => ({ finding, by: pick(['annotation', 'config', 'baseline'] as const), reason: s(), ...(rand() < 0.5 ? { annotation: { object: s(), file: s(), line: 3 } } : {}) }));
  return { ...FIXED_REPORT, checks, findings, suppressed };
}

describe('the JSON reporter (schemaVersion 3)', () => {
  it('writes exactly safeJson of the v3 document, on random reports with hostile strings and every optional field', () => {
    const rand = prng(33);
    for (let i = 0; i < 300; i++) {
      const report = randomReport(rand, 1 + Math.floor(rand() * 12));
      expect(renderJson(report)).toBe(safeJson(reportJsonValue(report)));
      const minSeverity = SEVERITIES[Math.floor(rand() * SEVERITIES.length)] ?? 'info';
      const view = displayView(report, minSeverity);
      expect(renderJson(report, { minSeverity })).toBe(safeJson(reportJsonValue(report, view.findings, view.suppressed)));
    }
  });
  it('on the hostile reports', () => {
    for (const { report } of hostileReports()) expect(renderJson(report)).toBe(safeJson(reportJsonValue(report)));
  });
  it('leaves out of a finding what its check holds, and the report validates with the shipped schema', () => {
    const text = renderJson(FIXED_REPORT);
    const doc = JSON.parse(text) as { schemaVersion: number; findings: Record<string, unknown>[] };
    expect(doc.schemaVersion).toBe(3);
    expect(doc.findings.some((f) => 'title' in f || 'remediation' in f)).toBe(false);
    // references differ from the check's in three of the four findings (a narrower list, or none): written whole.
    expect(doc.findings.map((f) => f.references)).toEqual([{ pss: ['privileged'], cis: ['5.2.2'], mitre: ['T1611'] }, { pss: ['hostPathVolumes'] }, undefined, {}]);
    const validate = reportSchemaValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const rand = prng(5);
    for (let i = 0; i < 50; i++) expect(validate(JSON.parse(renderJson(randomReport(rand, 6)))), JSON.stringify(validate.errors)).toBe(true);
  });
  it('read back, the findings are those of the Report (as a v2 report held them)', () => {
    const rand = prng(9);
    for (let i = 0; i < 100; i++) {
      const report = randomReport(rand, 10);
      const read = readReportJson(JSON.parse(renderJson(report)));
      if (!read.ok) throw new Error(read.error);
      const v2 = JSON.parse(safeJson(report)) as Report;
      expect(read.report.findings).toStrictEqual(v2.findings);
      expect(read.report.suppressed).toStrictEqual(v2.suppressed);
    }
  });
});
