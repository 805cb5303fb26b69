/** Resource labels and keys: written once per resource object, the same for equal resources and for copies. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { checkSummaries, resourceKey, resourceLabel } from './view.js';

const base = FIXED_REPORT.findings[0] as Finding;
const on = (resource: Finding['resource'], checkId = base.checkId): Finding => ({ ...base, checkId, ...(resource ? { resource } : { resource: undefined }) });

describe('resource labels and keys', () => {
  it('label with and without the namespace, asked in any order of the same object', () => {
    const r = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' };
    expect(resourceLabel(on(r), false)).toBe('ConfigMap x');
    expect(resourceLabel(on(r))).toBe('ConfigMap a/x');
    expect(resourceLabel(on(r), false)).toBe('ConfigMap x');
    expect(resourceLabel(on({ apiVersion: 'v1', kind: 'Namespace', name: 'a' }))).toBe('Namespace a');
  });

  it('a key tells resources apart by apiVersion, kind, namespace and name, equal for copies', () => {
    const r = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' };
    expect(resourceKey(on(r))).toBe(resourceKey(on({ ...r })));
    expect(resourceKey(on(r))).not.toBe(resourceKey(on({ ...r, apiVersion: 'v2' })));
    expect(resourceKey(on(r))).not.toBe(resourceKey(on({ ...r, namespace: 'b' })));
    expect(resourceKey(on(r))).not.toBe(resourceKey(on({ ...r, name: 'y' })));
  });

  it('the per-check summary counts equal resources once, whether one object or copies', () => {
    const r = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' };
    const findings = [on(r, 'c1'), on(r, 'c1'), on({ ...r }, 'c1'), on({ ...r, name: 'y' }, 'c1'), on({ ...r }, 'c2')];
    const rows = checkSummaries({ ...FIXED_REPORT, findings, suppressed: [] });
    expect(rows.map((s) => [s.id, s.findings, s.resources])).toEqual([
      ['c1', 4, 2],
      ['c2', 1, 1],
    ]);
  });
});
