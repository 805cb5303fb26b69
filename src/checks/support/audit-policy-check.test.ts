/**
 * Baselines of `kspect audit policy-check`: a finding about a rule keeps its fingerprint when other rules are inserted
 * above it (a baseline taken before still suppresses it), and distinct findings on one rule have distinct ones.
 */
import { describe, expect, it } from 'vitest';
import { auditPolicyChecks } from '../registry/audit.js';
import { runCheckOn } from './tester.js';

const RULES = `  - level: RequestResponse
    resources: [{group: "", resources: [secrets, configmaps]}]
  - level: None
    resources: [{group: "", resources: [pods/exec, pods/attach]}]
  - level: Metadata
    namespaces: ["Not_Valid"]
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
  - level: Metadata
    resources: [{group: rbac.authorization.k8s.io}, {group: "", resources: [pods]}]
  - level: Metadata
    resources: [{group: rbac.authorization.k8s.io}, {group: "", resources: [pods]}]
`;
const ABOVE = `  - level: None
    users: ["system:kube-proxy"]
    verbs: [watch]
  - level: Request
    userGroups: ["system:masters"]
    resources: [{group: "", resources: [configmaps]}]
`;

const file = (rules: string): string => `apiVersion: kspect.dev/v1alpha1
kind: AuditPolicyFile
metadata:
  name: policy.yaml
spec:
  k8sVersion: "1.35"
  text: |
    apiVersion: audit.k8s.io/v1
    kind: Policy
    rules:
${rules.replace(/^/gm, '  ').trimEnd()}
`;

function fingerprints(rules: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const check of auditPolicyChecks) {
    const r = runCheckOn(check, file(rules), 'policy.yaml');
    for (const f of r.findings) out.set(f.fingerprint, [...(out.get(f.fingerprint) ?? []), `${f.path ?? ''}: ${f.message}`]);
  }
  return out;
}

describe('audit policy-check fingerprints', () => {
  const before = fingerprints(RULES);
  const after = fingerprints(`${ABOVE}${RULES}`);

  it('the policy gives findings of several checks on several rules', () => {
    const checks = new Set([...before.keys()].map((f) => f.split('|')[0]));
    for (const id of ['audit-policy-sensitive-body', 'audit-policy-no-body', 'audit-policy-unlogged', 'audit-policy-pattern-never-matches', 'audit-policy-rule-shadowed', 'audit-policy-no-catch-all', 'audit-policy-request-received']) expect(checks, id).toContain(id);
  });

  it('every finding of the policy keeps its fingerprint when rules are inserted above (its index and example change)', () => {
    const missing = [...before].filter(([fp]) => !after.has(fp)).map(([fp, m]) => `${fp} ← ${m.join(' / ')}`);
    expect(missing).toEqual([]);
    // The inserted rules shift the indexes: the paths did change.
    expect([...before.values()].flat().some((m) => m.startsWith('rules[4]'))).toBe(true);
    expect([...after.values()].flat().some((m) => m.startsWith('rules[6]'))).toBe(true);
  });

  it('one fingerprint per finding: the cases of one rule (Secrets, ConfigMaps; roles, pods …) are told apart', () => {
    for (const [fp, messages] of before) expect(messages, fp).toHaveLength(1);
  });

  it('two identical rules are told apart too, and a changed rule is a new finding', () => {
    const shadowed = [...before.keys()].filter((f) => f.startsWith('audit-policy-rule-shadowed|'));
    expect(new Set(shadowed).size).toBe(shadowed.length);
    const changed = fingerprints(RULES.replace('resources: [{group: "", resources: [secrets, configmaps]}]', 'resources: [{group: "", resources: [secrets, configmaps, events]}]'));
    const sensitive = (m: Map<string, string[]>): string[] => [...m.keys()].filter((f) => f.startsWith('audit-policy-sensitive-body|')).sort();
    expect(sensitive(changed)).not.toEqual(sensitive(before));
  });
});
