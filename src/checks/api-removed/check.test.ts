import { expect, it } from 'vitest';
import { runCheckOn, testCheck, TEST_SETTINGS } from '../support/tester.js';
import { apiRemoved, REMOVED_APIS } from './check.js';

testCheck(apiRemoved, import.meta.dirname);

it('says whether the target version still serves the API', () => {
  const text = 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c, namespace: x}\nspec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: []}}}}}\n';
  const msg = (k8sVersion?: string): string | undefined =>
    runCheckOn(apiRemoved, text, 'f.yaml', undefined, { ...TEST_SETTINGS, ...(k8sVersion !== undefined ? { k8sVersion } : {}) }).findings[0]?.message;
  expect(msg()).toBe('CronJob batch/v1beta1 is not served since Kubernetes v1.25; use batch/v1');
  expect(msg('1.24')).toContain('still served by the target version 1.24');
  expect(msg('1.25')).toContain('the target version 1.25 rejects it');
});

it('keys every removal by apiVersion and Kind', () => {
  for (const [key, r] of REMOVED_APIS) {
    expect(key).toMatch(/^[a-z0-9.]+\/v\d+(?:(?:alpha|beta)\d+)? [A-Z][A-Za-z]+$/);
    expect(r.removedIn).toBeGreaterThanOrEqual(16);
  }
});
