import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { policyReports, renderPolicyReport, REPORT_API_KINDS, writePolicyReport, type ReportApi } from './policyreport.js';
import { safeJson } from './safe-json.js';

const CRDS = join(import.meta.dirname, '../../test/fixtures/crds');

/** The openAPIV3Schema of a CRD file at a version. */
function schemaOf(file: string, version: string): object {
  const crd = parse(readFileSync(join(CRDS, file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  return v.schema.openAPIV3Schema;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('int32', true);
ajv.addFormat('int64', true);
ajv.addFormat('date-time', true);
const validators: Record<string, ReturnType<typeof ajv.compile>> = {
  'wgpolicyk8s.io/v1alpha2 PolicyReport': ajv.compile(schemaOf('wgpolicyk8s.io_policyreports.yaml', 'v1alpha2')),
  'wgpolicyk8s.io/v1alpha2 ClusterPolicyReport': ajv.compile(schemaOf('wgpolicyk8s.io_clusterpolicyreports.yaml', 'v1alpha2')),
  'openreports.io/v1alpha1 Report': ajv.compile(schemaOf('openreports.io_reports.yaml', 'v1alpha1')),
  'openreports.io/v1alpha1 ClusterReport': ajv.compile(schemaOf('openreports.io_clusterreports.yaml', 'v1alpha1')),
};

function finding(i: number, namespace: string): Finding {
  return {
    checkId: 'pod-privileged',
    severity: 'high',
    title: 'Privileged container',
    message: `container "app" runs privileged (${'x'.repeat(200)})`,
    resource: { apiVersion: 'v1', kind: 'Pod', namespace, name: `pod-${i}`, container: 'app' },
    path: 'spec.containers[0].securityContext.privileged',
    remediation: 'do not',
    references: { pss: ['privileged'], cis: ['5.2.1'] },
    fingerprint: `fp-${i}`,
  };
}

describe('policy reports', () => {
  for (const api of ['wgpolicyk8s', 'openreports'] as ReportApi[]) {
    it(`${api}: every object is valid against the vendored CRD schema, with {seconds, nanos} timestamps`, () => {
      const objects = policyReports({ ...FIXED_REPORT, generatedAt: '2026-06-01T12:00:00.250Z' }, { api });
      expect(objects.length).toBeGreaterThan(1);
      for (const o of objects) {
        const validate = validators[`${o.apiVersion} ${o.kind}`];
        expect(validate, `${o.apiVersion} ${o.kind}`).toBeDefined();
        expect(validate?.(o), JSON.stringify(validate?.errors)).toBe(true);
        expect(o.apiVersion).toBe(REPORT_API_KINDS[api].apiVersion);
        for (const r of o.results) expect(r.timestamp).toEqual({ seconds: 1780315200, nanos: 250_000_000 });
      }
    });
  }

  it('a string timestamp (what the schema forbids) would be refused: the validator is not a pass-through', () => {
    const [o] = policyReports(FIXED_REPORT);
    const broken = { ...o, results: o?.results.map((r) => ({ ...r, timestamp: '2026-06-01T12:00:00Z' })) };
    expect(validators['wgpolicyk8s.io/v1alpha2 ClusterPolicyReport']?.(broken)).toBe(false);
  });

  it('findings are fail, suppressed findings skip, not-evaluated items error (manual: skip), with the reason', () => {
    const objects = policyReports(FIXED_REPORT);
    const results = objects.flatMap((o) => o.results);
    expect(results.filter((r) => r.result === 'fail')).toHaveLength(FIXED_REPORT.findings.length);
    expect(results.filter((r) => r.result === 'skip' && String(r.message).startsWith('suppressed'))).toHaveLength(FIXED_REPORT.suppressed.length);
    expect(results.filter((r) => String(r.message).startsWith('not evaluated'))).toHaveLength(FIXED_REPORT.notEvaluated.length);
    for (const o of objects) expect(o.summary.fail + o.summary.skip + o.summary.error + o.summary.warn + o.summary.pass).toBe(o.results.length);
  });

  it('splits a namespace by the byte budget, deterministically, and gives scanned namespaces without findings an empty report', () => {
    const findings = Array.from({ length: 3000 }, (_, i) => finding(i, 'big'));
    const report: Report = { ...FIXED_REPORT, findings, suppressed: [], notEvaluated: [] };
    const objects = policyReports(report, { budget: 256 * 1024, namespaces: ['big', 'clean'] });
    const big = objects.filter((o) => o.metadata.namespace === 'big');
    expect(big.length).toBeGreaterThan(3);
    expect(big.map((o) => o.metadata.name)).toEqual(big.map((_, i) => (i === 0 ? 'kspect' : `kspect-${i + 1}`)));
    for (const o of big) expect(Buffer.byteLength(JSON.stringify(o.results))).toBeLessThanOrEqual(256 * 1024 + 2);
    expect(big.reduce((n, o) => n + o.results.length, 0)).toBe(3000);
    expect(objects.find((o) => o.metadata.namespace === 'clean')?.results).toEqual([]);
    expect(JSON.stringify(policyReports(report, { budget: 256 * 1024 }))).toBe(JSON.stringify(policyReports({ ...report, findings: [...findings].reverse() }, { budget: 256 * 1024 })));
  });

  it('where a namespace splits depends on the findings alone: not on the clock (1 to 9 digits of nanos) nor on their order', () => {
    // Sizes chosen so that 9 more bytes per result would move the boundaries.
    const findings = Array.from({ length: 3000 }, (_, i) => ({ ...finding(i, 'big'), message: `m${'y'.repeat(i % 97)}` }));
    const names = (generatedAt: string, list: Finding[]): string[][] =>
      policyReports({ ...FIXED_REPORT, generatedAt, findings: list, suppressed: [], notEvaluated: [] }, { budget: 64 * 1024 }).map((o) => o.results.map((r) => JSON.stringify({ ...r, timestamp: undefined })));
    const at = names('2026-06-01T12:00:00.000Z', findings);
    expect(at.length).toBeGreaterThan(10);
    for (const t of ['2026-06-01T12:00:00.007Z', '2026-06-01T12:00:00.050Z', '2026-06-01T12:00:00.999Z', '2030-01-01T00:00:00.123Z']) expect(names(t, findings)).toEqual(at);
    // Findings equal in kind, name, check and path are ordered by the rest of their content.
    const twins = findings.map((f, i) => ({ ...f, resource: { ...f.resource, name: `pod-${i % 10}` } }) as Finding);
    expect(names('2026-06-01T12:00:00.000Z', [...twins].reverse())).toEqual(names('2026-06-01T12:00:00.000Z', twins));
  });

  it('the streamed List is byte for byte the List written in one piece, for both APIs', () => {
    const findings = Array.from({ length: 500 }, (_, i) => finding(i, i % 2 === 0 ? 'a' : 'b'));
    const report: Report = { ...FIXED_REPORT, findings };
    for (const api of ['wgpolicyk8s', 'openreports'] as const) {
      expect(renderPolicyReport(report, { api })).toBe(safeJson({ apiVersion: 'v1', kind: 'List', items: policyReports(report, { api }) }));
    }
    expect(renderPolicyReport({ ...FIXED_REPORT, findings: [], suppressed: [], notEvaluated: [] })).toBe(safeJson({ apiVersion: 'v1', kind: 'List', items: [] }));
  });

  it('writes one namespace at a time: a namespace\'s results are made after the namespaces before it are written', () => {
    // When each finding's message is read (its result made), how much text the sink had: namespace a's 150 results
    // (~150 KB, over two chunks) are written before namespace b's are made.
    let text = '';
    const reads: { ns: string; at: number }[] = [];
    const findings = Array.from({ length: 170 }, (_, i) => {
      const f = finding(i, i < 150 ? 'a' : 'b');
      const { message } = f;
      return Object.defineProperty({ ...f }, 'message', {
        enumerable: true,
        get: () => {
          reads.push({ ns: f.resource?.namespace ?? '', at: text.length });
          return message;
        },
      });
    });
    writePolicyReport({ ...FIXED_REPORT, findings, suppressed: [], notEvaluated: [] }, {}, (chunk) => {
      text += chunk;
    });
    const readsOf = (ns: string): number[] => reads.filter((r) => r.ns === ns).map((r) => r.at);
    expect(readsOf('a').length).toBeGreaterThanOrEqual(150);
    expect(readsOf('b').length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...readsOf('a'))).toBe(0);
    // (All made first, as before: b's results were made with nothing written.)
    expect(Math.min(...readsOf('b'))).toBeGreaterThan(64 * 1024);
    expect(text).toBe(renderPolicyReport({ ...FIXED_REPORT, findings: findings.map((f) => ({ ...f })), suppressed: [], notEvaluated: [] }));
  });

  it('the field path, line and framework ids are properties; the resource reference names the field', () => {
    const objects = policyReports({ ...FIXED_REPORT, findings: [finding(1, 'shop')], suppressed: [], notEvaluated: [] });
    const r = objects[0]?.results[0];
    expect(r?.resources).toEqual([{ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'pod-1', fieldPath: 'spec.containers[0].securityContext.privileged' }]);
    expect(r?.properties).toMatchObject({ path: 'spec.containers[0].securityContext.privileged', pss: 'privileged', cis: '5.2.1', container: 'app' });
    expect(r?.severity).toBe('high');
    expect(renderPolicyReport(FIXED_REPORT)).toContain('"kind": "List"');
  });
});
