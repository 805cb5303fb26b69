/**
 * `kspect report`, the combined run: one Report whose findings, not-evaluated items and problems are exactly those of
 * the domain commands run one by one on the same inputs, with the certificate list and the node benchmark beside
 * them; `-f html` renders all of it in one page. Also: `kspect frameworks`, `--framework` and `--history`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/finding.js';
import type { Report } from '../src/core/report.js';
import { runCli } from './support/cli.js';
import { namespacePairCounts } from './support/netpol-matrix.js';

const POLICY = 'examples/node/etc/kubernetes/audit/policy.yaml';
const ids = (r: Report): string[] => r.findings.map((f: Finding) => `${f.checkId}|${f.fingerprint}`).sort();

describe('kspect report', () => {
  it('is the domain commands merged: same findings, not-evaluated items and problems', async () => {
    const [all, scan, node, pki, audit] = await Promise.all([
      runCli(['report', 'examples/insecure', '--node-root', 'examples/node', '--pki', 'examples/pki/etc-kubernetes', '--audit-policy', POLICY, '-f', 'json', '--fail-on', 'none']),
      runCli(['scan', 'examples/insecure', '-f', 'json', '--fail-on', 'none']),
      runCli(['node', '--root', 'examples/node', '-f', 'json', '--fail-on', 'none']),
      runCli(['pki', 'check', 'examples/pki/etc-kubernetes', '-f', 'json', '--fail-on', 'none']),
      runCli(['audit', 'policy-check', POLICY, '-f', 'json', '--fail-on', 'none']),
    ]);
    for (const r of [all, scan, node, pki, audit]) expect(r.code, r.stderr).toBe(0);
    const parts = [scan, node, pki, audit].map((r) => JSON.parse(r.stdout) as Report);
    const merged = JSON.parse(all.stdout) as Report;
    expect(ids(merged)).toEqual(parts.flatMap(ids).sort());
    expect(merged.summary.findings).toBe(parts.reduce((n, p) => n + p.summary.findings, 0));
    expect(merged.notEvaluated).toHaveLength(parts.reduce((n, p) => n + p.notEvaluated.length, 0));
    expect(merged.problems).toHaveLength(parts.reduce((n, p) => n + p.problems.length, 0));
    expect(merged.pki?.certificates.length).toBe(parts[2]?.pki?.certificates.length);
    expect(merged.controls?.results.length).toBe(parts[1]?.controls?.results.length);
    expect(merged.inputs).toEqual(parts.flatMap((p) => p.inputs));
  });

  it('-f html shows every domain in one page', async () => {
    const r = await runCli(['report', 'examples/insecure', '--node-root', 'examples/node', '--pki', 'examples/pki/etc-kubernetes', '-f', 'html', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['summary', 'frameworks', 'rbac', 'network', 'pki', 'node', 'findings', 'checks']) expect(r.stdout).toContain(`<section id="${id}"`);
    expect(r.stdout).toContain('id="svg-pki"');
    expect(r.stdout).toContain('id="svg-rbac"');
    expect(r.stdout).toContain('id="svg-heat"');
  });

  it('needs an input, and refuses --checks', async () => {
    const none = await runCli(['report']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('report needs at least one input');
    const checks = await runCli(['report', 'examples/insecure', '--checks', 'pod-privileged']);
    expect(checks.code).toBe(2);
    expect(checks.stderr).toContain('--checks is not taken by report');
  });
});

describe('--framework and kspect frameworks', () => {
  it('adds per-control verdicts and scores to the JSON; unknown frameworks are a usage error', async () => {
    const r = await runCli(['scan', 'examples/insecure', '--framework', 'cis,pss', '-f', 'json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.frameworks?.map((f) => f.framework)).toEqual(['cis', 'pss']);
    const cis = report.frameworks?.[0];
    expect(cis?.controls.find((c) => c.id === '5.2.2')?.verdict).toBe('FAIL');
    // A FAIL always carries evidence; the score is PASS / (PASS + FAIL).
    for (const c of cis?.controls ?? []) if (c.verdict === 'FAIL') expect(c.findings).toBeGreaterThan(0);
    const s = cis?.summary;
    expect(s?.score).toBe(Math.round(((s?.pass ?? 0) / ((s?.pass ?? 0) + (s?.fail ?? 0))) * 1000) / 10);
    const bad = await runCli(['scan', 'examples/insecure', '--framework', 'soc2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--framework must be cis, nsa, mitre, pss or all');
  });

  it('kspect frameworks lists the frameworks and one framework\'s controls', async () => {
    const list = await runCli(['frameworks', '-f', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { framework: string }[]).map((f) => f.framework)).toEqual(['cis', 'nsa', 'mitre', 'pss']);
    const cis = await runCli(['frameworks', 'cis']);
    expect(cis.stdout).toContain('5.3.2');
    expect(cis.stdout).toContain('netpol-namespace-no-default-deny');
    expect((await runCli(['frameworks', 'iso'])).code).toBe(2);
  });

  it('--history draws earlier JSON reports; a file that is not one is a problem naming it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kspect-history-'));
    const old = await runCli(['scan', 'examples/hardened', '-f', 'json', '--fail-on', 'none']);
    writeFileSync(join(d, 'old.json'), old.stdout);
    writeFileSync(join(d, 'bad.json'), '{"tool":{"name":"other"}}');
    const r = await runCli(['scan', 'examples/insecure', '-f', 'html', '--fail-on', 'none', '--history', join(d, 'old.json'), '--history', join(d, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json: --history: not a kspect JSON report');
    expect(r.stdout).toContain('<section id="history"');
    expect(r.stdout).toContain('History (2 runs)');
    const ok = await runCli(['scan', 'examples/insecure', '-f', 'html', '--fail-on', 'none', '--history', join(d, 'old.json')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('id="svg-history"');
  });
});

describe('the pictures without a browser: kspect report carries them in JSON and lists them in the table', () => {
  it('JSON rbacPaths are the paths `rbac paths` finds; network counts what `netpol matrix` decides pair by pair; the table lists both', async () => {
    const [rep, table, paths, m] = await Promise.all([
      runCli(['report', 'examples/insecure', '-f', 'json', '--fail-on', 'none']),
      runCli(['report', 'examples/insecure', '--fail-on', 'none'], { env: { COLUMNS: '400' } }),
      runCli(['rbac', 'paths', 'examples/insecure', '-f', 'json', '--fail-on', 'none']),
      runCli(['netpol', 'matrix', '-i', 'examples/insecure', '-f', 'json']),
    ]);
    for (const r of [rep, table, paths, m]) expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(rep.stdout) as Report;
    const rbac = report.rbacPaths;
    if (!rbac) throw new Error('no rbacPaths section');
    // Each listed path, spelt as the escalation-path finding spells it, is one finding of `rbac paths`.
    const found = (JSON.parse(paths.stdout) as Report).findings.map((f) => f.message);
    expect(rbac.paths.length).toBe(found.length);
    const spelt = rbac.paths.map((p) => p.steps.map((s, i) => `(${i + 1}) ${s.description} ⇒ ${rbac.nodes[s.to] ?? s.to}`).join('; '));
    for (const text of spelt) expect(found.some((msg) => msg.endsWith(text)), text).toBe(true);
    for (const text of spelt) expect(table.stdout).toContain(text);
    expect(table.stdout).toContain(`Escalation paths to cluster-admin: ${rbac.paths.length}`);

    const nw = report.network;
    if (!nw) throw new Error('no network section');
    const expected = namespacePairCounts(m.stdout);
    const got = new Map<string, { pairs: number; allowed: number }>();
    nw.namespaces.forEach((from, i) => {
      nw.namespaces.forEach((to, j) => {
        const pairs = nw.pairs[i]?.[j] ?? 0;
        if (pairs > 0) got.set(`${from} → ${to}`, { pairs, allowed: nw.allowed[i]?.[j] ?? 0 });
      });
    });
    expect(got).toEqual(expected);
    expect(got.size).toBeGreaterThan(0);
    // The table: one row per ordered namespace pair with pods, ALLOWED then PAIRS.
    const rows = table.stdout.split('\n').filter((l) => /^ {2}\S+ +\S+ +\d+ +\d+$/.test(l)).map((l) => l.trim().split(/ +/));
    expect(new Map(rows.map((r) => [`${r[0] ?? ''} → ${r[1] ?? ''}`, { pairs: Number(r[3]), allowed: Number(r[2]) }]))).toEqual(expected);
  });
});
