import { expect, it } from 'vitest';
import { runCheckOn, testCheck, TEST_SETTINGS } from '../support/tester.js';
import { clusterVersionEol, endOfLife } from './check.js';

testCheck(clusterVersionEol, import.meta.dirname);

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n';

it('judges against the run clock, and not at all without a target version', () => {
  const at = (k8sVersion: string | undefined, now: string) =>
    runCheckOn(clusterVersionEol, ns, 'x.yaml', undefined, { ...TEST_SETTINGS, ...(k8sVersion !== undefined ? { k8sVersion } : {}), now: new Date(now) }).findings.length;
  expect(at('1.33', '2026-06-28T12:00:00Z')).toBe(0);
  expect(at('1.33', '2026-06-30T00:00:00Z')).toBe(1);
  expect(at('1.19', '2026-01-01T00:00:00Z')).toBe(1);
  expect(at('1.99', '2030-01-01T00:00:00Z')).toBe(0);
  expect(at(undefined, '2030-01-01T00:00:00Z')).toBe(0);
  expect(endOfLife(34)).toBe('2026-10-27');
});
