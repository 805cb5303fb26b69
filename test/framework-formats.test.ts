/**
 * `--framework` travels in every report format, with the same verdicts as the JSON report of the same run: SARIF
 * (rule properties name the controls each check maps to; run properties hold the views; still valid SARIF 2.1.0),
 * JUnit (a suite per framework, a testcase per control; check suites name their controls), policy reports (result
 * properties carry the mapped control ids; each report object the score as an annotation), markdown and the table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FrameworkView, Report } from '../src/core/report.js';
import { sarifErrors } from '../src/reporters/validate.testutil.js';
import { runCli } from './support/cli.js';

const ARGS = ['scan', 'examples/insecure', '--framework', 'cis,mitre', '--fail-on', 'none'];
const mappings = (JSON.parse(readFileSync(new URL('../data/frameworks/mappings.json', import.meta.url), 'utf8')) as { checks: Record<string, Record<string, string[]>> }).checks;
const cisTitles = new Map((JSON.parse(readFileSync(new URL('../data/frameworks/cis-1.12.json', import.meta.url), 'utf8')) as { controls: { id: string; title: string }[] }).controls.map((c) => [c.id, c.title]));

let json: Report;
let views: readonly FrameworkView[];
const out: Record<string, string> = {};

beforeAll(async () => {
  const formats = ['json', 'sarif', 'junit', 'policyreport', 'markdown', 'table'];
  const runs = await Promise.all(formats.map((f) => runCli([...ARGS, '-f', f])));
  runs.forEach((r, i) => {
    expect(r.code, r.stderr).toBe(0);
    out[formats[i] ?? ''] = r.stdout;
  });
  json = JSON.parse(out.json ?? '') as Report;
  views = json.frameworks ?? [];
  expect(views.map((v) => v.framework)).toEqual(['cis', 'mitre']);
}, 120_000);

const verdicts = (v: FrameworkView): Record<string, string> => Object.fromEntries(v.controls.map((c) => [c.id, c.verdict]));

describe('--framework in every format', () => {
  it('SARIF: valid 2.1.0; rules name their controls; the run holds the views with the JSON verdicts', () => {
    const text = out.sarif ?? '';
    expect(sarifErrors(text)).toEqual([]);
    const log = JSON.parse(text) as { runs: [{ tool: { driver: { rules: { id: string; properties: { tags: string[]; frameworks?: Record<string, { id: string; title: string }[]> } }[] } }; properties: { frameworks?: (FrameworkView & { controls: { id: string; verdict: string }[] })[] } }] };
    const run = log.runs[0];
    expect(run.tool.driver.rules.length).toBe(json.checks.length);
    for (const rule of run.tool.driver.rules) {
      const m = mappings[rule.id];
      expect(m, rule.id).toBeDefined();
      for (const fw of ['cis', 'nsa', 'mitre', 'pss']) expect((rule.properties.frameworks?.[fw] ?? []).map((c) => c.id), `${rule.id} ${fw}`).toEqual(m?.[fw] ?? []);
      for (const c of rule.properties.frameworks?.cis ?? []) {
        expect(c.title).toBe(cisTitles.get(c.id));
        expect(rule.properties.tags).toContain(`cis/${c.id}`);
      }
    }
    const priv = run.tool.driver.rules.find((r) => r.id === 'pod-privileged');
    expect(priv?.properties.frameworks?.cis?.[0]?.id).toBe('5.2.2');
    const runViews = run.properties.frameworks ?? [];
    expect(runViews.map((v) => v.framework)).toEqual(['cis', 'mitre']);
    runViews.forEach((v, i) => {
      const want = views[i];
      if (!want) throw new Error('missing view');
      expect(v.summary).toEqual(want.summary);
      expect(Object.fromEntries(v.controls.map((c) => [c.id, c.verdict]))).toEqual(verdicts(want));
    });
  });

  it('JUnit: a suite per framework with a testcase per control, verdicts as the JSON; check suites name their controls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-fw-junit-'));
    writeFileSync(join(dir, 'r.xml'), out.junit ?? '');
    const script = [
      'import sys, json, xml.etree.ElementTree as E',
      'r = E.parse(sys.argv[1]).getroot()',
      'out = {"suites": {}, "props": {}}',
      'for s in r.findall("testsuite"):',
      '  out["props"][s.get("name")] = {p.get("name"): p.get("value") for p in s.findall("properties/property")}',
      '  if s.get("name").startswith("framework:"):',
      '    cases = {}',
      '    for c in s.findall("testcase"):',
      '      cases[c.get("name").split(" ")[0]] = "FAIL" if c.find("failure") is not None else (c.find("skipped").get("message").split(":")[0] if c.find("skipped") is not None else "PASS")',
      '    out["suites"][s.get("name")] = {"cases": cases, "tests": int(s.get("tests")), "failures": int(s.get("failures")), "skipped": int(s.get("skipped"))}',
      'print(json.dumps(out))',
    ].join('\n');
    const parsed = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'r.xml')], { encoding: 'utf8' })) as { suites: Record<string, { cases: Record<string, string>; tests: number; failures: number; skipped: number }>; props: Record<string, Record<string, string>> };
    for (const v of views) {
      const suite = parsed.suites[`framework:${v.framework}`];
      expect(suite?.cases).toEqual(verdicts(v));
      expect(suite?.tests).toBe(v.controls.length);
      expect(suite?.failures).toBe(v.summary.fail);
      expect(suite?.skipped).toBe(v.controls.length - v.summary.pass - v.summary.fail);
      expect(parsed.props[`framework:${v.framework}`]?.score).toBe(v.summary.score === null ? 'none' : `${v.summary.score}%`);
    }
    expect(parsed.props['pod-privileged']?.['cis:5.2.2']).toBe(cisTitles.get('5.2.2'));
    expect(parsed.props['pod-privileged']?.['mitre:T1611']).toBeDefined();
  });

  it('policy reports: results carry the mapped control ids; each object the framework scores', () => {
    const list = JSON.parse(out.policyreport ?? '') as { items: { kind: string; metadata: { namespace?: string; annotations?: Record<string, string> }; results: { policy: string; properties?: Record<string, string> }[] }[] };
    let seen = 0;
    for (const item of list.items) {
      for (const r of item.results) {
        const m = mappings[r.policy];
        if (!m) continue;
        for (const id of [...(m.cis ?? []), ...(m.mitre ?? [])]) expect(`${r.properties?.cis ?? ''},${r.properties?.mitre ?? ''}`.split(','), r.policy).toContain(id);
        expect((r.properties?.nsa ?? '').split(',').filter((x) => x !== '')).toEqual(m.nsa ?? []);
        seen++;
      }
      const cis = views[0];
      if (!cis) throw new Error('no cis view');
      const score = item.metadata.namespace === undefined ? cis.summary : cis.namespaces.find((n) => n.namespace === item.metadata.namespace);
      expect(score, item.metadata.namespace).toBeDefined();
      if (!score) continue;
      expect(item.metadata.annotations?.['kspect.dev/framework-cis']).toBe(`${score.score === null ? 'no score' : `${score.score}%`} (${score.pass} pass, ${score.fail} fail, ${score.manual} manual, ${score.notEvaluated} not evaluated, ${score.notApplicable} not applicable)`);
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('markdown and table: a score line per framework equal to the JSON', () => {
    for (const v of views) {
      const s = v.summary;
      expect(out.markdown).toContain(`| ${v.name} ${v.version} | ${s.score === null ? '–' : `${s.score}%`} | ${s.pass} | ${s.fail} | ${s.manual} | ${s.notEvaluated} |`);
      expect(out.table).toContain(`${v.name} ${v.version}: ${s.score === null ? 'no score' : `${s.score}%`} — ${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.notEvaluated} not evaluated`);
    }
  });
});
