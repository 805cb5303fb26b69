/**
 * Nothing a user feeds kspect can hang it (issue 10 §2): every regular expression on user data is linear. Each case
 * feeds the built CLI an input that made a super-linear expression blow up (minutes to hours), in a child process
 * with a generous bound; the test times nothing else and fails when the bound is hit. The shapes come from the audit
 * in src/core/regex-audit.test.ts and the rewritten scanners of src/engines/credentials, src/core/glob.ts and
 * src/framework/suppress.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/**
 * Generous: each case takes a few seconds once linear (the 50 MB line about 3 s); before the rewrite 200,000
 * characters of the first case alone took 40 s of CPU, and every case here took minutes or more.
 */
const BOUND_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'kspect-pathological-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configMap(name: string, data: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
}

function pod(name: string, env: { name: string; value: string }[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...extra },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), env }] },
  });
}

const K100 = 100_000;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: () => string;
  readonly args?: readonly string[];
  readonly config?: string;
  /** The input argument, when not the file itself (a glob). */
  readonly input?: string;
  /** Other files next to it: name → content. */
  readonly others?: Readonly<Record<string, string>>;
  /** Expected exit codes (1: findings, 0: none). */
  readonly codes: readonly number[];
  /** A bound of its own, when the input is large enough that a loaded machine needs more than BOUND_MS. */
  readonly boundMs?: number;
}

const CASES: readonly Case[] = [
  {
    name: '50 MB of URL-like characters in one line (credential detector, URL userinfo)',
    file: 'big-line.yaml',
    // A plain scalar: one line of 50 MB that the credential detector reads as a run of URL-scheme characters.
    text: () => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: default}\ndata:\n  app.properties: x${'a'.repeat(50 * 1024 * 1024)}\n`,
    args: ['--max-file-size', '80'],
    codes: [0, 1],
  },
  {
    name: '100k-character URL-ish runs, dash runs, reference chains, capital runs in env values and names',
    file: 'env.json',
    text: () =>
      pod('env', [
        { name: 'DB_URL', value: 'a1+.-'.repeat(K100 / 5) },
        { name: 'DB_PASSWORD', value: '{{a}}'.repeat(40) + 'x' },
        { name: 'API_TOKEN', value: `$A${' '.repeat(K100)}x` },
        { name: 'PEM', value: '-'.repeat(K100) },
        { name: 'A'.repeat(K100), value: 'x' },
        { name: 'URLS', value: 'x://'.repeat(K100 / 4) },
      ]),
    codes: [0, 1],
  },
  {
    name: 'embedded configuration files with long runs of blanks (credential assignments)',
    file: 'props.json',
    text: () => configMap('props', { 'app.properties': `password: a${' '.repeat(K100)}b\napi_key = ${' '.repeat(K100)},${' '.repeat(K100)}x` }),
    codes: [0, 1],
  },
  {
    name: 'a*-style exemption globs against long names',
    file: 'glob.json',
    text: () => pod('a'.repeat(K100), []),
    config: `exemptions:\n  - checks: ['*']\n    names: ['${'a*'.repeat(12)}b']\n    reason: pathological\n`,
    codes: [0, 1],
  },
  {
    name: 'a*-style input path globs against long file names',
    file: `${'a'.repeat(11)}.json`,
    text: () => pod('globbed', []),
    // Before core/glob.ts compilePathGlob, the glob became ^[^/]*a[^/]*a…\.json$: 240^11 steps on the long name.
    input: `${'*a'.repeat(10)}*.json`,
    others: { ['a'.repeat(240)]: 'not read', [`${'a'.repeat(240)}.yml`]: 'not read' },
    codes: [0, 1],
  },
  {
    name: 'a suppression annotation with a long run of blanks',
    file: 'ignore.json',
    text: () => pod('ignore', [], { annotations: { 'kspect.dev/ignore': `pod-privileged${' '.repeat(K100)}x` } }),
    codes: [0, 1, 2],
  },
  {
    name: 'one line of JSON with 1,000,000 keys (the fast YAML decoder looked for a newline past each key)',
    file: 'one-line.json',
    // 14 MB on one line (about 70 s of CPU before, a few seconds after): before the key check looked within the key only, each key cost the rest of the line.
    text: () => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wide","namespace":"default"},"data":{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":"v"`).join(',')}}}`,
    args: ['--max-file-size', '80'],
    codes: [0, 1],
    boundMs: 45_000,
  },
  {
    name: 'a Windows hostPath with a long run of backslashes',
    file: 'hostpath.json',
    text: () =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'hp', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v', hostPath: { path: `C:\\${'\\'.repeat(K100)}x` } }] },
      }),
    codes: [0, 1],
  },
];

describe('pathological inputs finish within a generous bound (built CLI, child process)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const sub = mkdtempSync(join(dir, 'case-'));
      writeFileSync(join(sub, c.file), c.text());
      for (const [name, text] of Object.entries(c.others ?? {})) writeFileSync(join(sub, name), text);
      const args = ['scan', c.input ?? c.file, '-f', 'json', ...(c.args ?? [])];
      if (c.config !== undefined) {
        writeFileSync(join(sub, 'kspect.yaml'), c.config);
        args.push('--config', 'kspect.yaml');
      }
      const started = Date.now();
      const bound = c.boundMs ?? BOUND_MS;
      const r = await runCli(args, { cwd: sub, timeoutMs: bound, nodeArgs: ['--max-old-space-size=2048'] });
      const took = Date.now() - started;
      expect(r.code, `killed after ${took} ms (bound ${bound} ms); stderr: ${r.stderr.slice(0, 300)}`).not.toBe(-1);
      expect(c.codes, r.stderr.slice(0, 500)).toContain(r.code);
      if (r.code !== 2) expect((JSON.parse(r.stdout) as { summary: { objectsScanned: number } }).summary.objectsScanned).toBe(1);
    }, (c.boundMs ?? BOUND_MS) + 30_000);
  }
});
