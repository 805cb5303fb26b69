import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../core/finding.js';
import type { K8sObject } from '../model/object.js';
import { Extras, FINGERPRINT_HASH_OFFSET, FindingColumns, fingerprintHash, RunFinding, type CheckShare } from './run-finding.js';

const share: CheckShare = { checkId: 'pod-x', title: 'T', remediation: 'R', references: { pss: ['privileged'] }, extras: new Extras() };
const resource = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p', container: 'c' };
const location = { file: 'a.yaml', line: 3, column: 5 };

describe('RunFinding', () => {
  it('reads as a Finding, the shared fields from its check', () => {
    const f = RunFinding.of(share, 'high', 'm', resource, location, false, undefined, 'spec.x', undefined, undefined, undefined);
    expect([f.checkId, f.title, f.remediation, f.references, f.fingerprint]).toEqual(['pod-x', 'T', 'R', share.references, fingerprintOf('pod-x', resource, 'spec.x', undefined)]);
    f.references = { pss: ['a'] };
    expect(f.references).toEqual({ pss: ['a'] });
    expect(share.references).toEqual({ pss: ['privileged'] });
  });

  it('keeps evidence, alsoReportedBy and its own references apart from one another when one changes', () => {
    const f = RunFinding.of(share, 'high', 'm', resource, location, false, undefined, 'spec.x', 'ev', undefined, undefined);
    const also = ['pss-baseline'];
    f.alsoReportedBy = also;
    f.references = { pss: ['a'] };
    expect([f.evidence, f.alsoReportedBy, f.references, f.fingerprintKey]).toEqual(['ev', also, { pss: ['a'] }, 'spec.x']);
    const keyed = RunFinding.of(share, 'low', 'm', resource, location, true, undefined, 'spec.x', undefined, 'k', { cis: ['1'] });
    keyed.alsoReportedBy = also;
    expect([keyed.fingerprintKey, keyed.references, keyed.alsoReportedBy, keyed.evidence]).toEqual(['k', { cis: ['1'] }, also, undefined]);
    expect(Object.keys(keyed.toJSON()).indexOf('location')).toBe(Object.keys(keyed.toJSON()).indexOf('resource') + 1);
  });

  it('shares equal extras: one object for the findings of a check with the same evidence and references', () => {
    const refs = { pss: ['b'] };
    const a = RunFinding.of(share, 'high', 'm1', resource, location, false, undefined, 'spec.x', 'ev', undefined, refs);
    const b = RunFinding.of(share, 'high', 'm2', resource, location, false, undefined, 'spec.y', 'ev', undefined, refs);
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
    const a = RunFinding.of(share, 'high', 'm1', resource, location, false, file, 'spec.x', undefined, undefined, undefined);
    const b = RunFinding.of(share, 'high', 'm2', resource, location, false, file, 'spec.y', undefined, undefined, undefined);
    const c = RunFinding.of(share, 'low', 'm3', resource, location, false, undefined, 'spec.z', 'ev', undefined, undefined);
    expect([a.severity, a.source, b.severity, c.severity, c.source, c.evidence]).toEqual(['high', file, 'high', 'low', undefined, 'ev']);
    b.severity = 'critical';
    c.severity = 'medium';
    expect([a.severity, b.severity, b.source, b.message, c.severity, c.evidence]).toEqual(['high', 'critical', file, 'm2', 'medium', 'ev']);
    expect((JSON.parse(JSON.stringify(b)) as { severity: string; source: unknown }).severity).toBe('critical');
    expect((JSON.parse(JSON.stringify(b)) as { source: unknown }).source).toEqual(file);
  });

  it('is written with the keys in the order reports have, a given location after the resource', () => {
    const found = RunFinding.of(share, 'high', 'm', resource, location, false, { type: 'file', uri: 'a.yaml' }, 'spec.x', 'e', 'k', undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(found)) as object)).toEqual(['checkId', 'severity', 'title', 'message', 'resource', 'source', 'path', 'evidence', 'remediation', 'references', 'fingerprint', 'location']);
    const given = RunFinding.of(share, 'high', 'm', undefined, location, true, undefined, undefined, undefined, undefined, undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(given)) as object)).toEqual(['checkId', 'severity', 'title', 'message', 'location', 'remediation', 'references', 'fingerprint']);
    expect((JSON.parse(JSON.stringify(found)) as { fingerprint: string }).fingerprint).toBe(fingerprintOf('pod-x', resource, 'k', undefined));
  });

  it('hashes the characters of its fingerprint: equal text, equal hash, whichever parts made it', () => {
    const a = RunFinding.of(share, 'high', 'm', { apiVersion: 'v1', kind: 'Pod', namespace: 'a/b', name: 'c' }, undefined, false, undefined, 'x', undefined, undefined, undefined);
    const b = RunFinding.of(share, 'low', 'n', { apiVersion: 'v2', kind: 'Pod', namespace: 'a', name: 'b/c' }, undefined, false, undefined, 'x', undefined, undefined, undefined);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(fingerprintHash(a)).toBe(fingerprintHash(b));
    const bySource = RunFinding.of(share, 'high', 'm', undefined, undefined, false, { type: 'node', uri: '/etc/k' }, undefined, undefined, 'key', undefined);
    const other = RunFinding.of(share, 'high', 'm', undefined, undefined, false, { type: 'node', uri: '/etc/j' }, undefined, undefined, 'key', undefined);
    expect(fingerprintHash(bySource)).not.toBe(fingerprintHash(other));
    // The hash is FNV-1a of the fingerprint text, from an offset basis mixed with a random number per process.
    expect(FINGERPRINT_HASH_OFFSET).not.toBe(0x811c9dc5 | 0);
    let h = FINGERPRINT_HASH_OFFSET;
    for (const ch of bySource.fingerprint) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    expect(fingerprintHash(bySource)).toBe(h);
  });
});

describe('FindingColumns', () => {
  const objA = { kind: 'Pod' } as unknown as K8sObject;
  const objB = { kind: 'Deployment' } as unknown as K8sObject;
  /** Findings given both ways: as RunFindings and into columns (strings copied, so that only interning shares them). */
  const given = (): { made: RunFinding[]; columns: FindingColumns } => {
    const other: CheckShare = { checkId: 'pod-y', title: 'T2', remediation: 'R2', references: {}, extras: new Extras() };
    const file = { type: 'file' as const, uri: 'a.yaml' };
    const specs: [CheckShare, 'high' | 'low', string, typeof resource | undefined, typeof location | undefined, boolean, typeof file | undefined, string | undefined, string | undefined, string | undefined, K8sObject | undefined][] = [
      [share, 'high', 'msg one', resource, location, false, file, 'spec.x', undefined, undefined, objA],
      [other, 'low', 'msg two', resource, { file: 'a.yaml', line: 4, column: 1 }, true, file, undefined, 'ev', 'k', objA],
      [share, 'high', 'msg one', resource, location, false, file, 'spec.x', undefined, undefined, objB],
      [other, 'high', 'msg three', undefined, undefined, false, { type: 'file', uri: 'b.yaml' }, '', undefined, undefined, undefined],
      [share, 'low', 'msg one', { ...resource, container: 'd' }, { file: 'b.yaml', line: 3, column: 5 }, false, file, 'spec.x', 'ev', undefined, objB],
      [share, 'high', 'msg one', resource, { file: 'a.yaml', line: 9, column: 5 }, false, file, 'spec.x', undefined, undefined, objA],
    ];
    const columns = new FindingColumns();
    const made = specs.map(([s, severity, message, r, l, lg, source, path, evidence, key, object]) => {
      const copy = (t: string | undefined): string | undefined => (t === undefined ? undefined : Array.from({ length: t.length }, (_, k) => t.charAt(k)).join(''));
      columns.push(s.extras.of(s, severity, source, key, undefined, lg, evidence, undefined), columns.text(copy(message) as string), r ? columns.resource(r) : 0, l, path !== undefined ? columns.text(copy(path) as string) : 0, object);
      return RunFinding.of(s, severity, message, r, l, lg, source, path, evidence, key, undefined);
    });
    return { made, columns };
  };

  it('makes the findings it was given, field for field and in the key order reports have', () => {
    const { made, columns } = given();
    expect(columns.length).toBe(6);
    expect(columns.objects).toEqual([objA, objA, objB, undefined, objB, objA]);
    for (let i = 0; i < made.length; i++) {
      const f = made[i] as RunFinding;
      expect(JSON.stringify(columns.finding(i))).toBe(JSON.stringify(f));
      expect([columns.checkId(i), columns.fingerprint(i), columns.hash(i)]).toEqual([f.checkId, f.fingerprint, fingerprintHash(f)]);
    }
    const all = columns.findings();
    expect(all.map((f) => JSON.stringify(f))).toEqual(made.map((f) => JSON.stringify(f)));
    expect(all.every((f) => f instanceof RunFinding)).toBe(true);
    expect([columns.length, columns.objects.length]).toEqual([0, 0]);
  });

  it('interns texts: equal texts one id and one string, an empty path not none', () => {
    const columns = new FindingColumns();
    const a = columns.text(['a', 'b', 'c'].join(''));
    expect(columns.text('abc')).toBe(a);
    expect(columns.text('')).not.toBe(0);
    expect([columns.textOf(0), columns.textOf(a), columns.textOf(columns.text(''))]).toEqual([undefined, 'abc', '']);
    columns.forgetTexts();
    expect(columns.text('abc')).not.toBe(a);
    expect(columns.textOf(a)).toBe('abc');
  });

  it('keeps a text apart when told: its own id, the same value; findings with equal texts kept apart still say the same', () => {
    const columns = new FindingColumns();
    const a = columns.text('said');
    expect(columns.knownText('said')).toBe(a);
    expect(columns.knownText('other')).toBeUndefined();
    const b = columns.textApart(['sa', 'id'].join(''));
    expect(b).not.toBe(a);
    expect(columns.textOf(b)).toBe('said');
    expect(columns.knownText('said')).toBe(a);
    const extra = share.extras.of(share, 'high', undefined, undefined, undefined, false, undefined, undefined);
    columns.push(extra, a, 0, location, 0, undefined);
    columns.push(extra, b, 0, { ...location }, 0, undefined);
    columns.push(extra, columns.textApart('other'), 0, location, 0, undefined);
    expect([columns.same(0, 1), columns.same(0, 2)]).toEqual([true, false]);
  });

  it('tells findings that say the same at the same line (message, file, line) apart from others', () => {
    const { columns } = given();
    expect(columns.same(0, 2)).toBe(true);
    expect(columns.same(0, 1)).toBe(false);
    expect(columns.same(0, 4)).toBe(false);
    expect(columns.same(0, 3)).toBe(false);
    expect(columns.same(0, 5)).toBe(false);
  });

  it('moves, drops and reorders entries in every column together', () => {
    const { made, columns } = given();
    columns.move(2, 0);
    columns.move(4, 1);
    columns.truncate(2);
    expect(columns.length).toBe(2);
    expect(columns.objects).toEqual([objB, objB]);
    expect([0, 1].map((i) => JSON.stringify(columns.finding(i)))).toEqual([2, 4].map((i) => JSON.stringify(made[i])));
    const lists = columns.lists();
    for (const list of lists) [list[0], list[1]] = [list[1], list[0]];
    expect([0, 1].map((i) => JSON.stringify(columns.finding(i)))).toEqual([4, 2].map((i) => JSON.stringify(made[i])));
  });

  it('keeps a plain location as numbers and makes it again equal, any other location as given', () => {
    const columns = new FindingColumns();
    const extra = share.extras.of(share, 'high', undefined, undefined, undefined, false, undefined, undefined);
    const given = [
      { file: 'a.yaml', line: 3, column: 5 },
      { file: 'b.yaml', line: 4_194_303, column: 1023 },
      { file: 'a.yaml', line: 4_194_304, column: 1 },
      { file: 'a.yaml', line: 7, column: 1024 },
      { file: 'a.yaml', line: 1.5, column: 1 },
      { line: 3, file: 'a.yaml', column: 5 },
      { file: 'a.yaml', line: 3, column: 5, end: 9 },
    ];
    for (const l of given) columns.push(extra, columns.text('m'), 0, l, 0, undefined);
    columns.push(extra, columns.text('m'), 0, undefined, 0, undefined);
    const made = columns.findings().map((f) => f.location);
    expect(made.map((l) => JSON.stringify(l))).toEqual([...given.map((l) => JSON.stringify(l)), undefined]);
    // Plain ones are made anew; the others are the objects given.
    expect(made.map((l, i) => l === given[i])).toEqual([false, false, true, true, true, true, true, true]);
  });

  it('grows past its first capacity and keeps every entry', () => {
    const columns = new FindingColumns();
    const extra = share.extras.of(share, 'high', undefined, undefined, undefined, false, undefined, undefined);
    for (let i = 0; i < 1000; i++) columns.push(extra, columns.text(`m${i}`), columns.resource({ ...resource, name: `p${i}` }), undefined, columns.text('spec.x'), undefined);
    expect(columns.length).toBe(1000);
    expect([0, 255, 256, 999].map((i) => [columns.finding(i).message, columns.finding(i).resource?.name])).toEqual([['m0', 'p0'], ['m255', 'p255'], ['m256', 'p256'], ['m999', 'p999']]);
  });
});
