/**
 * The image commands from the built CLI: `scan --vulns` with the scanners' upstream reports (every format, exit
 * codes, bad input named in one line), and `images verify` usage errors. No registry needed here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const V = join(REPO_ROOT, 'test/fixtures/vulns');
const dir = mkdtempSync(join(tmpdir(), 'kspect-images-cli-'));
const workloads = join(dir, 'workloads.yaml');
writeFileSync(
  workloads,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/acme/api:1.4.2@sha256:6e0eea28a356bfb422b93295eadd8ac43d4de8ca7032a1c7de376eb0de297f43
        - name: tools
          image: ghcr.io/aquasecurity/trivy-test-images:alpine-39
        - name: old
          image: ghcr.io/aquasecurity/trivy-test-images:alpine-310
        - name: report
          image: registry.example.com/acme/report@sha256:ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5
`,
);
const vulns = ['trivy-k8s.json', 'trivy-alpine-39.json', 'trivy-alpine-310.json', 'grype-imgs.json'].flatMap((f) => ['--vulns', join(V, f)]);

describe('scan --vulns', () => {
  it('joins Trivy and Grype results to containers by digest and reference', async () => {
    const r = await runCli(['scan', workloads, ...vulns, '--checks', 'image-vulnerabilities', '-f', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.resource?.container, f.severity, /joined by (\w+)/.exec(f.message)?.[1]])).toEqual([
      ['api', 'critical', 'digest'],
      ['tools', 'critical', 'reference'],
      ['report', 'critical', 'digest'],
    ]);
    expect(report.findings[2]?.message).toMatch(/1 known-exploited, e\.g\. CVE-1999-0002/);
    expect(report.inputs).toEqual([workloads, ...vulns.filter((v) => v !== '--vulns')]);
    expect(report.notEvaluated).toEqual([]);
  });
  it('applies the threshold parameters from .kspect.yaml', async () => {
    const cfg = join(dir, 'kspect.yaml');
    writeFileSync(cfg, 'parameters:\n  image-vulnerabilities:\n    maxSeverity: high\n    ignoreUnfixed: true\n');
    const r = await runCli(['scan', workloads, ...vulns, '--checks', 'image-vulnerabilities', '-f', 'json', '--config', cfg]);
    const report = JSON.parse(r.stdout) as Report;
    // Only fixable criticals remain: alpine-39's two (grype's critical has no fix; trivy-k8s's critical is will_not_fix).
    expect(report.findings.map((f) => [f.resource?.container, f.message.match(/with (\d+) vulnerabilit/)?.[1]])).toEqual([['tools', '2']]);
  });
  it('renders in every format', async () => {
    for (const format of FORMATS) {
      const r = await runCli(['scan', workloads, ...vulns, '--checks', 'image-vulnerabilities', '-f', format]);
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toContain('image-vulnerabilities');
    }
  });
  it('names a bad report file in one line and still reads the others (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"SchemaVersion": 1, "Results": []}');
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{oops');
    const r = await runCli(['scan', workloads, '--vulns', bad, '--vulns', notJson, '--vulns', join(V, 'grype-imgs.json'), '--checks', 'image-vulnerabilities', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`kspect: ${bad}: Trivy SchemaVersion 1 is not supported (only 2)`, expect.stringMatching(new RegExp(`^kspect: ${notJson.replace(/[.]/g, '\\.')}: not JSON`))]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => f.resource?.container)).toEqual(['report']);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('images verify usage', () => {
  it.each([
    [['images'], /Usage: kspect images verify/, 2],
    [['images', 'sign'], /unknown images subcommand "sign"/, 2],
    [['images', 'verify'], /needs a PATH .*--image REF, or --cluster/, 2],
    [['images', 'verify', '--image', 'x', '--certificate-identity', 'a@b'], /--certificate-identity and --certificate-oidc-issuer go together/, 2],
    [['images', 'verify', '--image', 'x', '--certificate-identity', 'a@b', '--certificate-oidc-issuer', 'https://i'], /needs --trusted-root FILE/, 2],
    [['images', 'verify', '--image', 'Not A Ref'], /--image: "Not A Ref" is not a valid image reference/, 2],
    [['images', 'verify', '--image', 'x', '--concurrency', '0'], /--concurrency must be a whole number/, 2],
    [['images', 'verify', '--image', 'x', '-n', 'prod'], /--namespace needs --cluster/, 2],
  ])('%j', async (args, message, code) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
  it('an unreadable key file makes the images not evaluated and the run exit 2, naming the file', async () => {
    const r = await runCli(['images', 'verify', '--image', '127.0.0.1:9/app:1', '--key', join(dir, 'missing.pub'), '--timeout', '2', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`signature rule "command line": cannot read ${join(dir, 'missing.pub')}: ENOENT`);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.filter((f) => f.checkId === 'image-signature')).toEqual([]);
    expect(report.notEvaluated.map((n) => n.checkId)).toContain('image-signature');
  });
  it('a config error in images: is one line naming the file', async () => {
    const cfg = join(dir, 'bad-images.yaml');
    writeFileSync(cfg, 'images:\n  signatures:\n    - images: []\n');
    const r = await runCli(['images', 'verify', '--image', 'x', '--config', cfg], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kspect: ${cfg}:3:7: images.signatures[0].images must name at least one image glob (e.g. registry.example.com/team/**); ${cfg}:3:7: images.signatures[0] needs keys or keyless identities`);
  });
});
