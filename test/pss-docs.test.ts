/** docs/pss.md shows real output: run every `$ kspect …` example of it on its `app.yaml` and compare. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';

const doc = readFileSync(join(REPO_ROOT, 'docs/pss.md'), 'utf8');
const blocks = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const appYaml = /Given `app\.yaml`:\s*```yaml\n([\s\S]*?)```/.exec(doc)?.[1];

interface Example {
  readonly args: string[];
  readonly expected: string[];
  /** The doc elides the rest of the output with `…`. */
  readonly prefixOnly: boolean;
}

const examples: Example[] = blocks
  .filter((b) => b.startsWith('$ kspect '))
  .map((b) => {
    const lines = b.split('\n');
    const end = lines.findIndex((l, i) => i > 0 && l.startsWith('$ '));
    const out = lines.slice(1, end < 0 ? undefined : end);
    const elided = out.findIndex((l) => l.trim() === '…');
    return { args: (lines[0] ?? '').slice('$ kspect '.length).split(' '), expected: elided < 0 ? out : out.slice(0, elided), prefixOnly: elided >= 0 };
  });

const dir = mkdtempSync(join(tmpdir(), 'kspect-pss-docs-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/pss.md examples', () => {
  it('has app.yaml and examples', () => {
    expect(appYaml).toBeDefined();
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });
  for (const ex of examples) {
    it(`kspect ${ex.args.join(' ')}`, async () => {
      writeFileSync(join(dir, 'app.yaml'), appYaml ?? '');
      const r = await runCli(ex.args, { cwd: dir });
      const actual = r.stdout.replace(/\n$/, '').split('\n');
      const expected = ex.expected.filter((l, i) => !(i === ex.expected.length - 1 && l === ''));
      if (ex.prefixOnly) expect(actual.slice(0, expected.length)).toEqual(expected);
      else expect(actual).toEqual(expected);
    });
  }
});
