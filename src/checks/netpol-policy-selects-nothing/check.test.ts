import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { netpolSelectorNoMatch } from '../netpol-selector-no-match/check.js';
import { netpolPolicySelectsNothing } from './check.js';

testCheck(netpolPolicySelectsNothing, import.meta.dirname);

describe('pods made by controllers from custom resources', () => {
  const prometheus = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  podMetadata: {labels: {app.kubernetes.io/name: prometheus}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: grafana, namespace: monitoring}
spec:
  selector: {matchLabels: {app: grafana}}
  template:
    metadata: {labels: {app: grafana}}
    spec: {containers: [{name: g, image: grafana/grafana:11.0.0}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: grafana, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app: grafana}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: prometheus, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: prometheus, team: obs}}
  policyTypes: [Ingress]
`;
  it('a policy selecting them is not evaluated, with the reason, not "selects nothing"', () => {
    const r = runCheckOn(netpolPolicySelectsNothing, prometheus);
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated.map((n) => n.message)).toEqual([expect.stringContaining('a controller makes from Prometheus monitoring/k8s')]);
    expect(r.notEvaluated[0]?.reason).toBe('missing-input');
  });
  it('a peer selecting them is not evaluated either', () => {
    const r = runCheckOn(netpolSelectorNoMatch, prometheus);
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated).toHaveLength(1);
    expect(r.notEvaluated[0]?.message).toContain('Prometheus monitoring/k8s');
  });
  it('without the custom resource the policy selects nothing', () => {
    const r = runCheckOn(netpolPolicySelectsNothing, prometheus.split('---\n').slice(1).join('---\n'));
    expect(r.findings.map((f) => f.resource?.name)).toEqual(['prometheus']);
    expect(r.notEvaluated).toEqual([]);
  });
});
