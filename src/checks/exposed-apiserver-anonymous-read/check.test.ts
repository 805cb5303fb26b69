import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { exposedApiserverAnonymousRead } from './check.js';

testCheck(exposedApiserverAnonymousRead, import.meta.dirname);

describe('exposed-apiserver-anonymous-read with RBAC input', () => {
  const fixture = (f: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'fail', f), 'utf8');
  it('names the binding that grants the anonymous list, as rbac who-can does', () => {
    const [f] = runCheckOn(exposedApiserverAnonymousRead, fixture('apiserver-with-rbac-input.yaml')).findings;
    expect(f?.message).toContain('granted by ClusterRoleBinding anyone-lists-namespaces → ClusterRole namespace-lister');
    expect(f?.severity).toBe('medium');
  });
  it('says when no binding of the input explains what the API server allowed', () => {
    const text = `${fixture('apiserver-anonymous-lists.yaml')}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: admins}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]\n`;
    const r = runCheckOn(exposedApiserverAnonymousRead, text);
    expect(r.findings.map((f) => f.severity).sort()).toEqual(['critical', 'medium']);
    for (const f of r.findings) expect(f.message).toContain('which no binding of the RBAC input grants');
  });
  it('without RBAC input names no binding', () => {
    for (const f of runCheckOn(exposedApiserverAnonymousRead, fixture('apiserver-anonymous-lists.yaml')).findings) expect(f.message).not.toContain('grant');
  });
});
