/**
 * Hostile input: each bad file gives one line on stderr naming the file (and line), the other files are
 * still scanned, memory stays bounded (the CLI runs with a 256 MiB heap cap), and the exit code is 2.
 */
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const GOOD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: good, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n';

const bomb = ['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array<string>(9).fill(`*${'abcdefghi'[i] ?? ''}`).join(',')}]`)].join('\n');

const CASES: Record<string, { content: string | Buffer; expect: RegExp }> = {
  'malformed.yaml': { content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n', expect: /^kspect: malformed\.yaml:\d+:\d+: / },
  'bomb.yaml': { content: bomb, expect: /^kspect: bomb\.yaml:1:1: too many aliases/ },
  'deep.yaml': { content: `a: ${'['.repeat(150_000)}${']'.repeat(150_000)}\n`, expect: /^kspect: deep\.yaml:\d+:\d+: nesting too deep/ },
  'binary.yaml': { content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe]), expect: /^kspect: binary\.yaml:1: binary content/ },
  'latin1.yaml': { content: Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "'), Buffer.from([0xe9, 0xff]), Buffer.from('"\n')]), expect: /^kspect: latin1\.yaml:5: invalid UTF-8/ },
  'dupkeys.yaml': { content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', expect: /^kspect: dupkeys\.yaml:5:3: duplicate key "name"/ },
  'noname.yaml': { content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec: {}\n', expect: /^kspect: noname\.yaml:1:1: Pod has no metadata\.name/ },
  'truncated.json': { content: '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"', expect: /^kspect: truncated\.json:\d+:\d+: / },
};

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kspect-hostile-'));
  writeFileSync(join(root, 'good.yaml'), GOOD);
  for (const [name, c] of Object.entries(CASES)) writeFileSync(join(root, name), c.content);
  // 200 MB of valid YAML: refused by size without being read.
  const fd = openSync(join(root, 'huge.yaml'), 'w');
  const chunk = Buffer.from('# filler line for a huge file, padding padding padding padding padding\n'.repeat(16_384));
  for (let written = 0; written < 200 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
});

describe('hostile input', () => {
  it('every bad file is one line, the good file is still scanned, exit 2, bounded memory', async () => {
    const r = await runCli(['scan', '.', '--checks', 'pod-privileged', '--format', 'json'], { cwd: root, nodeArgs: ['--max-old-space-size=256'] });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    for (const [name, c] of Object.entries(CASES)) {
      const mine = lines.filter((l) => l.startsWith(`kspect: ${name}:`));
      expect(mine, name).toHaveLength(1);
      expect(mine[0], name).toMatch(c.expect);
    }
    expect(lines.filter((l) => l.startsWith('kspect: huge.yaml: '))).toEqual([expect.stringMatching(/^kspect: huge\.yaml: file is 20\d\.\d MiB, over the 64\.0 MiB limit \(--max-file-size\); not read$/)]);
    expect(lines).toHaveLength(Object.keys(CASES).length + 1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(r.stdout) as { findings: { resource: { name: string } }[]; problems: { file: string }[] };
    expect(report.findings.map((f) => f.resource.name)).toEqual(['good']);
    expect(report.problems.map((p) => p.file).sort()).toEqual([...Object.keys(CASES), 'huge.yaml'].sort());
  });
  it('each bad file alone still exits 2 with one line', async () => {
    for (const name of Object.keys(CASES)) {
      const r = await runCli(['scan', name], { cwd: root });
      expect(r.code, name).toBe(2);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    }
  });
});
