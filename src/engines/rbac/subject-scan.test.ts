/**
 * The first questions to an index walk the bindings instead of building the subject index: they must give exactly
 * what the index gives (same bindings, same subjects, same order; same namespaces), on a generated cluster whose
 * subjects include duplicates, names with colons and service accounts whose names look like other users.
 */
import { describe, expect, it } from 'vitest';
import { toK8sObject, type K8sObject } from '../../model/object.js';
import { rng } from '../../../test/support/yaml-gen.js';
import { buildRbacIndex, type RbacIndex } from './authorizer.js';
import { impersonatedUser, userOfSubject, type UserInfo } from './subjects.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const NAMES = ['a', 'b', 'a:b', 'x:y:z', 'system:serviceaccount:n1:a', 'sa-1', 'default', ''];
const NAMESPACES = ['n1', 'n2', 'n1:a', 'default'];

function cluster(seed: number): K8sObject[] {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const raws: unknown[] = [{ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }];
  for (const ns of NAMESPACES) raws.push({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'r', namespace: ns }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] });
  for (let i = 0; i < 300; i++) {
    const subjects = Array.from({ length: Math.floor(r() * 4) }, () => {
      const kind = pick(['User', 'Group', 'ServiceAccount']);
      return kind === 'ServiceAccount' ? { kind, name: pick(NAMES), ...(r() < 0.7 ? { namespace: pick(NAMESPACES) } : {}) } : { kind, name: pick(NAMES), apiGroup: 'rbac.authorization.k8s.io' };
    });
    if (r() < 0.3) raws.push({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' }, subjects });
    else raws.push({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `rb-${i}`, ...(r() < 0.9 ? { namespace: pick(NAMESPACES) } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: pick(['Role', 'ClusterRole']), name: pick(['r', 'cr']) }, subjects });
  }
  return raws.map((raw) => toK8sObject(raw, undefined)).filter((o): o is K8sObject => o !== undefined);
}

function users(): UserInfo[] {
  const out: UserInfo[] = [];
  for (const n of NAMES) out.push(impersonatedUser(n, []), impersonatedUser(n, NAMES.slice(0, 3)));
  for (const ns of NAMESPACES) for (const n of NAMES) out.push(impersonatedUser(`system:serviceaccount:${ns}:${n}`));
  return out;
}

const answers = (index: RbacIndex, who: UserInfo[]): unknown =>
  who.map((u) => ({
    namespaces: index.namespacesFor(u),
    bindings: [undefined, '', ...NAMESPACES, 'elsewhere'].map((ns) => index.bindingsFor(u, ns).map(([b, s]) => `${b.display}#${s.index}`)),
  }));

describe('subject lookups before and after the subject index', () => {
  it('walking the bindings answers as the index does', () => {
    for (const seed of [1, 2, 3]) {
      const objects = cluster(seed);
      const who = users();
      const indexed = buildRbacIndex(objects);
      // Past the scans: the index answers.
      for (let i = 0; i < 40; i++) indexed.bindingsFor(impersonatedUser('warm-up'), 'n1');
      const scanning = (): RbacIndex => buildRbacIndex(objects);
      // A fresh index per question: each answered by walking the bindings.
      const scanned = who.map((u) => answers(scanning(), [u]));
      expect(scanned.flat()).toEqual(answers(indexed, who));
      expect((answers(indexed, who) as { bindings: string[][] }[]).some((a) => a.bindings.some((b) => b.length > 1))).toBe(true);
    }
  });
});

describe('userOfSubject', () => {
  it('a service account stands for the user impersonating it would be, whatever its names (valid or not)', () => {
    const names = ['a', 'sa-1', 'default', 'a.b', 'a:b', 'x:y:z', 'A', '-a', 'a-', '', 'system:serviceaccount:n1:a', 'é', 'a'.repeat(64), 'a'.repeat(254)];
    const namespaces = [undefined, 'n1', 'n1:a', 'default', 'a.b', 'N', '', '-n', 'a'.repeat(63), 'a'.repeat(64)];
    let valid = 0;
    for (const namespace of namespaces)
      for (const name of names) {
        const ns = namespace ?? 'default';
        const expected = impersonatedUser(`system:serviceaccount:${ns}:${name}`);
        expect(userOfSubject({ kind: 'ServiceAccount', name, ...(namespace !== undefined ? { namespace } : {}) }), `${ns}/${name}`).toEqual(expected);
        if (expected.groups.includes(`system:serviceaccounts:${ns}`)) valid++;
      }
    expect(valid).toBe(20);
  });
});
