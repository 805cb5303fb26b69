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

  it('decodes YAML 1.1 scalars as Kubernetes does: privileged: yes is privileged', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {on: "x", 0777: "y"}}\nspec:\n  hostNetwork: on\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {privileged: yes, runAsUser: 0b0, runAsGroup: 0777, readOnlyRootFilesystem: Off}\n';
    for (const decoder of ['fast', 'reference'] as const) {
      const o = parseManifests(text, 'f.yaml', src, { decoder }).objects[0];
      expect(o?.raw.spec).toEqual({ hostNetwork: true, containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true, runAsUser: 0, runAsGroup: 511, readOnlyRootFilesystem: false } }] });
      expect(o?.metadata.labels).toEqual({ true: 'x', 511: 'y' });
      expect(o?.origin.locate('spec.containers[0].securityContext.runAsGroup')).toEqual({ file: 'f.yaml', line: 9, column: 56 });
      expect(o?.origin.locate('metadata.labels["511"]')).toEqual({ file: 'f.yaml', line: 3, column: 39 });
    }
  });
  it('points at quoted keys and List items, whichever decoder reads them', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- "apiVersion": v1\n  kind: ConfigMap\n  metadata: {"name": a}\n  data: {"80": x, "b": y, "10": z}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n';
    for (const decoder of ['fast', 'reference'] as const) {
      const objs = parseManifests(text, 'l.yaml', src, { decoder }).objects;
      expect(objs.map((o) => o.origin.location)).toEqual([{ file: 'l.yaml', line: 4, column: 3 }, { file: 'l.yaml', line: 8, column: 3 }]);
      expect(Object.keys(objs[0]?.raw.data ?? {})).toEqual(['10', '80', 'b']);
      expect(objs[0]?.origin.locate('data["80"]')).toEqual({ file: 'l.yaml', line: 7, column: 10 });
      expect(objs[0]?.origin.locate('data["10"]')).toEqual({ file: 'l.yaml', line: 7, column: 27 });
      expect(objs[0]?.origin.locate('data.b')).toEqual({ file: 'l.yaml', line: 7, column: 19 });
      expect(objs[0]?.origin.locate('metadata.name')).toEqual({ file: 'l.yaml', line: 6, column: 14 });
      expect(objs[1]?.origin.locate('metadata.name')?.column).toBe(48);
    }
  });
  it('applies merge keys in document order, as go-yaml v2 does, and points at the merged text', () => {
    const text = 'base: &b {a: 1, b: 2}\nx:\n  b: 3\n  <<: *b\n  c: 4\n';
    const r = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n${text.replace(/^/gm, '  ')}`, 'm.yaml', src);
    expect(r.problems).toEqual([]);
    // go-yaml v2 writes merged keys over earlier ones: b comes from the anchor, not from "b: 3".
    expect(r.objects[0]?.raw.data).toEqual({ base: { a: 1, b: 2 }, x: { b: 2, a: 1, c: 4 } });
    expect(r.objects[0]?.origin.locate('data.x.a')).toEqual({ file: 'm.yaml', line: 5, column: 13 });
  });
  it('keeps the last of duplicate keys, as Kubernetes does, and reports them', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n  a: "1"\n  yes: "2"\n  true: "3"\n  1: x\n  "1": z\n', 'd.yaml', src);
    expect(r.objects[0]?.raw.data).toEqual({ a: '1', true: '3', 1: 'z' });
    expect(r.problems.map((p) => [p.code, p.line, p.message.includes('at random')])).toEqual([
      ['yaml-duplicate-key', 7, false],
      ['yaml-duplicate-key', 9, true],
    ]);
  });
  it('refuses what the JSON conversion refuses, unless a later key replaced it', () => {
    const bad = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: .inf}\n', 'a.yaml', src);
    expect(bad.objects).toEqual([]);
    expect(bad.problems[0]).toMatchObject({ code: 'yaml-invalid', line: 4 });
    const replaced = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: .inf}\ndata: {z: "1"}\n', 'a.yaml', src);
    expect(replaced.objects[0]?.raw.data).toEqual({ z: '1' });
    const nullKey = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {~: x}\n', 'a.yaml', src);
    expect(nullKey.problems[0]?.message).toMatch(/null map key/);
  });
  it('reads only the first YAML document of a piece, and flags --- lines kubectl refuses', () => {
    const r = parseManifests('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n...\napiVersion: v1\nkind: Namespace\nmetadata: {name: hidden}\n--- {apiVersion: v1, kind: Namespace, metadata: {name: c}}\n', 'n.yaml', src);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['a', 'c']);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([
      ['yaml-ignored-document', 5],
      ['yaml-separator', 8],
    ]);
  });
  it('keeps __proto__ as a plain key without touching any prototype', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  __proto__: {polluted: "yes"}\n  constructor: x\n', 'p.yaml', src);
    const data = r.objects[0]?.raw.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
