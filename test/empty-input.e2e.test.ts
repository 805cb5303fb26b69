/**
 * Empty input is not a clean result (issue 10 §1): an empty folder, an empty file, or standard input that carried
 * no manifest (a failed `helm template` printing its error into the pipe) is one line — "nothing to scan" naming
 * the inputs — and exit 2, in every command that takes paths; a glob matching nothing is one line naming it, exit 2.
 * `--allow-empty` accepts an empty input: the usual exit code. Built CLI, child processes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-empty-'));
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'no-manifests'));
  writeFileSync(join(dir, 'no-manifests', 'README.md'), '# not a manifest\n');
  writeFileSync(join(dir, 'empty.yaml'), '');
  writeFileSync(join(dir, 'comments.yaml'), '# only a comment\n---\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: readonly string[], stdin?: string): Promise<CliResult> => runCli(args, { cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });

/** Each command that takes paths, with `P` standing for the input. */
const COMMANDS: readonly (readonly string[])[] = [
  ['scan', 'P'],
  ['pss', 'check', 'P'],
  ['rbac', 'risks', 'P'],
  ['rbac', 'paths', 'P'],
  ['rbac', 'who-can', 'get', 'pods', '-i', 'P'],
  ['rbac', 'can-i', 'get', 'pods', '--as', 'jane', '-i', 'P'],
  ['rbac', 'access', 'jane', '-i', 'P'],
  ['netpol', 'check', 'P'],
  ['netpol', 'matrix', 'P'],
  ['images', 'verify', 'P'],
  ['baseline', 'P', '-o', 'accepted.json'],
  ['pki', 'check', 'P'],
];

const at = (cmd: readonly string[], input: string): string[] => cmd.map((a) => (a === 'P' ? input : a));

function nothing(r: CliResult, what: string): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.includes('nothing to'));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^kspect: nothing to (scan|check|analyse): ${what} held `));
  expect(lines[0]).toContain('(--allow-empty accepts that)');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  // One line for one fact: no second line saying the same thing in other words (pss check's "no Pod or workload"),
  // and no answer on stdout that reads as a verdict (rbac paths' "no escalation path found"); images verify says
  // that no signature rule is configured only when there is an image to judge.
  const others = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('nothing to'));
  expect(others, r.stderr).toEqual([]);
  expect(r.stdout).not.toContain('no escalation path found');
}

describe('nothing to scan', () => {
  it.each(COMMANDS.map((c) => [c.filter((a) => a !== 'P').slice(0, 2).join(' '), c] as const))('%s: an empty folder, an empty file, a folder without manifests', async (_name, cmd) => {
    for (const input of ['empty', 'empty.yaml', 'no-manifests']) {
      const r = await run(at(cmd, input));
      // pki check names a file it was given explicitly that holds nothing it reads, in its own one line.
      if (cmd[0] === 'pki' && input === 'empty.yaml') expect([r.code, r.stderr]).toEqual([2, 'kspect: empty.yaml: holds no certificate, key, kubeconfig or Kubernetes object\n']);
      else nothing(r, input);
    }
  });

  it('standard input that carried no manifest (a failed helm template) or only comments', async () => {
    nothing(await run(['scan', '-'], 'Error: failed to download chart\n'), 'standard input');
    nothing(await run(['scan', '-'], ''), 'standard input');
    nothing(await run(['pss', 'check', 'comments.yaml']), 'comments.yaml');
  });

  it('audit analyze: an empty log folder, an empty log file, empty standard input — "nothing to analyse"', async () => {
    nothing(await run(['audit', 'analyze', 'empty']), 'empty');
    nothing(await run(['audit', 'analyze', 'empty.yaml']), 'empty.yaml');
    nothing(await run(['audit', 'analyze', '-'], ''), 'standard input');
    const allowed = await run(['audit', 'analyze', 'empty', '--allow-empty']);
    expect([allowed.code, allowed.stderr]).toEqual([0, '']);
    // Events that were all filtered out (--since) are an answer, not empty input.
    writeFileSync(join(dir, 'audit.log'), `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/a/pods', verb: 'list', user: { username: 'jane' }, objectRef: { resource: 'pods', namespace: 'a', apiVersion: 'v1' }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z', stageTimestamp: '2026-01-01T00:00:00.100000Z' })}\n`);
    const filtered = await run(['audit', 'analyze', 'audit.log', '--since', '2026-06-01']);
    expect([filtered.code, filtered.stderr]).toEqual([0, '']);
  });

  it('node: a root holding nothing the controls read is "nothing to check"; a file or a missing root is one line', async () => {
    nothing(await run(['node', '--root', 'empty']), 'empty');
    nothing(await run(['node', '--root', 'no-manifests']), 'no-manifests');
    const file = await run(['node', '--root', 'empty.yaml']);
    expect([file.code, file.stderr]).toEqual([2, "kspect: empty.yaml: is not a folder: --root takes the node's root folder (/ on the node itself)\n"]);
    const missing = await run(['node', '--root', 'missing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kspect: missing: cannot read the node root: .*\n$/);
    const allowed = await run(['node', '--root', 'empty', '--allow-empty', '--fail-on', 'none']);
    expect([allowed.code, allowed.stderr]).toEqual([0, '']);
    // A root with one thing the controls read is a node to judge, not empty input.
    mkdirSync(join(dir, 'admin-only', 'etc', 'kubernetes'), { recursive: true });
    writeFileSync(join(dir, 'admin-only', 'etc', 'kubernetes', 'admin.conf'), 'apiVersion: v1\nkind: Config\n');
    const some = await run(['node', '--root', 'admin-only', '--fail-on', 'none']);
    expect([some.code, some.stderr]).toEqual([0, '']);
  });

  it('a glob that matches nothing is one line naming it', async () => {
    const r = await run(['scan', 'nothing-*.yaml']);
    expect([r.code, r.stderr]).toEqual([2, 'kspect: nothing-*.yaml: the pattern matches no file\n']);
  });

  it('--allow-empty accepts it: the usual exit code, no line', async () => {
    for (const cmd of COMMANDS) {
      const r = await run([...at(cmd, 'empty'), '--allow-empty']);
      expect(r.stderr, cmd.join(' ')).not.toContain('nothing to');
      // can-i answers "no" (1) as kubectl does; the judging commands find nothing (0).
      expect(r.code, `${cmd.join(' ')}\n${r.stderr}`).toBe(cmd[1] === 'can-i' ? 1 : 0);
    }
  });

  it('an input with objects beside an empty one is scanned as usual', async () => {
    writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n  - {name: c, image: nginx:1.27}\n');
    const r = await run(['scan', 'empty', 'pod.yaml', '--fail-on', 'none']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});
