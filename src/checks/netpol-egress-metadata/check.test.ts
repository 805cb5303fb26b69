import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { netpolEgressMetadata } from './check.js';

testCheck(netpolEgressMetadata, import.meta.dirname);

it('judges allow-all egress no worse than no egress policy: low, once per namespace', () => {
  const policy = (name: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app: ${name}}}
  policyTypes: [Egress]
  egress: [{}]
`;
  const r = runCheckOn(netpolEgressMetadata, ['a', 'b', 'c', 'd', 'e'].map(policy).join('---\n'));
  expect(r.findings).toHaveLength(1);
  expect(r.findings[0]?.severity).toBe('low');
  expect(r.findings[0]?.message).toContain('monitoring/a and 4 other policies');
  const restricted = runCheckOn(netpolEgressMetadata, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 80}]}]
`);
  expect(restricted.findings.map((f) => f.severity)).toEqual(['high']);
});
