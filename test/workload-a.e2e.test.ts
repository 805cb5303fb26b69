/**
 * End to end: the built CLI scans one manifest that carries every risk of the pod security-context and
 * host-access checks; each finding must point at the line that the manifest marks with its check id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const FILE = 'test/fixtures/workload-a.yaml';
const CANARY = 'kspect-canary-5f2b9e7c';
const CHECKS = [
  'pod-apparmor-unconfined',
  'pod-capabilities-not-dropped',
  'pod-dangerous-capabilities',
  'pod-host-ipc',
  'pod-host-network',
  'pod-host-path',
  'pod-host-pid',
  'pod-host-port',
  'pod-privilege-escalation',
  'pod-proc-mount-unmasked',
  'pod-run-as-root',
  'pod-seccomp-unconfined',
  'pod-selinux-custom',
  'pod-unsafe-sysctls',
  'pod-writable-root-fs',
];

interface JsonFinding {
  checkId: string;
  severity: string;
  path?: string;
  location?: { file: string; line: number };
  resource?: { kind: string; name: string; container?: string };
}

/** `checkId@line` for every `# @check-id` marker of the manifest. */
function markers(): string[] {
  const out: string[] = [];
  readFileSync(join(REPO_ROOT, FILE), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const comment = line.indexOf(' # @');
      if (comment < 0) return;
      for (const m of line.slice(comment).matchAll(/@([a-z0-9-]+)/g)) out.push(`${m[1] ?? ''}@${i + 1}`);
    });
  return out.sort();
}

describe('workload-a checks end to end', () => {
  it('points every finding at its marked line, and finds every marked risk', async () => {
    const r = await runCli(['scan', FILE, '--format', 'json', '--checks', CHECKS.join(',')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; problems: unknown[] };
    expect(report.problems).toEqual([]);
    for (const f of report.findings) expect(f.location?.file).toBe(FILE);
    const got = report.findings.map((f) => `${f.checkId}@${f.location?.line ?? 0}`).sort();
    expect(got).toEqual(markers());
    expect(new Set(report.findings.map((f) => f.checkId))).toEqual(new Set(CHECKS));
  });

  it('grades the escape combinations and sensitive host paths', async () => {
    const r = await runCli(['scan', FILE, '--format', 'json', '--checks', 'pod-dangerous-capabilities,pod-host-path,pod-run-as-root']);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const sev = (id: string) => findings.filter((f) => f.checkId === id).map((f) => f.severity);
    expect(sev('pod-dangerous-capabilities')).toEqual(['critical']);
    expect(sev('pod-host-path')).toEqual(['critical']);
    const podLevel = findings.find((f) => f.checkId === 'pod-run-as-root' && f.resource?.kind === 'Deployment');
    expect(podLevel?.path).toBe('spec.template.spec.securityContext.runAsUser');
    expect(podLevel?.resource?.container).toBeUndefined();
    const init = findings.find((f) => f.checkId === 'pod-run-as-root' && f.resource?.kind === 'CronJob');
    expect(init?.resource?.container).toBe('chown');
  });

  it('exits 0 when nothing reaches --fail-on', async () => {
    const r = await runCli(['scan', FILE, '--format', 'json', '--checks', 'pod-writable-root-fs', '--fail-on', 'medium']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBe(2);
  });

  it.each(FORMATS)('never prints the planted secret (%s)', async (format) => {
    const r = await runCli(['scan', FILE, '--format', format, '--checks', CHECKS.join(',')]);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(Buffer.from(CANARY).toString('base64'));
    }
  });
});
