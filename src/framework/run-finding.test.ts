import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../core/finding.js';
import { Extras, fingerprintHash, RunFinding, type CheckShare } from './run-finding.js';

const share: CheckShare = { checkId: 'pod-x', title: 'T', remediation: 'R', references: { pss: ['privileged'] }, extras: new Extras() };
const resource = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p', container: 'c' };
const location = { file: 'a.yaml', line: 3, column: 5 };

describe('RunFinding', () => {
  it('reads as a Finding, the shared fields from its check', () => {
    const f = new RunFinding(share, 'high', 'm', resource, location, false, undefined, 'spec.x', undefined, undefined, undefined);
    expect([f.checkId, f.title, f.remediation, f.references, f.fingerprint]).toEqual(['pod-x', 'T', 'R', share.references, fingerprintOf('pod-x', resource, 'spec.x', undefined)]);
    f.references = { pss: ['a'] };
    expect(f.references).toEqual({ pss: ['a'] });
    expect(share.references).toEqual({ pss: ['privileged'] });
  });

  it('keeps evidence, alsoReportedBy and its own references apart from one another when one changes', () => {
    const f = new RunFinding(share, 'high', 'm', resource, location, false, undefined, 'spec.x', 'ev', undefined, undefined);
    const also = ['pss-baseline'];
    f.alsoReportedBy = also;
    f.references = { pss: ['a'] };
    expect([f.evidence, f.alsoReportedBy, f.references, f.fingerprintKey]).toEqual(['ev', also, { pss: ['a'] }, 'spec.x']);
    const keyed = new RunFinding(share, 'low', 'm', resource, location, true, undefined, 'spec.x', undefined, 'k', { cis: ['1'] });
    keyed.alsoReportedBy = also;
    expect([keyed.fingerprintKey, keyed.references, keyed.alsoReportedBy, keyed.evidence]).toEqual(['k', { cis: ['1'] }, also, undefined]);
    expect(Object.keys(keyed.toJSON()).indexOf('location')).toBe(Object.keys(keyed.toJSON()).indexOf('resource') + 1);
  });

  it('shares equal extras: one object for the findings of a check with the same evidence and references', () => {
    const refs = { pss: ['b'] };
    const a = new RunFinding(share, 'high', 'm1', resource, location, false, undefined, 'spec.x', 'ev', undefined, refs);
    const b = new RunFinding(share, 'high', 'm2', resource, location, false, undefined, 'spec.y', 'ev', undefined, refs);
    const extras = share.extras;
    const of = (severity: 'high' | 'low', source: { type: 'file'; uri: string } | undefined, refs2: typeof refs | undefined, evidence: string | undefined) => extras.of(share, severity, source, undefined, refs2, false, evidence, undefined);
    expect(of('high', undefined, refs, 'ev')).toBe(of('high', undefined, refs, 'ev'));
    expect(of('high', undefined, refs, 'ev')).not.toBe(of('high', undefined, refs, 'other'));
    expect(of('high', undefined, refs, '')).not.toBe(of('high', undefined, refs, undefined));
    expect(of('high', undefined, refs, 'ev')).not.toBe(of('low', undefined, refs, 'ev'));
    // Findings with nothing of their own share one per severity and source.
    const file = { type: 'file' as const, uri: 'a.yaml' };
    expect(of('high', file, undefined, undefined)).toBe(of('high', file, undefined, undefined));
    expect(of('high', file, undefined, undefined)).not.toBe(of('low', file, undefined, undefined));
    expect(of('high', file, undefined, undefined)).not.toBe(of('high', { ...file }, undefined, undefined));
    expect(of('high', file, refs, 'ev')).not.toBe(of('high', { ...file }, refs, 'ev'));
    expect([a.evidence, b.evidence, a.references, b.references]).toEqual(['ev', 'ev', refs, refs]);
  });

  it('keeps its severity and source with what it shares, and a changed severity is its own', () => {
    const file = { type: 'file' as const, uri: 'a.yaml' };
    const a = new RunFinding(share, 'high', 'm1', resource, location, false, file, 'spec.x', undefined, undefined, undefined);
    const b = new RunFinding(share, 'high', 'm2', resource, location, false, file, 'spec.y', undefined, undefined, undefined);
    const c = new RunFinding(share, 'low', 'm3', resource, location, false, undefined, 'spec.z', 'ev', undefined, undefined);
    expect([a.severity, a.source, b.severity, c.severity, c.source, c.evidence]).toEqual(['high', file, 'high', 'low', undefined, 'ev']);
    b.severity = 'critical';
    c.severity = 'medium';
    expect([a.severity, b.severity, b.source, b.message, c.severity, c.evidence]).toEqual(['high', 'critical', file, 'm2', 'medium', 'ev']);
    expect((JSON.parse(JSON.stringify(b)) as { severity: string; source: unknown }).severity).toBe('critical');
    expect((JSON.parse(JSON.stringify(b)) as { source: unknown }).source).toEqual(file);
  });

  it('is written with the keys in the order reports have, a given location after the resource', () => {
    const found = new RunFinding(share, 'high', 'm', resource, location, false, { type: 'file', uri: 'a.yaml' }, 'spec.x', 'e', 'k', undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(found)) as object)).toEqual(['checkId', 'severity', 'title', 'message', 'resource', 'source', 'path', 'evidence', 'remediation', 'references', 'fingerprint', 'location']);
    const given = new RunFinding(share, 'high', 'm', undefined, location, true, undefined, undefined, undefined, undefined, undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(given)) as object)).toEqual(['checkId', 'severity', 'title', 'message', 'location', 'remediation', 'references', 'fingerprint']);
    expect((JSON.parse(JSON.stringify(found)) as { fingerprint: string }).fingerprint).toBe(fingerprintOf('pod-x', resource, 'k', undefined));
  });

  it('hashes the characters of its fingerprint: equal text, equal hash, whichever parts made it', () => {
    const a = new RunFinding(share, 'high', 'm', { apiVersion: 'v1', kind: 'Pod', namespace: 'a/b', name: 'c' }, undefined, false, undefined, 'x', undefined, undefined, undefined);
    const b = new RunFinding(share, 'low', 'n', { apiVersion: 'v2', kind: 'Pod', namespace: 'a', name: 'b/c' }, undefined, false, undefined, 'x', undefined, undefined, undefined);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(fingerprintHash(a)).toBe(fingerprintHash(b));
    const bySource = new RunFinding(share, 'high', 'm', undefined, undefined, false, { type: 'node', uri: '/etc/k' }, undefined, undefined, 'key', undefined);
    const other = new RunFinding(share, 'high', 'm', undefined, undefined, false, { type: 'node', uri: '/etc/j' }, undefined, undefined, 'key', undefined);
    expect(fingerprintHash(bySource)).not.toBe(fingerprintHash(other));
    // The hash is FNV-1a of the fingerprint text.
    let h = 0x811c9dc5;
    for (const ch of bySource.fingerprint) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    expect(fingerprintHash(bySource)).toBe(h);
  });
});
