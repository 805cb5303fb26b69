/**
 * The built CLI with hostile input (issue 10 §3) and the display options (issue 17 §3): whatever names, file names,
 * images and YAML errors hold, stdout and stderr of every format carry no control character, no bidi override and
 * no line a CI runner reads as a workflow command; --group-by and --severity reach the reporters.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

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
  for (const format of ['table', 'json', 'sarif', 'junit', 'markdown']) {
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
