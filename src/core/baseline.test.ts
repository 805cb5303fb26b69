import { describe, expect, it } from 'vitest';
import { makeBaseline, parseBaseline } from './baseline.js';
import type { Finding } from './finding.js';

const f = (fingerprint: string): Finding => ({ checkId: fingerprint.split('|')[0] ?? '', severity: 'high', title: 't', message: 'm', remediation: 'r', references: {}, fingerprint, resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p', container: 'c' }, path: 'spec' });

describe('baselines', () => {
  it('are deduplicated, sorted and round-trip', () => {
    const b = makeBaseline([f('z|1'), f('a|1'), f('z|1')]);
    expect(b.entries.map((e) => e.fingerprint)).toEqual(['a|1', 'z|1']);
    expect(b.entries[0]?.resource).toBe('Pod/a/p:c');
    const parsed = parseBaseline(JSON.parse(JSON.stringify(b)));
    expect(parsed.ok && [...parsed.fingerprints]).toEqual(['a|1', 'z|1']);
  });
  it('reject what is not a baseline', () => {
    expect(parseBaseline([])).toEqual({ ok: false, error: 'a baseline must be a JSON object' });
    expect(parseBaseline({ baselineVersion: 9, entries: [] })).toMatchObject({ ok: false });
    expect(parseBaseline({ baselineVersion: 1, entries: [{}] })).toEqual({ ok: false, error: 'every baseline entry needs a fingerprint' });
  });
});
