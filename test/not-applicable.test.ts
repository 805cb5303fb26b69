/**
 * A check that judged nothing is *not applicable* — never passed — in every format: the runner's outcome in the JSON
 * (and the JSON Schema), SARIF rule properties, a skipped JUnit testcase, the table and Markdown summaries, the HTML
 * checks table; framework controls whose checks all judged nothing are NOT_APPLICABLE, not PASS, in every view.
 * examples/insecure holds manifests only: the certificate checks (TLS Secrets, kubeconfigs) and node controls have
 * nothing to judge there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FrameworkView, Report } from '../src/core/report.js';
import { readReportJson } from '../src/core/report-json.js';
import { reportSchemaValidator, sarifErrors } from '../src/reporters/validate.testutil.js';
import { runCli } from './support/cli.js';

const ARGS = ['scan', 'examples/insecure', '--framework', 'all', '--fail-on', 'none'];
const out: Record<string, string> = {};
let json: Report;
let na: Set<string>;

beforeAll(async () => {
  const formats = ['json', 'sarif', 'junit', 'markdown', 'table', 'html', 'policyreport'];
  const runs = await Promise.all(formats.map((f) => runCli([...ARGS, '-f', f])));
  runs.forEach((r, i) => {
    expect(r.code, r.stderr).toBe(0);
    out[formats[i] ?? ''] = r.stdout;
  });
  json = JSON.parse(out.json ?? '') as Report;
  na = new Set((json.results ?? []).filter((r) => r.outcome === 'not-applicable').map((r) => r.id));
}, 120_000);

describe('not applicable', () => {
  it('JSON: checks that judged nothing are not-applicable with 0 objects; those that judged something are not', () => {
    expect(reportSchemaValidator()(json)).toBe(true);
    expect(json.schemaVersion).toBe(3);
    for (const id of ['cert-expiring', 'cert-system-masters', 'tls-old-protocol', 'kubelet-anonymous-auth']) expect(na.has(id), id).toBe(true);
    // Engine-wide checks count what they judged: the NetworkPolicy and namespace checks had pods and namespaces.
    for (const id of ['netpol-ingress-unisolated', 'namespace-no-resource-quota']) expect(na.has(id), id).toBe(false);
    for (const r of json.results ?? []) {
      if (r.outcome === 'not-applicable') expect(r.objects, r.id).toBe(0);
      if (r.outcome === 'pass') expect(r.objects, r.id).toBeGreaterThan(0);
    }
  });

  it('framework views: a control whose checks all judged nothing is NOT_APPLICABLE, and no PASS rests on them', () => {
    const outcome = new Map((json.results ?? []).map((r) => [r.id, r.outcome]));
    let seen = 0;
    for (const v of json.frameworks ?? []) {
      for (const c of v.controls) {
        const ran = c.checks.filter((id) => outcome.has(id));
        if (c.verdict === 'NOT_APPLICABLE') {
          seen++;
          expect(ran.length, c.id).toBeGreaterThan(0);
          for (const id of ran) expect(outcome.get(id), `${v.framework} ${c.id} ${id}`).toBe('not-applicable');
        }
        if (c.verdict === 'PASS') expect(ran.some((id) => outcome.get(id) === 'pass' || outcome.get(id) === 'fail'), `${v.framework} ${c.id}`).toBe(true);
      }
      expect(v.summary.notApplicable).toBe(v.controls.filter((c) => c.verdict === 'NOT_APPLICABLE').length);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('SARIF: each rule carries its outcome; still valid SARIF 2.1.0', () => {
    const text = out.sarif ?? '';
    expect(sarifErrors(text)).toEqual([]);
    const rules = (JSON.parse(text) as { runs: [{ tool: { driver: { rules: { id: string; properties: { outcome?: string } }[] } } }] }).runs[0].tool.driver.rules;
    for (const r of rules) expect(r.properties.outcome, r.id).toBe((json.results ?? []).find((x) => x.id === r.id)?.outcome);
  });

  it('JUnit: a not-applicable check is a skipped testcase, not a passing one; NOT_APPLICABLE controls are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-na-junit-'));
    writeFileSync(join(dir, 'r.xml'), out.junit ?? '');
    const script = [
      'import sys, json, xml.etree.ElementTree as E',
      'r = E.parse(sys.argv[1]).getroot()',
      'out = {}',
      'for s in r.findall("testsuite"):',
      '  out[s.get("name")] = [(c.get("name"), (c.find("skipped").get("message") if c.find("skipped") is not None else None)) for c in s.findall("testcase")]',
      'print(json.dumps(out))',
    ].join('\n');
    const suites = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'r.xml')], { encoding: 'utf8' })) as Record<string, [string, string | null][]>;
    for (const id of na) expect(suites[id], id).toEqual([['not applicable', 'not applicable: nothing this check judges was in the input']]);
    for (const r of json.results ?? []) if (r.outcome === 'pass') expect(suites[r.id]?.[0]?.[1] ?? null, r.id).toBeNull();
    const cis = (json.frameworks ?? []).find((v) => v.framework === 'cis') as FrameworkView;
    for (const c of cis.controls.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const tc = suites['framework:cis']?.find(([name]) => name.startsWith(`${c.id} `));
      expect(tc?.[1], c.id).toMatch(/^NOT_APPLICABLE: nothing its checks judge was in the input/);
    }
  });

  it('table, Markdown, HTML and policy reports say how many were not applicable', () => {
    expect(out.table).toContain(`checks run (${na.size} not applicable) on`);
    expect(out.markdown).toContain(`checks (${na.size} not applicable) on`);
    for (const v of json.frameworks ?? []) {
      expect(out.table).toContain(`${v.summary.notEvaluated} not evaluated, ${v.summary.notApplicable} not applicable`);
      expect(out.markdown).toContain(`| ${v.summary.notEvaluated} | ${v.summary.notApplicable} |`);
    }
    // The HTML checks table gives each check its outcome; framework tables badge the verdict.
    expect(out.html).toMatch(/<tr id="[^"]*cert-expiring[^"]*"><td class="mono">cert-expiring<\/td><td><span class="sev [a-z]+">[a-z]+<\/span><\/td><td>not-applicable<\/td>/);
    expect(out.html).toContain('<span class="v NOT_APPLICABLE">NOT APPLICABLE</span>');
    const cis = (json.frameworks ?? []).find((v) => v.framework === 'cis');
    expect(out.policyreport).toContain(`${cis?.summary.notEvaluated ?? -1} not evaluated, ${cis?.summary.notApplicable ?? -1} not applicable)`);
  });

  it('a version 1 report is still read as a baseline (its findings are unchanged); an unknown version is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-na-baseline-'));
    // Version 1 (and 2) findings are whole: title, remediation and references in every finding.
    const read = readReportJson(json);
    if (!read.ok) throw new Error(read.error);
    expect(read.report.findings.every((f) => typeof f.title === 'string' && typeof f.remediation === 'string')).toBe(true);
    writeFileSync(join(dir, 'v1.json'), JSON.stringify({ ...json, schemaVersion: 1, findings: read.report.findings }));
    writeFileSync(join(dir, 'v9.json'), JSON.stringify({ ...json, schemaVersion: 9 }));
    const made = await runCli(['baseline', '--from', join(dir, 'v1.json'), '--output', join(dir, 'baseline.json')]);
    expect(made.code, made.stderr).toBe(0);
    const ok = await runCli(['scan', 'examples/insecure', '--baseline', join(dir, 'baseline.json'), '-f', 'json', '--fail-on', 'none']);
    expect(ok.code, ok.stderr).toBe(0);
    const r = JSON.parse(ok.stdout) as Report;
    expect(r.findings).toEqual([]);
    expect(r.suppressed.filter((s) => s.by === 'baseline')).toHaveLength(json.findings.length);
    const bad = await runCli(['baseline', '--from', join(dir, 'v9.json'), '--output', join(dir, 'b9.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a kspect JSON report: schemaVersion 9 (kspect reads 1, 2 or 3)');
  });
});
