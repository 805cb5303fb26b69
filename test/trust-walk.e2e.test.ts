/**
 * Issue 10 §2, proof: folder walking stays inside the folders given (a symbolic link out of them is reported in one
 * warning line and not followed, unless --follow-symlinks), loops end, and kustomize rendering never reaches the
 * network unless --allow-remote (a remote base, resource, component or chart is refused in one line, exit 2, the
 * other inputs still scanned). Every command that reads manifests takes the same two flags.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n`;

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kspect-walk-'));
  mkdirSync(join(root, 'tree', 'sub'), { recursive: true });
  mkdirSync(join(root, 'elsewhere'), { recursive: true });
  writeFileSync(join(root, 'tree', 'inside.yaml'), pod('inside'));
  writeFileSync(join(root, 'elsewhere', 'outside.yaml'), pod('outside'));
  symlinkSync(join(root, 'elsewhere'), join(root, 'tree', 'sub', 'out'));
  symlinkSync(join(root, 'tree'), join(root, 'tree', 'sub', 'loop'));
  mkdirSync(join(root, 'remote'));
  writeFileSync(join(root, 'remote', 'kustomization.yaml'), 'resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n');
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

const names = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { resource: { name: string } }[] }).findings.map((f) => f.resource.name).sort();

describe('folder walking', () => {
  it('a link out of the folder is one warning line and not followed; loops end', async () => {
    const r = await runCli(['scan', 'tree', '--checks', 'pod-privileged', '-f', 'json', '--fail-on', 'none'], { cwd: root, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout)).toEqual(['inside']);
    expect(r.stderr.trim().split('\n')).toEqual([`kspect: warning: ${join('tree', 'sub', 'out')}: is a symbolic link to ${join(root, 'elsewhere')}, outside the folder scanned; not followed (--follow-symlinks follows it)`]);
  });

  it.each([
    ['scan', ['scan', 'tree', '--checks', 'pod-privileged']],
    ['pss check', ['pss', 'check', '--level', 'baseline', 'tree']],
    ['netpol check', ['netpol', 'check', 'tree']],
    ['rbac risks', ['rbac', 'risks', 'tree']],
  ])('%s --follow-symlinks follows it', async (_n, args) => {
    const r = await runCli([...args, '--follow-symlinks', '-f', 'json', '--fail-on', 'none'], { cwd: root, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    if (args[0] === 'scan' || args[0] === 'pss') expect(names(r.stdout)).toEqual(['inside', 'outside']);
  });
});

describe('kustomize and the network', () => {
  it('a remote resource is refused in one line without --allow-remote; the rest is still scanned', async () => {
    const started = Date.now();
    const r = await runCli(['scan', 'remote', 'tree/inside.yaml', '--checks', 'pod-privileged', '-f', 'json', '--fail-on', 'none'], { cwd: root, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `kspect: ${join('remote', 'kustomization.yaml')}: resource "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0" is remote: kustomize would fetch it from the network; not rendered (--allow-remote allows it)`,
    ]);
    expect(names(r.stdout)).toEqual(['inside']);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.each([
    ['pss check', ['pss', 'check', '--level', 'baseline', 'remote']],
    ['netpol check', ['netpol', 'check', 'remote']],
    ['rbac risks', ['rbac', 'risks', 'remote']],
  ])('%s refuses it too', async (_n, args) => {
    const r = await runCli(args, { cwd: root, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => l.includes("remote/kustomization.yaml"))).toEqual([expect.stringMatching(/^kspect: remote\/kustomization\.yaml: resource "https:\/\/github\.com\/.*--allow-remote allows it\)$/)]);
  });
});
