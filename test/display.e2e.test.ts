/**
 * The built CLI with hostile input (issue 10 §3) and the display options (issue 17 §3): whatever names, file names,
 * images and YAML errors hold, stdout and stderr of every format carry no control character, no bidi override and
 * no line a CI runner reads as a workflow command; --group-by and --severity reach the reporters.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const HOSTILE = 'x\u001b[2J\u001b]0;pwned\u0007\n::error file=a.yaml,line=1::forged\r##vso[task.setvariable variable=X]1 ##[error]e \u202eexe\u2066 \u009b1m \ud800';

const dir = mkdtempSync(join(tmpdir(), 'kspect-display-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

writeFileSync(
  join(dir, 'pod.json'),
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web${HOSTILE}`, namespace: `ns${HOSTILE}`, labels: { app: HOSTILE } },
    spec: { hostPID: true, containers: [{ name: `c${HOSTILE}`, image: `nginx${HOSTILE}`, securityContext: { privileged: true }, env: [{ name: `DB_PASSWORD${HOSTILE}`, value: `v${HOSTILE}` }] }] },
  }),
);
// A file name with a newline and a CI command, holding invalid YAML: its problem line goes to stderr.
writeFileSync(join(dir, 'bad\n::error::forged\u001b[31m.yaml'), 'a: [\n');

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectHarmless(text: string, what: string): void {
  expect(RAW_UNSAFE.exec(text)?.[0], `${what}: raw control or bidi character`).toBeUndefined();
  expect(text.includes('\ufffd') || !/[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), `${what}: lone surrogate`).toBe(true);
  for (const line of text.split('\n')) {
    expect(line, `${what}: workflow command`).not.toMatch(/^\s*::/);
    expect(line, `${what}: ##[ command`).not.toMatch(/##(?:\[|vso\[)/i);
  }
}

describe('hostile input through the built CLI', () => {
  for (const format of FORMATS) {
    it(`scan -f ${format}: stdout and stderr are harmless`, async () => {
      const r = await runCli(['scan', '.', '-f', format, '--allow-invalid'], { cwd: dir, env: { FORCE_COLOR: '1' } });
      expect(r.code, r.stderr).toBe(1);
      // Colour on: the only ESC sequences are kspect's own SGR codes.
      // eslint-disable-next-line no-control-regex
      expectHarmless(r.stdout.replace(/\u001b\[\d+m/g, ''), `${format} stdout`);
      expectHarmless(r.stderr, `${format} stderr`);
      // The newline is shown as `\n`, so `::` does not start a line.
      expect(r.stderr).toMatch(/^kspect: bad\\n::error::forged\\x1b\[31m\.yaml:/m);
    });
  }
});

// RBAC objects whose names and subjects are hostile: the query answers (can-i, who-can, access) print them.
const RBAC_API = 'rbac.authorization.k8s.io';
writeFileSync(
  join(dir, 'rbac.json'),
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: `${RBAC_API}/v1`, kind: 'ClusterRole', metadata: { name: `r${HOSTILE}` }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
      { apiVersion: `${RBAC_API}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `b${HOSTILE}` }, roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name: `r${HOSTILE}` }, subjects: [{ kind: 'User', name: `alice${HOSTILE}`, apiGroup: RBAC_API }] },
      { apiVersion: `${RBAC_API}/v1`, kind: 'RoleBinding', metadata: { name: `m${HOSTILE}`, namespace: 'default' }, roleRef: { apiGroup: RBAC_API, kind: 'Role', name: `missing${HOSTILE}` }, subjects: [{ kind: 'User', name: `bob${HOSTILE}`, apiGroup: RBAC_API }] },
    ],
  }),
);

describe('hostile input through the query commands', () => {
  const queries: [string, string[]][] = [
    ['who-can', ['rbac', 'who-can', 'get', 'secrets', '-i', 'rbac.json']],
    ['can-i (allowed)', ['rbac', 'can-i', 'get', 'secrets', '--as', `alice${HOSTILE}`, '-i', 'rbac.json']],
    ['can-i (unknown)', ['rbac', 'can-i', 'get', 'pods', '--as', `bob${HOSTILE}`, '-i', 'rbac.json']],
    ['access', ['rbac', 'access', `bob${HOSTILE}`, '-i', 'rbac.json']],
  ];
  for (const [name, args] of queries) {
    for (const format of ['table', 'json']) {
      it(`rbac ${name} -f ${format}: stdout and stderr are harmless`, async () => {
        const r = await runCli([...args, '-f', format], { cwd: dir });
        expect([0, 1, 2], r.stderr).toContain(r.code);
        expect(r.stdout.length).toBeGreaterThan(0);
        // The hostile names are in the answer (escaped), so the test is not vacuous.
        expect(r.stdout).toMatch(/(alice|bob|missing|r)x/);
        expectHarmless(r.stdout, `rbac ${name} ${format} stdout`);
        expectHarmless(r.stderr, `rbac ${name} ${format} stderr`);
        if (format === 'json') JSON.parse(r.stdout);
      });
    }
  }

  it('pki csr and pki sign: subjects from the request are escaped', async () => {
    const pki = join(dir, 'pki');
    expect((await runCli(['pki', 'init', pki], { cwd: dir })).code).toBe(0);
    const csr = await runCli(['pki', 'csr', '--cn', `cn${HOSTILE.replace('\ud800', '')}`, '--o', `org${HOSTILE}`, '--out', join(dir, 'req')], { cwd: dir });
    expect(csr.code, csr.stderr).toBe(0);
    expectHarmless(csr.stdout, 'pki csr stdout');
    for (const format of ['table', 'json']) {
      const r = await runCli(['pki', 'sign', join(dir, 'req.csr'), '--ca', join(pki, 'ca'), '--role', 'client', '--out', join(dir, `signed-${format}`), '-f', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('cnx');
      expectHarmless(r.stdout, `pki sign ${format} stdout`);
      expectHarmless(r.stderr, `pki sign ${format} stderr`);
    }
  });

  it('a baseline file holds the hostile names escaped, and stays valid JSON', async () => {
    const r = await runCli(['baseline', 'pod.json', '--output', 'base.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'base.json'), 'utf8');
    expect(text).toContain('webx');
    expectHarmless(text, 'baseline file');
    JSON.parse(text);
    // It still works as a baseline: every entry (a lone surrogate in a name included) suppresses its finding.
    const entries = (JSON.parse(text) as { entries: unknown[] }).entries.length;
    const again = await runCli(['scan', 'pod.json', '--baseline', 'base.json', '-f', 'json'], { cwd: dir });
    expect((JSON.parse(again.stdout) as { summary: { suppressed: number } }).summary.suppressed, again.stderr).toBe(entries);
  });

  it('a config file with a hostile key: one harmless stderr line', async () => {
    writeFileSync(join(dir, 'hostile-config.yaml'), `checks:\n  "k\\e[2J\\n::error::forged\\u202e": {}\n`);
    const r = await runCli(['scan', 'pod.json', '--config', 'hostile-config.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectHarmless(r.stderr, 'config error stderr');
  });
});

describe('display options through the CLI', () => {
  it('--group-by check, --severity critical', async () => {
    const r = await runCli(['scan', 'pod.json', '--group-by', 'check', '--severity', 'critical'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^pod-privileged {2}/m);
    expect(r.stdout).toMatch(/findings? below critical not listed \(/);
    expect(r.stdout).toContain('Checks with findings');
  });
  it('refuses an unknown grouping with one line', async () => {
    const r = await runCli(['scan', 'pod.json', '--group-by', 'colour'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
