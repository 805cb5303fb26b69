/**
 * Helm charts as input: `kspect scan CHART --values V` renders the chart with a real helm (built once per machine by
 * `test/testbed/build.sh helm` from the Go module proxy; test-only), maps every finding back to the template file it
 * was rendered from, and says in one line when helm is missing or the chart does not render.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { REPO_ROOT, runCli } from './support/cli.js';

function helmBinary(): string | undefined {
  try {
    const out = execFileSync('bash', [join(REPO_ROOT, 'test', 'testbed', 'build.sh'), 'helm'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_500_000 }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

const helm = helmBinary();
if (!helm) process.stderr.write('helm-chart.e2e: no Go to build helm once (test/testbed/build.sh helm); the rendering tests are skipped\n');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-chart-'));
  const chart = join(dir, 'web');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'privileged: false\nimage: nginx:1.27\n');
  writeFileSync(
    join(chart, 'templates', 'service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  );
  writeFileSync(
    join(chart, 'templates', 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}-web',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: {{ .Values.image }}',
      '          securityContext:',
      '            privileged: {{ .Values.privileged }}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'prod.yaml'), 'privileged: true\n');
  mkdirSync(join(dir, 'broken', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'broken', 'Chart.yaml'), 'apiVersion: v2\nname: broken\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'broken', 'templates', 'x.yaml'), 'kind: {{ .Values.missing.deeper }}\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({ PATH: `${dirname(helm ?? '/nonexistent')}:${process.env.PATH ?? ''}` });

describe.skipIf(!helm)('scan renders Helm charts with helm template', () => {
  it('maps findings to the template they were rendered from, with the values given', async () => {
    const r = await runCli(['scan', 'web', '--values', 'prod.yaml', '-f', 'json', '--fail-on', 'none'], { cwd: dir, env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const privileged = report.findings.filter((f) => f.checkId === 'pod-privileged');
    expect(privileged.map((f) => [f.resource?.name, f.location?.file, f.path])).toEqual([['release-name-web', join('web', 'templates', 'deployment.yaml'), 'spec.template.spec.containers[0].securityContext.privileged']]);
    // The line is the rendered template's: the field is on line 14 of deployment.yaml.
    expect(privileged[0]?.location?.line).toBe(14);
    expect(report.problems).toEqual([]);
  });
  it('the chart\'s own values decide when no --values is given', async () => {
    const r = await runCli(['scan', 'web', '-f', 'json', '--fail-on', 'none'], { cwd: dir, env: env() });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.checkId === 'pod-privileged')).toEqual([]);
    expect(report.findings.some((f) => f.location?.file === join('web', 'templates', 'deployment.yaml'))).toBe(true);
  });
  it('a chart that does not render is one line naming the folder, exit 2, the rest still scanned', async () => {
    const r = await runCli(['scan', 'broken', 'web', '-f', 'json'], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.problems.map((p) => [p.code, p.file])).toEqual([['helm-failed', 'broken']]);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});

describe('without helm', () => {
  it('a chart folder is a one-line problem that says how to render it', async () => {
    const r = await runCli(['scan', 'web', '-f', 'json'], { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.message).toContain('helm is not installed');
    expect(r.stderr.split('\n').filter((l) => l.includes('helm')).length).toBeLessThanOrEqual(1);
  });
  it('--values refuses a URL: helm would fetch it', async () => {
    const r = await runCli(['scan', 'web', '--values', 'https://example.com/v.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--values');
  });
});
