/**
 * `kspect probe` as a judging command like every other: usage errors are one line and exit 2, every report format
 * renders its findings (JSON valid against the schema, SARIF valid for Microsoft's multitool), --fail-on, --checks,
 * configuration exemptions, severity overrides, baselines, --fail-on-not-evaluated and --severity work, -o writes the report, and the library returns
 * the same Report. The endpoint here is the stand-in Dashboard of test/support/probe-components.ts — the one fake
 * of the probe's tests, since no real Dashboard runs here; what it serves follows kubernetes/dashboard's API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, makeBaseline, checkExposure, type Report } from '../src/index.js';
import { reportSchemaValidator, sarifErrors } from '../src/reporters/validate.testutil.js';
import { runCli } from './support/cli.js';
import { startFakeDashboard, type Component } from './support/probe-components.js';
import { freePort } from './testbed/testbed.js';

describe('kspect probe on the command line', () => {
  let dashboard: Component;
  let target: string;
  let dir: string;

  beforeAll(async () => {
    dashboard = await startFakeDashboard({ skippable: true, namespaces: ['default', 'kube-system', 'prod'] });
    target = `127.0.0.1:${dashboard.port}`;
    dir = mkdtempSync(join(tmpdir(), 'kspect-probe-cli-'));
  });
  afterAll(async () => {
    await dashboard.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const usage: [string[], RegExp][] = [
    [[], /^kspect: probe needs at least one HOST\[:PORT\] \(or --cluster\)\n$/],
    [['10.0.0.0/24'], /^kspect: "10\.0\.0\.0\/24" is a range: probing ranges needs --allow-range\n$/],
    [['10.0.0.0/16', '--allow-range'], /^kspect: "10\.0\.0\.0\/16" holds 65536 addresses, more than the cap of 256 \(raise it with --max-hosts, up to 4096\)\n$/],
    [['127.0.0.1', '--ports', '99999'], /^kspect: --ports: "99999" is not a port \(1-65535\)\n$/],
    [['127.0.0.1', '--context', 'x'], /^kspect: --context needs --cluster\n$/],
    [['127.0.0.1', '--request-timeout', '-3'], /^kspect: --request-timeout "-3": must not be negative \(500ms, 30s, 2m, 1h or 1h30m; a bare number is seconds; 0 = no limit\)\n$/],
    [['127.0.0.1', '--timeout', '3'], /^kspect: --timeout bounds a whole cluster read \(scan --cluster\); the limit per request or connection is --request-timeout D now /],
    [['127.0.0.1', '--checks', 'pod-privileged'], /^kspect: check "pod-privileged" does not run in this command\n$/],
    [['https://127.0.0.1:6443'], /^kspect: "https:\/\/127\.0\.0\.1:6443": give HOST or HOST:PORT, not a URL\n$/],
  ];
  for (const [args, err] of usage) {
    it(`refuses ${JSON.stringify(args)} with one line and exit 2`, async () => {
      const r = await runCli(['probe', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(err);
      expect(r.stdout).toBe('');
    });
  }

  it('a name that does not resolve is one line; the other targets are still probed', async () => {
    const r = await runCli(['probe', 'no-such-host.invalid', target, '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kspect: no-such-host\.invalid: cannot resolve no-such-host\.invalid: .+\n$/);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.findings.map((f) => f.checkId)).toEqual(['exposed-dashboard', 'exposed-dashboard']);
    const allowed = await runCli(['probe', 'no-such-host.invalid', target, '--allow-invalid']);
    expect(allowed.code).toBe(1);
  });

  it('every format renders the findings; JSON matches the schema and SARIF validates', async () => {
    const validate = reportSchemaValidator();
    for (const f of FORMATS) {
      const r = await runCli(['probe', target, '-f', f]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(1);
      expect(r.stdout, f).toContain('exposed-dashboard');
      if (f === 'json') expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
      if (f === 'sarif') expect(sarifErrors(r.stdout)).toEqual([]);
    }
  }, 180_000);

  it('--fail-on, --checks, -o', async () => {
    expect((await runCli(['probe', target, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['probe', target, '--fail-on', 'critical'])).code).toBe(1);
    const out = join(dir, 'report.json');
    const r = await runCli(['probe', target, '--checks', 'exposed-docker-api', '-f', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(rep.checks.map((c) => c.id)).toEqual(['exposed-docker-api']);
    expect(rep.probe?.endpoints[0]?.service).toBe('Kubernetes Dashboard');
  });

  it('configuration exemptions and severity overrides apply to probed endpoints', async () => {
    const config = join(dir, 'kspect.yaml');
    writeFileSync(config, `severity:\n  exposed-dashboard: low\nexemptions:\n  - checks: [exposed-dashboard]\n    kinds: [ProbedEndpoint]\n    names: ["${target}"]\n    reason: a lab Dashboard behind a VPN\n`);
    const r = await runCli(['probe', target, '-f', 'json', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.findings).toEqual([]);
    expect(rep.suppressed.map((s) => [s.by, s.finding.severity])).toEqual([['config', 'low'], ['config', 'low']]);
  });

  it('a baseline accepts today’s findings; a new one still fails', async () => {
    const first = JSON.parse((await runCli(['probe', target, '-f', 'json'])).stdout) as Report;
    const skipOnly = first.findings.filter((f) => f.path === '/api/v1/login/skippable');
    const file = join(dir, 'baseline.json');
    writeFileSync(file, JSON.stringify(makeBaseline(skipOnly)));
    const r = await runCli(['probe', target, '-f', 'json', '--baseline', file]);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.suppressed.map((s) => s.by)).toEqual(['baseline']);
    expect(rep.findings.map((f) => f.path)).toEqual(['/api/v1/namespace']);
    expect(r.code).toBe(1);
  });

  it('the library returns the same Report', async () => {
    const rep = await checkExposure({ targets: [target], now: new Date('2026-06-01T00:00:00Z') });
    expect(rep.generatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(rep.findings.map((f) => [f.checkId, f.severity, f.path])).toEqual([
      ['exposed-dashboard', 'high', '/api/v1/login/skippable'],
      ['exposed-dashboard', 'critical', '/api/v1/namespace'],
    ]);
    expect(rep.probe?.counts).toEqual({ open: 1, closed: 0, filtered: 0, unreachable: 0 });
  });

  it('a closed port is counted, not judged, and not a problem', async () => {
    const closed = await freePort();
    const r = await runCli(['probe', `127.0.0.1:${closed}`, '-f', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.probe?.endpoints).toEqual([{ endpoint: `127.0.0.1:${closed}`, target: `127.0.0.1:${closed}`, state: 'closed', detail: 'connection refused', answers: [] }]);
    expect(rep.notEvaluated).toEqual([]);
  });

  it('--fail-on-not-evaluated fails when a port answered but could not be judged; --severity only filters the display', async () => {
    // A plain HTTP server that is no Kubernetes component: probed, listed as not judged, never passed.
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('nothing here\n');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const a = other.address();
    const unknown = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    try {
      const plain = await runCli(['probe', unknown, '-f', 'json', '--fail-on', 'none']);
      expect(plain.code, plain.stderr).toBe(0);
      const rep = JSON.parse(plain.stdout) as Report;
      expect(rep.notEvaluated.map((n) => n.message)).toEqual([`${unknown} (unidentified service) was not judged: it answered, but not as any service kspect recognises`]);
      expect((await runCli(['probe', unknown, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(1);
      // The Dashboard alone leaves nothing unevaluated.
      expect((await runCli(['probe', target, '--fail-on', 'none', '--fail-on-not-evaluated'])).code).toBe(0);
      // --severity hides the high finding from the output, --fail-on still sees it.
      const shown = await runCli(['probe', target, '--severity', 'critical', '--fail-on', 'high', '-f', 'json']);
      expect(shown.code).toBe(1);
      expect((JSON.parse(shown.stdout) as Report).findings.map((f) => f.severity)).toEqual(['critical']);
    } finally {
      await new Promise<void>((r) => { other.close(() => { r(); }); });
    }
  });

  it('--help lists the options of the shared vocabulary', async () => {
    const r = await runCli(['probe', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--format', '--output', '--fail-on', '--config', '--baseline', '--checks', '--cluster', '--kubeconfig', '--k8s-version', '--file', '--ports', '--allow-range', '--request-timeout', '--concurrency', '--ca']) expect(r.stdout).toContain(flag);
  });
});
