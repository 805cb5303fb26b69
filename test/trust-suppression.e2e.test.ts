/**
 * Issue 10 §1, proof: in-manifest suppression is the policy owner's to allow. `kspect.dev/ignore` suppresses only
 * the check ids it lists (`*` and unknown ids are reported and suppress nothing), `.kspect.yaml` can turn it off or
 * restrict it to some checks and namespaces, and every annotation-suppressed finding says where it was written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const pod = (name: string, ns: string, ignore: string): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  annotations:\n    kspect.dev/ignore: "${ignore}"\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n`;

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kspect-suppress-'));
  writeFileSync(join(root, 'pods.yaml'), pod('star', 'a', '*: everything') + pod('typo', 'a', 'pod-privilegd: typo') + pod('ok', 'legacy-1', 'pod-privileged: reviewed') + pod('prod', 'prod', 'pod-privileged: mine'));
  writeFileSync(join(root, 'off.yaml'), 'suppression:\n  annotations: false\n');
  writeFileSync(join(root, 'some.yaml'), 'suppression:\n  annotations:\n    checks: [pod-privileged]\n    namespaces: [legacy-*]\n');
  writeFileSync(join(root, 'bad.yaml'), 'suppression:\n  annotations:\n    checks: ["*"]\n');
});
afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

interface Out {
  findings: { resource: { name: string } }[];
  suppressed: { finding: { resource: { name: string } }; by: string; annotation?: { object: string; file?: string; line?: number } }[];
  problems: { code: string; message: string }[];
}
const scan = async (...extra: string[]): Promise<Out> => {
  const r = await runCli(['scan', 'pods.yaml', '--checks', 'pod-privileged', '-f', 'json', '--fail-on', 'none', ...extra], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Out;
};

describe('kspect.dev/ignore under the policy owner', () => {
  it('"*" and unknown ids suppress nothing and are reported; a listed id suppresses, with its object, file and line', async () => {
    const out = await scan();
    expect(out.findings.map((f) => f.resource.name).sort()).toEqual(['star', 'typo']);
    expect(out.suppressed.map((s) => [s.finding.resource.name, s.by, s.annotation])).toEqual([
      ['ok', 'annotation', { object: 'Pod legacy-1/ok', file: 'pods.yaml', line: 34, column: 5 }],
      ['prod', 'annotation', { object: 'Pod prod/prod', file: 'pods.yaml', line: 47, column: 5 }],
    ]);
    expect(out.problems.map((p) => p.code).sort()).toEqual(['suppression-unknown-check', 'suppression-unknown-check']);
    expect(out.problems.map((p) => p.message).join('\n')).toMatch(/"\*", which is not a check id[^]*unknown check "pod-privilegd"/);
  });

  it('suppression.annotations: false turns it off', async () => {
    const out = await scan('--config', 'off.yaml');
    expect(out.suppressed).toEqual([]);
    expect(out.findings).toHaveLength(4);
  });

  it('suppression.annotations restricted to checks and namespaces', async () => {
    const out = await scan('--config', 'some.yaml');
    expect(out.suppressed.map((s) => s.finding.resource.name)).toEqual(['ok']);
    expect(out.findings.map((f) => f.resource.name).sort()).toEqual(['prod', 'star', 'typo']);
  });

  it('the table lists where each suppression was written', async () => {
    const r = await runCli(['scan', 'pods.yaml', '--checks', 'pod-privileged', '--show-suppressed', '--fail-on', 'none'], { cwd: root, env: { COLUMNS: '300' } });
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('written on Pod legacy-1/ok at pods.yaml:34');
  });

  it('"*" in the configuration is a one-line error', async () => {
    const r = await runCli(['scan', 'pods.yaml', '--config', 'bad.yaml'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kspect: bad\.yaml:3:\d+: suppression\.annotations\.checks: "\*" is not a check id/)]);
  });
});
