import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRemoteReference, kubectlKustomize, loadManifests } from './files.js';

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
  it('hands each file\'s objects to onObjects as soon as it is parsed, in load order, without keeping them', async () => {
    const root = tree();
    const handed: string[] = [];
    const r = await loadManifests(['a'], { cwd: root, onObjects: (objects, file) => handed.push(`${file}: ${objects.map((o) => o.metadata.name).join(',')}`) });
    expect(handed).toEqual([`${join('a', 'b', 'three.json')}: three`, `${join('a', 'b', 'two.yml')}: two`, `${join('a', 'one.yaml')}: one`]);
    expect(r.objects).toEqual([]);
    expect(r.count).toBe(3);
    const empty = await loadManifests(['a/notes.txt', 'a/b/loop/notes.txt'], { cwd: root, onObjects: () => undefined });
    expect(empty.problems.map((p) => p.code)).toEqual(['nothing-to-scan']);
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

  it('does not follow symbolic links out of the folder given, unless asked; links inside it are followed', async () => {
    const root = tree();
    const outside = mkdtempSync(join(tmpdir(), 'kspect-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), pod('outside-file'));
    mkdirSync(join(outside, 'd'));
    writeFileSync(join(outside, 'd', 'x.yaml'), pod('outside-folder'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'a', 'link-out.yaml'));
    symlinkSync(join(outside, 'd'), join(root, 'a', 'dir-out'));
    symlinkSync(join(root, 'a', 'one.yaml'), join(root, 'a', 'b', 'link-in.yaml'));
    symlinkSync('/etc/passwd', join(root, 'a', 'not-a-manifest'));
    const r = await loadManifests(['a'], { cwd: root });
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['one', 'three', 'two', 'one']);
    expect(r.problems.filter((p) => p.code === 'symlink-outside')).toEqual([
      { code: 'symlink-outside', severity: 'warning', file: join('a', 'dir-out'), message: `is a symbolic link to ${join(outside, 'd')}, outside the folder scanned; not followed (--follow-symlinks follows it)` },
      { code: 'symlink-outside', severity: 'warning', file: join('a', 'link-out.yaml'), message: `is a symbolic link to ${join(outside, 'secret.yaml')}, outside the folder scanned; not followed (--follow-symlinks follows it)` },
    ]);
    const followed = await loadManifests(['a'], { cwd: root, followSymlinks: true });
    expect(followed.objects.map((o) => o.metadata.name).sort()).toEqual(['one', 'one', 'outside-file', 'outside-folder', 'three', 'two']);
    expect(followed.problems.filter((p) => p.code === 'symlink-outside')).toEqual([]);
    // Globs the same way.
    const glob = await loadManifests(['a/**/*.yaml'], { cwd: root });
    expect(glob.objects.map((o) => o.metadata.name)).toEqual(['one', 'one']);
    const globFollowed = await loadManifests(['a/**/*.yaml'], { cwd: root, followSymlinks: true });
    expect(globFollowed.objects.map((o) => o.metadata.name)).toEqual(['one', 'outside-folder', 'outside-file', 'one']);
  });

  it('refuses kustomizations that would reach the network, unless allowed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kspect-kremote-'));
    const k = (dir: string, body: string): void => {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'kustomization.yaml'), body);
    };
    k('local', 'resources: [p.yaml, ../base]\n');
    writeFileSync(join(root, 'local', 'p.yaml'), pod('p'));
    k('base', 'resources: []\n');
    k('git', 'resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1\n');
    k('ssh', 'bases: [git@github.com:org/repo.git//deploy]\n');
    k('missing', 'resources: [github.com/org/repo/deploy?ref=main]\n');
    k('nested', 'resources: [../git]\n');
    k('helm', 'helmCharts:\n- name: x\n  repo: https://charts.example.com\n');
    k('component', 'components: [https://example.com/c.yaml]\n');
    expect(await findRemoteReference(join(root, 'local'), 'kustomization.yaml')).toBeUndefined();
    const msg = async (d: string) => (await findRemoteReference(join(root, d), 'kustomization.yaml'))?.message;
    expect(await msg('git')).toBe('resource "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1" is remote: kustomize would fetch it from the network');
    expect(await msg('ssh')).toBe('base "git@github.com:org/repo.git//deploy" is remote: kustomize would fetch it from the network');
    expect(await msg('missing')).toBe('resource "github.com/org/repo/deploy?ref=main" is not here: kustomize would try to fetch it as a remote repository');
    expect(await msg('nested')).toMatch(/^resource "https:/);
    expect((await findRemoteReference(join(root, 'nested'), 'kustomization.yaml'))?.file).toBe(join(root, 'git', 'kustomization.yaml'));
    expect(await msg('helm')).toBe('helm chart repository "https://charts.example.com" is remote: kustomize would fetch the chart from the network');
    expect(await msg('component')).toMatch(/^component "https:/);

    let rendered = 0;
    const kustomize = () => {
      rendered++;
      return Promise.resolve({ ok: true as const, yaml: pod('rendered') });
    };
    const refused = await loadManifests(['git', 'local'], { cwd: root, kustomize });
    expect(rendered).toBe(1);
    expect(refused.problems).toEqual([expect.objectContaining({ code: 'kustomize-remote', severity: 'error', file: join('git', 'kustomization.yaml') })]);
    expect(refused.problems[0]?.message).toMatch(/; not rendered \(--allow-remote allows it\)$/);
    const allowed = await loadManifests(['git'], { cwd: root, kustomize, allowRemote: true });
    expect(allowed.problems).toEqual([]);
    expect(rendered).toBe(2);
  });

  it('gives kubectl kustomize a time limit', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'kspect-slow-kubectl-'));
    writeFileSync(join(bin, 'kubectl'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(bin, 'kubectl'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path ?? ''}`;
    try {
      const started = Date.now();
      const r = await kubectlKustomize(bin, { timeoutMs: 300 });
      expect(r).toEqual({ ok: false, error: 'kubectl kustomize did not finish within 0.3 s; not rendered' });
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      process.env.PATH = path;
    }
  });
});
