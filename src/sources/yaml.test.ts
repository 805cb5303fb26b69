import { describe, expect, it } from 'vitest';
import { parseManifests } from './yaml.js';

const src = { type: 'file' as const, uri: 'f.yaml' };

describe('parseManifests', () => {
  it('reads multi-document, flow-style and JSON documents, and unwraps Lists', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}',
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a"}}',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p1, namespace: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p2, namespace: a}',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleList\nitems: []',
      'just: a map',
      '',
    ].join('\n---\n');
    const r = parseManifests(text, 'f.yaml', src);
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/a', 'ConfigMap/c', 'Pod/p1', 'Pod/p2']);
    expect(r.skipped).toBe(1);
    expect(r.objects[3]?.origin.location?.line).toBe(13);
    expect(r.objects[3]?.origin.locate('metadata.name')?.line).toBe(15);
  });
  it('locates fields, falling back to the nearest ancestor', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: y\n    securityContext:\n      privileged: true\n';
    const o = parseManifests(text, 'f.yaml', src).objects[0];
    expect(o?.origin.locate('spec.containers[1].securityContext.privileged')).toEqual({ file: 'f.yaml', line: 12, column: 7 });
    expect(o?.origin.locate('spec.containers[0].securityContext.runAsNonRoot')?.line).toBe(7);
    expect(o?.origin.locate('spec.nope')?.line).toBe(5);
  });
  it('keeps good documents when one is broken', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n', 'f.yaml', src);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'yaml-syntax', file: 'f.yaml', line: 6 });
    expect(r.problems[0]?.message).toMatch(/document 2 skipped/);
  });
  it('refuses alias bombs, duplicate keys and unnamed objects with one line each', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghij'[i] ?? ''}`).join(',')}]`)].join('\n');
    const b = parseManifests(bomb, 'bomb.yaml', src);
    expect(b.problems[0]?.message).toMatch(/alias/);
    const d = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n', 'd.yaml', src);
    expect(d.problems[0]).toMatchObject({ code: 'yaml-duplicate-key', line: 3 });
    const n = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {}\n', 'n.yaml', src);
    expect(n.problems[0]).toMatchObject({ code: 'object-unnamed', line: 1 });
    for (const p of [...b.problems, ...d.problems, ...n.problems]) expect(p.message).not.toContain('\n');
  });
  it('reports nesting too deep to parse', () => {
    const r = parseManifests(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'deep.yaml', src);
    expect(r.objects).toEqual([]);
    expect(r.problems[0]?.message).toMatch(/nesting too deep/);
  });
});
