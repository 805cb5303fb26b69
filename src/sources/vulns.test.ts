import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScannerReport, severityOf } from './vulns.js';

const fixture = (f: string): unknown => JSON.parse(readFileSync(new URL(`../../test/fixtures/vulns/${f}`, import.meta.url), 'utf8'));

describe('scanner reports (upstream fixtures)', () => {
  it('reads trivy image JSON: severities, fixed versions, references', () => {
    const r = parseScannerReport(fixture('trivy-alpine-39.json'), 'trivy-alpine-39.json');
    expect(r.error).toBeUndefined();
    const [rep] = r.reports;
    expect(rep?.scanner).toBe('trivy');
    expect(rep?.references).toEqual(['ghcr.io/aquasecurity/trivy-test-images:alpine-39']);
    expect(rep?.digests).toEqual([]);
    const counts: Record<string, number> = {};
    for (const v of rep?.vulnerabilities ?? []) counts[v.severity] = (counts[v.severity] ?? 0) + 1;
    expect(counts).toEqual({ medium: 4, critical: 2 });
    expect(rep?.vulnerabilities.every((v) => v.fixable && v.fixedVersion !== undefined)).toBe(true);
  });
  it('reads grype JSON: manifest digest, fix state, known-exploited', () => {
    const r = parseScannerReport(fixture('grype-imgs.json'), 'grype-imgs.json');
    const [rep] = r.reports;
    expect(rep?.scanner).toBe('grype');
    expect(rep?.digests).toEqual(['sha256:ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5']);
    expect(rep?.vulnerabilities.map((v) => [v.id, v.severity, v.fixable, v.knownExploited])).toEqual([
      ['CVE-1999-0001', 'low', true, false],
      ['CVE-1999-0002', 'critical', false, true],
    ]);
  });
  it('reads trivy k8s JSON: one report per workload image, with its workload', () => {
    const r = parseScannerReport(fixture('trivy-k8s.json'), 'trivy-k8s.json');
    expect(r.reports.map((x) => [x.workload, x.digests, x.vulnerabilities.length])).toEqual([
      [{ kind: 'Deployment', name: 'api', namespace: 'shop' }, ['sha256:6e0eea28a356bfb422b93295eadd8ac43d4de8ca7032a1c7de376eb0de297f43'], 3],
      [{ kind: 'Deployment', name: 'web', namespace: 'shop' }, [], 0],
    ]);
    expect(r.reports[0]?.vulnerabilities.map((v) => v.fixable)).toEqual([true, false, false]);
  });
  it('rejects other documents with one line', () => {
    expect(parseScannerReport({ SchemaVersion: 1, Results: [] }, 'x').error).toBe('Trivy SchemaVersion 1 is not supported (only 2)');
    expect(parseScannerReport([], 'x').error).toMatch(/not a Trivy/);
    expect(parseScannerReport({ kind: 'Deployment' }, 'x').error).toMatch(/not a Trivy/);
  });
  it('maps severities of both scanners', () => {
    expect(['CRITICAL', 'High', 'medium', 'LOW', 'Negligible', 'UNKNOWN', 7].map(severityOf)).toEqual(['critical', 'high', 'medium', 'low', 'info', 'unknown', 'unknown']);
  });
});
