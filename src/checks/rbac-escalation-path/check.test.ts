import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { rbacEscalationPath } from './check.js';

testCheck(rbacEscalationPath, import.meta.dirname);

describe('rbac-escalation-path with a role that is not in the input', () => {
  const missing = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-ops, namespace: prod}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ops}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dana}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: nobody}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: gone}
subjects: []
`;
  it('is not evaluated for each binding that names subjects (never a silent "no path")', () => {
    const r = runCheckOn(rbacEscalationPath, missing);
    expect(r.findings).toEqual([]);
    // Listed once for every RBAC check that cannot judge the binding (no check id); this check still counts it.
    expect(r.notEvaluated.map((n) => [n.checkId, n.reason, n.resource?.name, n.message])).toEqual([
      [undefined, 'missing-input', 'dev-ops', 'RoleBinding prod/dev-ops references Role ops, which is not in the input: what it grants is unknown'],
    ]);
    expect(r.results?.map((x) => [x.id, x.outcome, x.notEvaluated])).toEqual([['rbac-escalation-path', 'not-evaluated', 1]]);
  });
});
