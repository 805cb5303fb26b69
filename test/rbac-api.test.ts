/** The RBAC engine through the public API (src/index.ts), as a library user calls it. */
import { describe, expect, it } from 'vitest';
import { buildRbacIndex, escalationPaths, findDangers, impersonatedUser, parseManifests, pathsToDot, requestOf } from '../src/index.js';

const YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web}]
`;

describe('public RBAC API', () => {
  const { objects } = parseManifests(YAML, 'rb.yaml', { type: 'file', uri: 'rb.yaml' });
  const index = buildRbacIndex(objects, { defaults: 'roles' });
  it('answers can-i with the grant', () => {
    const d = index.authorize(impersonatedUser('system:serviceaccount:shop:web'), requestOf({ verb: 'get', resource: 'secrets', namespace: 'shop' }));
    expect(d.allowed).toBe(true);
    expect(d.grants[0]?.binding.display).toBe('RoleBinding shop/web-edit');
    expect(d.grants[0]?.rule.from?.role).toBe('system:aggregate-to-edit');
  });
  it('finds dangers and paths', () => {
    expect(findDangers(index).map((h) => h.danger.id).sort()).toContain('rbac-secrets-read');
    const { paths } = escalationPaths(index);
    expect(pathsToDot(paths, new Map())).toMatch(/^digraph/);
  });
});
