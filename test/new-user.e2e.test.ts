/**
 * What a new user meets, through the built CLI: `kspect init` writes a commented configuration that every command
 * accepts as is; `kspect completion` scripts that load in bash, zsh and fish and complete commands, subcommands,
 * flags, the shared options' values and check ids; `explain` shows its examples from the package (not from src/);
 * the published package holds the LICENSE, the docs and the examples; retired check ids point at their successors;
 * manual controls never trip --fail-on-not-evaluated, in whichever command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runCli } from './support/cli.js';

const dirs: string[] = [];
function scratch(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'kspect-new-user-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
`;

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('kspect init', () => {
  it('writes a commented .kspect.yaml that changes nothing as written, and refuses to overwrite it', async () => {
    const d = scratch({ 'pod.yaml': POD });
    const before = await runCli(['scan', 'pod.yaml', '-f', 'json'], { cwd: d });
    const r = await runCli(['init'], { cwd: d });
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe('kspect: wrote .kspect.yaml; every setting in it is commented out — uncomment what you need\n');
    const text = readFileSync(join(d, '.kspect.yaml'), 'utf8');
    expect(parse(text)).toBeNull();
    for (const key of ['checks:', 'severity:', 'parameters:', 'exemptions:', 'failOn:', 'pss:', 'k8sVersion:', 'images:']) expect(text).toContain(`# ${key}`);
    // Read by every command: the same report as without it.
    const after = await runCli(['scan', 'pod.yaml', '-f', 'json'], { cwd: d });
    expect(after.code).toBe(before.code);
    const findings = (text: string): unknown => (JSON.parse(text) as { findings: unknown }).findings;
    expect(findings(after.stdout)).toEqual(findings(before.stdout));
    expect(await runCli(['init'], { cwd: d })).toEqual({ code: 2, stdout: '', stderr: 'kspect: .kspect.yaml exists; kspect init does not overwrite it (--force does)\n' });
    expect((await runCli(['init', '--force'], { cwd: d })).code).toBe(0);
    expect((await runCli(['init', '--stdout'])).stdout).toBe(text);
  });

  it('every commented example is valid once uncommented: the file then parses and every command accepts it', async () => {
    const text = (await runCli(['init', '--stdout'])).stdout;
    // Uncomment the lines that are YAML (keys and list items), not the prose.
    const uncommented = text
      .split('\n')
      .map((l) => (/^# (\s*[\w.-]+:( |$)|\s+- )/.test(l) ? l.slice(2) : l))
      .join('\n');
    const cfg = parse(uncommented) as Record<string, unknown>;
    expect(Object.keys(cfg).sort()).toEqual(['checks', 'exemptions', 'failOn', 'images', 'k8sVersion', 'parameters', 'pss', 'severity']);
    const d = scratch({ 'pod.yaml': POD, 'cfg.yaml': uncommented, 'cosign.pub': '' });
    for (const args of [['scan', 'pod.yaml'], ['pss', 'check', 'pod.yaml'], ['netpol', 'check', 'pod.yaml'], ['rbac', 'risks', 'pod.yaml']]) {
      const r = await runCli([...args, '--config', 'cfg.yaml', '--fail-on', 'none'], { cwd: d });
      expect([r.code, r.stderr], args.join(' ')).toEqual([0, '']);
    }
  });
});

describe('kspect completion', () => {
  const words = async (shell: string): Promise<string> => (await runCli(['completion', shell])).stdout;

  it('refuses an unknown shell with one line', async () => {
    expect(await runCli(['completion', 'tcsh'])).toEqual({ code: 2, stdout: '', stderr: 'kspect: completion needs one shell: bash, zsh or fish\n' });
  });

  it('bash: commands, subcommands, flags, the shared values and check ids', async () => {
    const d = scratch({ 'kspect.bash': await words('bash') });
    const complete = (line: string[]): string => {
      const script = `source ${JSON.stringify(join(d, 'kspect.bash'))}\nCOMP_WORDS=(${line.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${line.length - 1}; _kspect; echo "\${COMPREPLY[*]}"`;
      return execFileSync('bash', ['-c', script], { cwd: d, encoding: 'utf8' }).trim();
    };
    expect(complete(['kspect', 'sc'])).toBe('scan');
    expect(complete(['kspect', 'co'])).toBe('completion');
    expect(complete(['kspect', 'scan', '-f', ''])).toBe('table json sarif junit markdown html policyreport');
    expect(complete(['kspect', 'pki', 'check', '--format', ''])).toBe('table json sarif junit markdown html policyreport');
    expect(complete(['kspect', 'node', '--fail-on', ''])).toBe('critical high medium low info none');
    expect(complete(['kspect', 'rbac', 'risks', '--group-by', ''])).toBe('check resource namespace');
    expect(complete(['kspect', 'netpol', 'matrix', '-f', ''])).toBe('table json sarif junit markdown html policyreport csv dot');
    expect(complete(['kspect', 'rbac', 'paths', '-f', ''])).toBe('table json sarif junit markdown html policyreport dot mermaid');
    expect(complete(['kspect', 'rbac', ''])).toBe('can-i who-can access risks paths');
    expect(complete(['kspect', 'netpol', ''])).toBe('check matrix can-reach explain');
    expect(complete(['kspect', 'pss', 'check', '--fail-on-n'])).toBe('--fail-on-not-evaluated');
    expect(complete(['kspect', 'explain', 'pod-privil'])).toBe('pod-privilege-escalation pod-privileged');
    expect(complete(['kspect', 'explain', 'apiserver-prof'])).toBe('apiserver-profiling');
    expect(complete(['kspect', 'scan', 'kspect.b'])).toBe('kspect.bash');
  });

  it.skipIf(!has('zsh'))('zsh: loads and completes through bashcompinit', async () => {
    const d = scratch({ _kspect: await words('zsh') });
    const out = execFileSync('zsh', ['-c', `source ${JSON.stringify(join(d, '_kspect'))}; setopt ksharrays; COMP_WORDS=(kspect rbac ""); COMP_CWORD=2; _kspect; print -r -- "\${COMPREPLY[*]}"`], { cwd: d, encoding: 'utf8' });
    expect(out.trim()).toBe('can-i who-can access risks paths');
  });

  it.skipIf(!has('fish'))('fish: loads and completes', async () => {
    const d = scratch({ 'kspect.fish': await words('fish') });
    const complete = (line: string): string[] =>
      execFileSync('fish', ['-c', `source ${JSON.stringify(join(d, 'kspect.fish'))}; complete -C ${JSON.stringify(line)}`], { cwd: d, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0] ?? '');
    expect(complete('kspect sc')).toEqual(['scan']);
    expect(complete('kspect scan --fail-on ').sort()).toEqual(['critical', 'high', 'info', 'low', 'medium', 'none']);
    expect(complete('kspect explain pod-privil').sort()).toEqual(['pod-privilege-escalation', 'pod-privileged']);
    expect(complete('kspect rbac ')).toEqual(expect.arrayContaining(['can-i', 'who-can', 'access', 'risks', 'paths']));
  });
});

describe('explain and the published package', () => {
  it('explain shows the examples shipped in dist/check-examples.json, for workload, node and PKI checks alike', async () => {
    const examples = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/check-examples.json'), 'utf8')) as Record<string, { fail?: { file: string; text: string }; pass?: { file: string; text: string } }>;
    for (const id of ['pod-privileged', 'apiserver-profiling', 'rbac-wildcard', 'netpol-ingress-unisolated', 'pss-restricted']) {
      const e = examples[id];
      expect(e?.fail, id).toBeDefined();
      const r = await runCli(['explain', id]);
      expect(r.code, id).toBe(0);
      expect(r.stdout, id).toContain(`Failing example:\n# ${e?.fail?.file ?? ''}\n`);
      if (e?.pass) expect(r.stdout, id).toContain(`Passing example:\n# ${e.pass.file}\n`);
      expect(r.stdout, id).not.toMatch(/^# expect:/m);
    }
    // Every check that has fixtures has its examples in the package; no key material is shipped.
    const ids = Object.keys(examples);
    expect(ids.length).toBeGreaterThan(200);
    expect(readFileSync(join(REPO_ROOT, 'dist/check-examples.json'), 'utf8')).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/]{40}/);
  });

  it('an installed package (no src/) still shows the examples', () => {
    // Copy what `npm pack` would ship into a folder without src/ and run explain from there.
    const d = scratch();
    const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[];
    const files = pack[0]?.files.map((f) => f.path) ?? [];
    for (const f of ['LICENSE', 'README.md', 'docs/checks.md', 'dist/check-examples.json', 'dist/index.js', 'schema/report.schema.json', 'bin/kspect.js', 'dist/bundle/parse-worker.js']) expect(files, f).toContain(f);
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
    execFileSync('sh', ['-c', `cd ${JSON.stringify(REPO_ROOT)} && tar cf - ${files.map((f) => JSON.stringify(f)).join(' ')} | (cd ${JSON.stringify(d)} && tar xf -)`]);
    execFileSync('ln', ['-s', join(REPO_ROOT, 'node_modules'), join(d, 'node_modules')]);
    expect(existsSync(join(d, 'src'))).toBe(false);
    const r = spawnSync(process.execPath, [join(d, 'bin/kspect.js'), 'explain', 'pod-host-path'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Failing example:');
    expect(r.stdout).toContain('Passing example:');
    expect(readFileSync(join(d, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    // The parse worker of --jobs ships beside the bundle: two files read by two threads, no "workers could not be used".
    writeFileSync(join(d, 'a.yaml'), POD);
    writeFileSync(join(d, 'b.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n');
    const jobs = spawnSync(process.execPath, [join(d, 'bin/kspect.js'), 'scan', 'a.yaml', 'b.yaml', '--jobs', '2', '-f', 'json'], { cwd: d, encoding: 'utf8' });
    expect([jobs.status, jobs.stderr]).toEqual([1, '']);
    expect(jobs.stdout).toContain('"objectsScanned": 2');
  });
});

describe('retired check ids point at their successors', () => {
  const POINTER = /^kspect: .*check "apiserver-insecure-flags" was retired: .* — use these \d+: apiserver-admission-always-admit, .*apiserver-profiling, .*\n$/;
  it('in .kspect.yaml (with file and line), --checks and explain', async () => {
    const d = scratch({ 'pod.yaml': POD, '.kspect.yaml': 'checks:\n  disable:\n    - apiserver-insecure-flags\n' });
    const cfg = await runCli(['scan', 'pod.yaml'], { cwd: d });
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(POINTER);
    expect(cfg.stderr).toMatch(/^kspect: \S*\.kspect\.yaml:3:7: checks\.disable: /);
    for (const args of [['scan', 'pod.yaml', '--checks', 'apiserver-insecure-flags', '--config', '/dev/null'], ['explain', 'apiserver-insecure-flags']]) {
      const r = await runCli(args, { cwd: d });
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr, args.join(' ')).toMatch(POINTER);
    }
    // Every successor named is a check explain knows.
    const ids = /use these \d+: (.*)\n$/.exec(cfg.stderr)?.[1]?.split(', ') ?? [];
    const known = new Set((JSON.parse((await runCli(['checks', '-f', 'json'])).stdout) as { id: string }[]).map((c) => c.id));
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(known.has(id), id).toBe(true);
  });
});

describe('manual controls and --fail-on-not-evaluated', () => {
  it('manual controls are counted apart and never fail the gate; what could not be judged does', async () => {
    const node = ['node', '--root', join(REPO_ROOT, 'examples/node'), '--fail-on', 'none'];
    const manualOnly = await runCli([...node, '--checks', 'cni-file-permissions', '-f', 'json', '--fail-on-not-evaluated']);
    const report = JSON.parse(manualOnly.stdout) as { summary: { notEvaluated: number; manual: number }; notEvaluated: { reason: string }[] };
    expect(report.summary.notEvaluated).toBeGreaterThan(0);
    expect(report.summary.manual).toBe(report.summary.notEvaluated);
    expect(manualOnly.code).toBe(0);
    const all = await runCli([...node, '-f', 'json']);
    const full = JSON.parse(all.stdout) as { summary: { notEvaluated: number; manual: number }; notEvaluated: { reason: string }[] };
    expect(full.summary.manual).toBe(full.notEvaluated.filter((n) => n.reason === 'manual').length);
    const judged = full.notEvaluated.filter((n) => n.reason !== 'manual').length;
    expect((await runCli([...node, '--fail-on-not-evaluated'])).code).toBe(judged > 0 ? 1 : 0);
  });
});
