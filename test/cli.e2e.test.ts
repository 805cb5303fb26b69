/** The built CLI, spawned as a user runs it: exit codes, stdout/stderr discipline, formats, config, baselines. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const PRIV = `apiVersion: v1
kind: Pod
metadata:
  name: priv
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'kspect-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const ONLY = ['--checks', 'pod-privileged'];

describe('kspect CLI', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
  it('usage errors are one line on stderr with exit 2', async () => {
    for (const args of [['frobnicate'], ['scan', '--no-such-flag', 'x'], ['scan'], ['scan', 'x', '--fail-on', 'urgent'], ['scan', 'x', '--format', 'pdf'], ['explain', 'no-such-check']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await runCli([])).code).toBe(2);
  });
  it('exit 1 on findings at or above --fail-on, 0 below; table has no colour off a TTY', async () => {
    const d = dir({ 'p.yaml': PRIV });
    const r = await runCli(['scan', 'p.yaml', ...ONLY], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('p.yaml');
    expect(r.stdout).toMatch(/:11\s+CRITICAL pod-privileged/);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
    const cfg = dir({ 'p.yaml': PRIV, '.kspect.yaml': 'severity:\n  pod-privileged: medium\n' });
    expect((await runCli(['scan', 'p.yaml', ...ONLY], { cwd: cfg })).code).toBe(0);
    expect((await runCli(['scan', 'p.yaml', ...ONLY, '--fail-on', 'medium'], { cwd: cfg })).code).toBe(1);
  });
  it('colour follows FORCE_COLOR and NO_COLOR', async () => {
    const d = dir({ 'p.yaml': PRIV });
    expect((await runCli(['scan', 'p.yaml', ...ONLY], { cwd: d, env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[');
    expect((await runCli(['scan', 'p.yaml', ...ONLY], { cwd: d, env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stdout).not.toContain('\u001b[');
  });
  it('reads stdin and writes --output', async () => {
    const d = dir({});
    const r = await runCli(['scan', '-', ...ONLY, '--format', 'json', '--output', 'out.json'], { cwd: d, stdin: PRIV });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(d, 'out.json'), 'utf8')) as { findings: { location: { file: string; line: number } }[] };
    expect(report.findings[0]?.location).toEqual({ file: '<stdin>', line: 11, column: 9 });
  });
  it('every format renders', async () => {
    const d = dir({ 'p.yaml': PRIV });
    for (const format of FORMATS) {
      const r = await runCli(['scan', 'p.yaml', ...ONLY, '--format', format], { cwd: d });
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain('pod-privileged');
    }
  });
  it('an unreadable input fails the gate with exit 2 but the report is complete; --allow-invalid turns that off', async () => {
    const d = dir({ 'good.yaml': PRIV, 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n' });
    const r = await runCli(['scan', '.', ...ONLY, '--format', 'json'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kspect: bad\.yaml:\d+:\d+: /);
    const report = JSON.parse(r.stdout) as { findings: unknown[]; problems: unknown[] };
    expect(report.findings).toHaveLength(1);
    expect(report.problems).toHaveLength(1);
    expect((await runCli(['scan', '.', ...ONLY, '--allow-invalid'], { cwd: d })).code).toBe(1);
  });
  it('baseline accepts current findings; new ones still fail; --show-suppressed lists accepted ones', async () => {
    const d = dir({ 'p.yaml': PRIV });
    const b = await runCli(['baseline', 'p.yaml', ...ONLY, '--output', 'base.json'], { cwd: d });
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('wrote 1 accepted findings');
    const r = await runCli(['scan', 'p.yaml', ...ONLY, '--baseline', 'base.json'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 suppressed');
    expect(r.stdout).not.toContain('priv ');
    const shown = await runCli(['scan', 'p.yaml', ...ONLY, '--baseline', 'base.json', '--show-suppressed'], { cwd: d });
    expect(shown.stdout).toContain('suppressed by baseline');
    writeFileSync(join(d, 'q.yaml'), PRIV.replace('name: priv', 'name: newcomer'));
    expect((await runCli(['scan', '.', ...ONLY, '--baseline', 'base.json'], { cwd: d })).code).toBe(1);
    expect((await runCli(['scan', 'p.yaml', '--baseline', 'nope.json'], { cwd: d })).code).toBe(2);
  });
  it('baseline --from a JSON report writes the file a scan writes: hardened, fingerprints exact, the same bytes', async () => {
    // A name with a right-to-left override and a CI command: escaped in the file, still the fingerprint it matches.
    const d = dir({ 'p.yaml': PRIV.replace('name: priv', 'name: "pr\u202eiv##[error]x"') });
    expect((await runCli(['scan', 'p.yaml', ...ONLY, '-f', 'json', '-o', 'r.json'], { cwd: d })).code).toBe(1);
    const from = await runCli(['baseline', '--from', 'r.json', '--output', 'from.json'], { cwd: d });
    expect(from.code).toBe(0);
    expect(from.stderr).toContain('wrote 1 accepted findings');
    expect((await runCli(['baseline', 'p.yaml', ...ONLY, '--output', 'scan.json'], { cwd: d })).code).toBe(0);
    const text = readFileSync(join(d, 'from.json'), 'utf8');
    expect(text).toBe(readFileSync(join(d, 'scan.json'), 'utf8'));
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('##[');
    expect((JSON.parse(text) as { entries: { fingerprint: string }[] }).entries[0]?.fingerprint).toContain('pr\u202eiv##[error]x');
    expect((await runCli(['scan', 'p.yaml', ...ONLY, '--baseline', 'from.json'], { cwd: d })).code).toBe(0);
    const bad = await runCli(['baseline', '--from', 'r.json', '--output', join(d, 'no', 'such', 'b.json')], { cwd: d });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kspect: cannot write .*b\.json: no such file or folder\n$/);
  });
  it('a bad configuration is one line and exit 2', async () => {
    const d = dir({ 'p.yaml': PRIV, '.kspect.yaml': 'checks:\n  disable: [no-such-check]\nseverity: {pod-privileged: urgent}\n' });
    const r = await runCli(['scan', 'p.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown check "no-such-check"');
  });
  it('kustomize folders are rendered by kubectl, and reported when kubectl is missing', async () => {
    const d = dir({ 'k/kustomization.yaml': 'resources: [p.yaml]\nnamespace: rendered-ns\n', 'k/p.yaml': PRIV });
    const missing = await runCli(['scan', 'k', ...ONLY], { cwd: d, env: { PATH: '/nonexistent' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/kubectl is not installed/);
    const r = await runCli(['scan', 'k', ...ONLY, '--format', 'json'], { cwd: d });
    if (r.stderr.includes('kubectl is not installed')) return; // kubectl is optional on a developer machine
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { resource: { namespace: string } }[] }).findings[0]?.resource.namespace).toBe('rendered-ns');
  });
  it('checks lists every check and explain shows examples', async () => {
    const list = await runCli(['checks']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^pod-privileged\s+critical/m);
    const ex = await runCli(['explain', 'pod-privileged']);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toContain('Failing example:');
    expect(ex.stdout).toContain('Passing example:');
    expect(ex.stdout).not.toContain('# expect:');
  });
});

describe('real output validates', () => {
  it('json of examples/insecure follows the JSON Schema; sarif passes the SARIF multitool', async () => {
    const { reportSchemaValidator, sarifErrors } = await import('../src/reporters/validate.testutil.js');
    const json = await runCli(['scan', 'examples/insecure', '--format', 'json']);
    expect(json.code).toBe(1);
    const validate = reportSchemaValidator();
    validate(JSON.parse(json.stdout));
    expect(validate.errors ?? []).toEqual([]);
    const sarif = await runCli(['scan', 'examples/insecure', '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    expect(sarifErrors(sarif.stdout)).toEqual([]);
  });
  it('works as a kubectl plugin', async () => {
    const pathDir = mkdtempSync(join(tmpdir(), 'kspect-plugin-'));
    const { symlinkSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    symlinkSync(fileURLToPath(new URL('../bin/kubectl-kspect.js', import.meta.url)), join(pathDir, 'kubectl-kspect'));
    const { spawnSync } = await import('node:child_process');
    const direct = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/kubectl-kspect.js', import.meta.url)), '--version'], { encoding: 'utf8' });
    expect(direct.status).toBe(0);
    expect(direct.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const r = spawnSync('kubectl', ['kspect', '--version'], { encoding: 'utf8', env: { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? ''}` } });
    if (r.error) return; // kubectl is optional; without it the shim alone was proven above
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
  });
});
