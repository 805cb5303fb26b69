/** Framework views decide from the runner's outcomes: FAIL only with findings, never PASS without a look. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { CheckResult, Report } from '../../core/report.js';
import { parseFrameworkData, type FrameworkCatalog, type FrameworkData } from './data.js';
import { frameworkView, scoreOf } from './view.js';

const catalog = (controls: { id: string; automated: boolean }[]): FrameworkCatalog => ({ framework: 'cis', name: 'CIS', version: 'v1.12', source: '', sections: [], controls: controls.map((c) => ({ ...c, title: c.id, section: c.id.slice(0, 3) })) });
const empty = (f: 'nsa' | 'mitre' | 'pss'): FrameworkCatalog => ({ framework: f, name: f, version: '', source: '', sections: [], controls: [] });
const DATA: FrameworkData = {
  catalogs: { cis: catalog([{ id: '5.2.2', automated: false }, { id: '5.3.2', automated: false }, { id: '5.4.1', automated: false }, { id: '5.4.2', automated: false }, { id: '1.2.1', automated: true }, { id: '3.2.2', automated: false }, { id: '5.1.1', automated: false }]), nsa: empty('nsa'), mitre: empty('mitre'), pss: empty('pss') },
  mappings: {
    'pod-privileged': { cis: ['5.2.2'], nsa: [], mitre: [], pss: [] },
    'netpol-namespace-no-default-deny': { cis: ['5.3.2'], nsa: [], mitre: [], pss: [] },
    'pod-env-secret-ref': { cis: ['5.4.1'], nsa: [], mitre: [], pss: [] },
    'apiserver-anonymous-auth': { cis: ['1.2.1'], nsa: [], mitre: [], pss: [] },
    'audit-policy-sensitive-body': { cis: ['3.2.2'], nsa: [], mitre: [], pss: [] },
    'rbac-cluster-admin-binding': { cis: ['5.1.1'], nsa: [], mitre: [], pss: [] },
  },
};

function result(id: string, outcome: CheckResult['outcome'], findings = 0, objects = 3): CheckResult {
  return { id, outcome, severity: 'high', findings, suppressed: 0, notEvaluated: outcome === 'not-evaluated' ? 1 : 0, resources: findings, objects };
}
function finding(checkId: string, ns: string): Finding {
  return { checkId, severity: 'high', title: checkId, message: `${checkId} in ${ns}`, resource: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'p' }, remediation: '', references: {}, fingerprint: `${checkId}|${ns}` };
}
function report(results: CheckResult[], findings: Finding[], notEvaluated: Report['notEvaluated'] = []): Report {
  return {
    schemaVersion: 3, tool: { name: 'kspect', version: '0' }, generatedAt: '2026-01-01T00:00:00Z', inputs: [],
    summary: { findings: findings.length, bySeverity: { critical: 0, high: findings.length, medium: 0, low: 0, info: 0 }, checksRun: results.length, objectsScanned: 3, skipped: 0, suppressed: 0, notEvaluated: notEvaluated.length, problems: 0 },
    checks: results.map((r) => ({ id: r.id, title: r.id, description: '', severity: 'high', category: r.id.startsWith('pod') ? 'workload' : r.id.startsWith('netpol') ? 'network' : 'control-plane', remediation: '', references: {} })),
    findings, suppressed: [], notEvaluated, problems: [], results,
  };
}

describe('frameworkView', () => {
  const r = report(
    [result('pod-privileged', 'fail', 1), result('netpol-namespace-no-default-deny', 'pass', 0, 0), result('pod-env-secret-ref', 'not-evaluated'), result('audit-policy-sensitive-body', 'not-applicable', 0, 0), result('rbac-cluster-admin-binding', 'manual')],
    [finding('pod-privileged', 'prod')],
    [{ checkId: 'pod-env-secret-ref', reason: 'forbidden', message: 'cannot list secrets' }, { checkId: 'rbac-cluster-admin-binding', reason: 'manual', message: 'group admins holds cluster-admin' }],
  );
  const v = frameworkView(r, DATA, 'cis', { namespaces: ['dev'] });
  const verdict = (id: string): string | undefined => v.controls.find((c) => c.id === id)?.verdict;

  it('FAIL with the findings as evidence', () => {
    expect(verdict('5.2.2')).toBe('FAIL');
    expect(v.controls.find((c) => c.id === '5.2.2')?.evidence[0]).toContain('Pod prod/p');
  });
  it('PASS when its check looked and found nothing (NetworkPolicies, an engine-wide check)', () => {
    expect(verdict('5.3.2')).toBe('PASS');
  });
  it('NOT_EVALUATED when its check could not decide, with why', () => {
    expect(verdict('5.4.1')).toBe('NOT_EVALUATED');
    expect(v.controls.find((c) => c.id === '5.4.1')?.evidence.join()).toContain('forbidden');
  });
  it('NOT_APPLICABLE when nothing its checks judge was in the input; NOT_EVALUATED when its checks did not run', () => {
    expect(verdict('3.2.2')).toBe('NOT_APPLICABLE');
    expect(v.controls.find((c) => c.id === '3.2.2')?.evidence.join()).toContain('nothing its checks judge was in the input');
    expect(verdict('1.2.1')).toBe('NOT_EVALUATED');
  });
  it('MANUAL with what was observed; a manual control without checks is MANUAL, never passed', () => {
    expect(verdict('5.1.1')).toBe('MANUAL');
    expect(v.controls.find((c) => c.id === '5.1.1')?.evidence).toEqual(['rbac-cluster-admin-binding: group admins holds cluster-admin']);
    expect(verdict('5.4.2')).toBe('MANUAL');
  });
  it('scores PASS / (PASS + FAIL), per framework and per namespace', () => {
    expect(v.summary).toEqual({ pass: 1, fail: 1, manual: 2, notEvaluated: 2, notApplicable: 1, score: 50 });
    expect(v.namespaces).toEqual([
      { namespace: 'dev', pass: 2, fail: 0, manual: 0, notEvaluated: 0, notApplicable: 0, score: 100 },
      { namespace: 'prod', pass: 1, fail: 1, manual: 0, notEvaluated: 0, notApplicable: 0, score: 50 },
    ]);
    expect(scoreOf([]).score).toBeNull();
  });
  it('follows the runner: checks that judged nothing (certificates in a manifest scan) make a control NOT_APPLICABLE, one that judged something makes it PASS', () => {
    const d = parseFrameworkData({}).data;
    expect(d.catalogs.cis.controls).toEqual([]);
    const data: FrameworkData = { ...DATA, mappings: { ...DATA.mappings, 'cert-identity': { cis: ['5.4.2'], nsa: [], mitre: [], pss: [] }, 'cert-system-masters': { cis: ['5.4.2'], nsa: [], mitre: [], pss: [] } } };
    const none = report([result('cert-identity', 'not-applicable', 0, 0), result('cert-system-masters', 'not-applicable', 0, 0)], []);
    const nv = frameworkView(none, data, 'cis');
    expect(nv.controls.find((c) => c.id === '5.4.2')?.verdict).toBe('NOT_APPLICABLE');
    expect(nv.summary.notApplicable).toBe(1);
    const some = report([result('cert-identity', 'not-applicable', 0, 0), result('cert-system-masters', 'pass', 0, 4)], []);
    const sv = frameworkView(some, data, 'cis').controls.find((c) => c.id === '5.4.2');
    expect(sv?.verdict).toBe('PASS');
    expect(sv?.evidence).toEqual(['cert-system-masters: 4 objects judged, no finding']);
  });
});
