import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck, TEST_SETTINGS } from '../support/tester.js';
import { controllerVersion, ingressNginxUnsupported, isIngressNightmare } from './check.js';

testCheck(ingressNginxUnsupported, import.meta.dirname);

describe('CVE-2025-1974 affected versions', () => {
  it.each([
    ['v1.7.0', true],
    ['v1.11.4', true],
    ['v1.11.5', false],
    ['v1.12.0', true],
    ['v1.12.1', false],
    ['v1.13.0', false],
    ['v0.49.3', true],
  ])('%s affected: %s', (tag, affected) => {
    const v = controllerVersion(tag);
    expect(v).toBeDefined();
    if (v) expect(isIngressNightmare(v)).toBe(affected);
  });
});

it('any version is unsupported after the retirement', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: c, namespace: ingress-nginx}
spec:
  containers: [{name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.15.1}]
`;
  expect(runCheckOn(ingressNginxUnsupported, text, 'x.yaml', undefined, { ...TEST_SETTINGS, now: new Date('2026-01-01T00:00:00Z') }).findings).toEqual([]);
  expect(runCheckOn(ingressNginxUnsupported, text, 'x.yaml', undefined, { ...TEST_SETTINGS, now: new Date('2026-12-06T00:00:00Z') }).findings.map((f) => f.severity)).toEqual(['medium']);
});
