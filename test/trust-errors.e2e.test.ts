/**
 * Issue 10 §2, proof: no stack trace for a user's mistake. Unwritable `-o` paths, `--out` under a file, a folder that
 * cannot be created, missing inputs: one line naming the path, exit 2. `| head` closing the pipe ends every command
 * quietly. Large inputs (one file of 200,000 documents, a report of 220,000 findings in a table) do not crash.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from './support/cli.js';

let root = '';
const pods = (n: number): string => Array.from({ length: n }, (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {privileged: true}\n`).join('');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kspect-errors-'));
  writeFileSync(join(root, 'afile'), 'x\n');
  writeFileSync(join(root, 'pods.yaml'), pods(20_000));
  writeFileSync(join(root, 'small.yaml'), pods(2));
  writeFileSync(join(root, 'mid.yaml'), pods(2_000));
  writeFileSync(join(root, 'many.yaml'), Array.from({ length: 200_000 }, (_, i) => `---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: c${i}}\n`).join(''));
  const init = await runCli(['pki', 'init', 'pki'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

function oneLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

describe('user mistakes are one line', () => {
  it.each([
    [['scan', 'small.yaml', '-o', 'afile/out.json'], /^kspect: cannot write afile\/out\.json: not a folder$/],
    [['scan', 'small.yaml', '-o', 'missing-dir/out.json'], /^kspect: cannot write missing-dir\/out\.json: no such file or folder$/],
    [['baseline', 'small.yaml', '-o', 'afile/b.json'], /^kspect: cannot write afile\/b\.json: not a folder$/],
    [['rbac', 'who-can', 'get', 'secrets', '-i', 'small.yaml', '-o', 'afile/x'], /^kspect: cannot write afile\/x: not a folder$/],
    [['pki', 'init', 'afile/sub'], /^kspect: cannot create the folder of .*afile\/sub.*: (a part of the path is a file|not a folder)$/],
    [['pki', 'csr', '--cn', 'x', '--out', 'afile/x'], /^kspect: cannot create the folder of .*afile\/x\.key: a part of the path is a file$/],
    [['pki', 'issue', '--ca', 'pki/ca', '--role', 'client', '--cn', 'x', '--out', 'afile/x'], /^kspect: cannot create the folder of .*afile\/x\..*: a part of the path is a file$/],
    [['pki', 'issue', '--ca', 'nope/ca', '--role', 'client', '--cn', 'x', '--out', 'out/x'], /^kspect: cannot read the CA .*nope\/ca\.crt .*: no such file or folder$/],
    [['scan', 'missing.yaml'], /^kspect: missing\.yaml: cannot read: no such file or folder$/],
  ])('%j', async (args, pattern) => {
    oneLine(await runCli(args, { cwd: root }), pattern);
  });
});

/** Run kspect with stdout piped, close the pipe after the first chunk (as `| head -c 1` does), and wait for the end. */
function closedPipe(args: readonly string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdout.once('data', () => child.stdout.destroy());
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

describe('| head ends every command quietly', () => {
  it.each([
    [['scan', 'mid.yaml']],
    [['scan', 'mid.yaml', '-f', 'json']],
    [['scan', 'mid.yaml', '-f', 'sarif']],
    [['scan', 'mid.yaml', '-f', 'markdown']],
    [['pss', 'check', '--level', 'restricted', 'mid.yaml']],
    [['netpol', 'check', 'mid.yaml', '-f', 'json']],
    [['rbac', 'risks', 'mid.yaml', '-f', 'json']],
    [['pki', 'check', 'pki', '-f', 'json']],
    [['checks']],
    [['explain', 'pod-privileged']],
  ])('%j', async (args) => {
    const r = await closedPipe(args);
    expect(r.signal).toBeNull();
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
  }, 150_000);
});

describe('large inputs do not crash', () => {
  it('one file of 200,000 documents', async () => {
    const r = await runCli(['scan', 'many.yaml', '--checks', 'pod-privileged', '-f', 'json'], { cwd: root, timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { summary: { objects?: number } }).summary).toBeDefined();
  }, 200_000);

  it('a table of 220,000 findings', async () => {
    // Each privileged pod gets the same findings, plus two for its namespace: count them on two pods, then expect
    // 20,000 times as many in the table (220,002 when this was written).
    const two = await runCli(['scan', 'small.yaml', '--fail-on', 'none', '-f', 'json'], { cwd: root });
    const perPod = ((JSON.parse(two.stdout) as { findings: unknown[] }).findings.length - 2) / 2;
    expect(perPod).toBeGreaterThan(5);
    const r = await runCli(['scan', 'pods.yaml', '--fail-on', 'none'], { cwd: root, timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${20_000 * perPod + 2} findings`);
  }, 200_000);
});
