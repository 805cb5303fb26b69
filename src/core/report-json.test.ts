import { describe, expect, it } from 'vitest';
import type { Finding, References, SuppressedFinding } from './finding.js';
import { jsonFinding, readReportJson, reportJsonValue, sameReferences } from './report-json.js';
import type { CheckInfo, Report } from './report.js';
import { SEVERITIES } from './severity.js';

const CHECK: CheckInfo = {
  id: 'pod-privileged',
  title: 'Privileged container',
  description: 'd',
  severity: 'critical',
  category: 'workload',
  remediation: 'Remove `privileged: true`.',
  references: { pss: ['privileged'], cis: ['5.2.2'] },
};

const FINDING: Finding = {
  checkId: 'pod-privileged',
  severity: 'high',
  title: CHECK.title,
  message: 'container "app" runs privileged',
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p', container: 'app' },
  location: { file: 'a.yaml', line: 3, column: 5 },
  path: 'spec.containers[0].securityContext.privileged',
  remediation: CHECK.remediation,
  references: { pss: ['privileged'], cis: ['5.2.2'] },
  fingerprint: 'pod-privileged|Pod/ns/p/app|spec.containers[0].securityContext.privileged',
};

function report(findings: readonly Finding[], suppressed: readonly SuppressedFinding[] = [], checks: readonly CheckInfo[] = [CHECK]): Report {
  return {
    schemaVersion: 3,
    tool: { name: 'kspect', version: '0' },
    generatedAt: '2026-01-01T00:00:00Z',
    inputs: [],
    summary: { findings: findings.length, bySeverity: { critical: 0, high: findings.length, medium: 0, low: 0, info: 0 }, checksRun: checks.length, objectsScanned: 1, skipped: 0, suppressed: suppressed.length, notEvaluated: 0, problems: 0 },
    checks,
    findings,
    suppressed,
    notEvaluated: [],
    problems: [],
  };
}

/** The report as a version 2 JSON held it: JSON.stringify of the in-memory Report (whole findings). */
function asV2(r: Report): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(r)) as Record<string, unknown>), schemaVersion: 2 };
}

describe('jsonFinding (what a v3 JSON finding holds)', () => {
  it('leaves out title, remediation and references that equal its check (references compared by value)', () => {
    const j = jsonFinding(FINDING, CHECK);
    expect(Object.keys(j)).toEqual(['checkId', 'severity', 'message', 'resource', 'location', 'path', 'fingerprint']);
  });
  it('keeps what differs: a folded finding writes its references whole', () => {
    const folded: Finding = { ...FINDING, references: { pss: ['privileged', 'baseline'], cis: ['5.2.2'] }, alsoReportedBy: ['pss-baseline'] };
    const j = jsonFinding(folded, CHECK);
    expect(j.references).toEqual({ pss: ['privileged', 'baseline'], cis: ['5.2.2'] });
    expect(j.title).toBeUndefined();
    expect(jsonFinding({ ...FINDING, title: 'other' }, CHECK).title).toBe('other');
    expect(jsonFinding({ ...FINDING, remediation: 'other' }, CHECK).remediation).toBe('other');
  });
  it('writes everything when its check is not listed', () => {
    const j = jsonFinding(FINDING, undefined);
    expect([j.title, j.remediation, j.references]).toEqual([FINDING.title, FINDING.remediation, FINDING.references]);
  });
  it('reads the Finding fields, not the object keys: fields present as undefined are left out, nested objects in a fixed order', () => {
    const odd = { fingerprint: FINDING.fingerprint, alsoReportedBy: undefined, evidence: undefined, location: undefined, resource: { name: 'p', kind: 'Pod', apiVersion: 'v1', namespace: undefined }, message: 'm', references: { cis: ['5.2.2'], pss: ['privileged'] }, remediation: CHECK.remediation, title: CHECK.title, severity: 'low', checkId: 'pod-privileged', extra: 'not a Finding field' } as unknown as Finding;
    expect(JSON.stringify(jsonFinding(odd, CHECK))).toBe(`{"checkId":"pod-privileged","severity":"low","message":"m","resource":{"apiVersion":"v1","kind":"Pod","name":"p"},"fingerprint":"${FINDING.fingerprint}"}`);
  });
});

describe('sameReferences', () => {
  it('compares the lists, not the objects; undefined fields are absent', () => {
    const a: References = { pss: ['x'], cis: ['1'] };
    expect(sameReferences(a, { cis: ['1'], pss: ['x'] })).toBe(true);
    expect(sameReferences(a, { pss: ['x'], cis: ['1'], urls: undefined } as unknown as References)).toBe(true);
    expect(sameReferences(a, { pss: ['x'] })).toBe(false);
    expect(sameReferences(a, { pss: ['x', 'y'], cis: ['1'] })).toBe(false);
    expect(sameReferences(a, { pss: ['y'], cis: ['1'] })).toBe(false);
    expect(sameReferences({}, {})).toBe(true);
    expect(sameReferences({}, { pss: [] })).toBe(false);
  });
});

describe('readReportJson: every version gives the same findings back', () => {
  const folded: Finding = { ...FINDING, fingerprint: 'f2', references: { pss: ['privileged', 'baseline'], cis: ['5.2.2'] }, alsoReportedBy: ['pss-baseline'] };
  const unlisted: Finding = { ...FINDING, checkId: 'other', fingerprint: 'f3', title: 'T', remediation: 'R', references: {} };
  const suppressed: SuppressedFinding = { finding: { ...FINDING, fingerprint: 'f4' }, by: 'annotation', reason: 'why', annotation: { object: 'Pod ns/p', file: 'a.yaml', line: 2 } };
  const r = report([FINDING, folded, unlisted], [suppressed]);
  const v3 = JSON.parse(JSON.stringify(reportJsonValue(r))) as Record<string, unknown>;

  it('v3 restores title, remediation and references from checks: equal to the v2 findings', () => {
    expect((v3.findings as Record<string, unknown>[])[0]).not.toHaveProperty('title');
    const read = readReportJson(v3);
    if (!read.ok) throw new Error(read.error);
    const v2 = asV2(r);
    expect(read.report.findings).toStrictEqual(v2.findings);
    expect(read.report.suppressed).toStrictEqual(v2.suppressed);
    expect({ ...read.report, schemaVersion: 2 }).toStrictEqual(v2);
  });
  it('v1 and v2 findings come back as written', () => {
    for (const version of [1, 2]) {
      const doc: Record<string, unknown> = { ...asV2(r), schemaVersion: version };
      const read = readReportJson(doc);
      if (!read.ok) throw new Error(read.error);
      expect(read.report.schemaVersion).toBe(version);
      expect(read.report.findings).toStrictEqual(doc.findings);
      expect(read.report.suppressed).toStrictEqual(doc.suppressed);
    }
  });
  it('refuses what is not a report it reads, saying why', () => {
    const bad = (doc: unknown): string => {
      const x = readReportJson(doc);
      return x.ok ? 'ok' : x.error;
    };
    expect(bad([])).toBe('not a JSON object');
    expect(bad({ ...v3, schemaVersion: 9 })).toBe('schemaVersion 9 (kspect reads 1, 2 or 3)');
    expect(bad({ findings: [] })).toBe('no schemaVersion (kspect reads 1, 2 or 3)');
    expect(bad({ ...v3, findings: {} })).toBe('findings is not a list');
    expect(bad({ ...v3, findings: [{ checkId: 'x' }] })).toBe('findings[0] has no checkId or fingerprint');
    expect(bad({ ...v3, findings: [{ checkId: 'x', fingerprint: 'f', severity: 'urgent', message: 'm' }] })).toBe('findings[0] has no severity');
    // A v3 finding that left out its title needs its check in checks.
    expect(bad({ ...v3, checks: [] })).toBe('findings[0] (pod-privileged) has no title, remediation or references, and its check is not in checks');
    expect(bad({ ...v3, suppressed: [3] })).toBe('suppressed[0] is not an object');
  });
  it('on random findings: each field equal to its check or not, with or without a listed check', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const checks: CheckInfo[] = ['a', 'b', 'c'].map((id) => ({ ...CHECK, id, title: `t-${id}`, remediation: `r-${id}`, references: pick([{}, { pss: ['x'] }, { cis: ['1', '2'], urls: ['u'] }]) }));
    for (let n = 0; n < 200; n++) {
      const findings: Finding[] = [];
      for (let i = 0; i < 8; i++) {
        const id = pick(['a', 'b', 'c', 'd']);
        const check = checks.find((c) => c.id === id);
        findings.push({
          checkId: id,
          severity: pick(SEVERITIES),
          title: rand() < 0.8 && check ? check.title : `own ${i}`,
          message: `m${i}`,
          ...(rand() < 0.7 ? { resource: { apiVersion: 'v1', kind: 'Pod', name: `p${i}`, ...(rand() < 0.5 ? { namespace: 'n' } : {}) } } : {}),
          ...(rand() < 0.5 ? { source: { type: 'file' as const, uri: 'f' } } : {}),
          ...(rand() < 0.5 ? { evidence: 'e' } : {}),
          remediation: rand() < 0.8 && check ? check.remediation : 'own',
          references: rand() < 0.6 && check ? check.references : pick<References>([{}, { pss: ['x', 'y'] }, { mitre: ['T1'] }]),
          fingerprint: `${id}|${i}`,
          ...(rand() < 0.2 ? { alsoReportedBy: ['z'] } : {}),
        });
      }
      const rep = report(findings, findings.slice(0, 2).map((f) => ({ finding: f, by: 'config' as const, reason: 'r' })), checks);
      const read = readReportJson(JSON.parse(JSON.stringify(reportJsonValue(rep))));
      if (!read.ok) throw new Error(read.error);
      const v2 = asV2(rep);
      expect(read.report.findings).toStrictEqual(v2.findings);
      expect(read.report.suppressed).toStrictEqual(v2.suppressed);
    }
  });
});
