import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from './files.js';

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: nginx}]}\n`;

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'kspect-files-'));
  mkdirSync(join(root, 'a/b'), { recursive: true });
  mkdirSync(join(root, 'k'), { recursive: true });
  mkdirSync(join(root, 'node_modules/x'), { recursive: true });
  writeFileSync(join(root, 'a/one.yaml'), pod('one'));
  writeFileSync(join(root, 'a/b/two.yml'), pod('two'));
  writeFileSync(join(root, 'a/b/three.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'three' } }));
  writeFileSync(join(root, 'a/notes.txt'), 'not yaml');
  writeFileSync(join(root, 'node_modules/x/ignored.yaml'), pod('ignored'));
  writeFileSync(join(root, 'k/kustomization.yaml'), 'resources: [p.yaml]\n');
  writeFileSync(join(root, 'k/p.yaml'), pod('raw-in-kustomize'));
  symlinkSync(join(root, 'a'), join(root, 'a/b/loop'));
  symlinkSync(join(root, 'missing.yaml'), join(root, 'a/dangling.yaml'));
  return root;
}

describe('loadManifests', () => {
  it('walks folders recursively, skips node_modules, survives symlink loops, reports dangling links', async () => {
    const root = tree();
    const r = await loadManifests(['a'], { cwd: root });
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['three', 'two', 'one']);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'not-readable', file: join('a', 'dangling.yaml') })]);
  });
  it('renders kustomize folders through the injected renderer, and reports when it cannot', async () => {
    const root = tree();
    const ok = await loadManifests(['k'], { cwd: root, kustomize: () => Promise.resolve({ ok: true, yaml: pod('rendered') }) });
    expect(ok.objects.map((o) => o.metadata.name)).toEqual(['rendered']);
    expect(ok.files).toEqual([join('k', 'kustomization.yaml')]);
    const bad = await loadManifests(['k'], { cwd: root, kustomize: () => Promise.resolve({ ok: false, error: 'kubectl is not installed' }) });
    expect(bad.objects).toEqual([]);
    expect(bad.problems).toEqual([{ code: 'kustomize-failed', severity: 'error', file: 'k', message: 'kubectl is not installed' }]);
  });
  it('expands globs and reads stdin', async () => {
    const root = tree();
    const r = await loadManifests(['a/**/*.yml', '-'], { cwd: root, readStdin: () => Promise.resolve(Buffer.from(pod('from-stdin'))) });
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['two', 'from-stdin']);
    expect(r.objects[1]?.origin.source).toEqual({ type: 'stdin', uri: '<stdin>' });
    const none = await loadManifests(['zzz/*.yaml'], { cwd: root });
    expect(none.problems[0]).toMatchObject({ code: 'no-match' });
  });
  it('refuses files over the size limit without reading them, and missing paths', async () => {
    const root = tree();
    const r = await loadManifests(['a/one.yaml', 'nope.yaml'], { cwd: root, maxFileSize: 10 });
    expect(r.problems.map((p) => p.code)).toEqual(['file-too-large', 'not-readable']);
    expect(r.problems[1]?.message).toBe('cannot read: no such file or folder');
  });
  it('an invalid glob is one problem naming it, not a crash', async () => {
    const r = await loadManifests(['[z-a].yaml', 'a/one.yaml'], { cwd: tree() });
    expect(r.problems.map((p) => [p.code, p.file, p.message])).toEqual([['bad-pattern', '[z-a].yaml', 'invalid pattern [z-a].yaml: the range z-a is out of order']]);
    expect(r.files.length).toBe(1);
  });
});
