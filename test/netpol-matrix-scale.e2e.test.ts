/**
 * `netpol matrix` at any size: above 1,000 rows table and json summarise by namespace and equivalence class, csv and
 * dot say how to get the pairs, and `--full -f csv` streams every pair — the same bytes as the pair-by-pair CSV.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const SHOP = 'test/fixtures/netpol/shop.yaml';

/** 12 namespaces × 100 pods (apps a and b); ns-0 denies all ingress, ns-1 lets only app a in from anywhere. */
function bigCluster(): string {
  const docs: string[] = [];
  for (let n = 0; n < 12; n++) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${n}}`);
    for (let p = 0; p < 100; p++) docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p-${p}, namespace: ns-${n}, labels: {app: ${p % 2 === 0 ? 'a' : 'b'}}}\nspec:\n  containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 8080}]}]`);
  }
  docs.push('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ns-0}\nspec: {podSelector: {}, policyTypes: [Ingress]}');
  docs.push('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-a, namespace: ns-1}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]}]');
  return `${docs.join('\n---\n')}\n`;
}

interface Summary {
  kind: string;
  summary: { endpoints: number; namespaces: number; pairs: { total: number; allowed: number } };
  namespaces: { namespace: string; pods: number; reachedFromNamespaces: number }[];
  classes: { namespaces: string[]; pods: number; isolated: { ingress: boolean }; reaches: { pods: number }; reachedBy: { pods: number } }[];
}

describe('netpol matrix above the pair-by-pair limit', () => {
  let file = '';
  beforeAll(() => {
    file = join(mkdtempSync(join(tmpdir(), 'kspect-matrix-')), 'big.yaml');
    writeFileSync(file, bigCluster());
  });

  it('json: totals, namespaces and classes that agree with the policies', async () => {
    const r = await runCli(['netpol', 'matrix', file, '-f', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.kind).toBe('summary');
    expect(s.summary.endpoints).toBe(1200);
    expect(s.summary.pairs.total).toBe(1200 * 1199);
    expect(s.classes.reduce((n, c) => n + c.pods, 0)).toBe(1200);
    expect(s.namespaces.map((n) => n.pods)).toEqual(Array.from({ length: 12 }, () => 100));
    // ns-0: nobody gets in. ns-1: only the 600 pods labelled a (less the pod itself when it is one).
    for (const c of s.classes.filter((x) => x.namespaces.includes('ns-0'))) expect([c.isolated.ingress, c.reachedBy.pods]).toEqual([true, 0]);
    expect(s.namespaces.find((n) => n.namespace === 'ns-0')?.reachedFromNamespaces).toBe(0);
    expect(s.namespaces.find((n) => n.namespace === 'ns-5')?.reachedFromNamespaces).toBe(12);
    for (const c of s.classes) if (c.namespaces.includes('ns-0')) expect(c.namespaces).toEqual(['ns-0']);
    const ns1 = s.classes.filter((x) => x.namespaces.includes('ns-1'));
    expect(ns1.length).toBeGreaterThan(0);
    for (const c of ns1) expect(c.reachedBy.pods === 600 || c.reachedBy.pods === 599).toBe(true);
    // Everyone reaches the 1000 open pods of ns-2..ns-11, and ns-1 when labelled a.
    for (const c of s.classes) expect(c.reaches.pods).toBeGreaterThanOrEqual(999);
    // Allowed pairs: into ns-2..11 (1000 pods, 1199 sources each) + into ns-1 (100 pods, 600 a-sources less themselves).
    expect(s.summary.pairs.allowed).toBe(1000 * 1199 + 100 * 600 - 50);
  });

  it('table: one line per namespace and per class', async () => {
    const r = await runCli(['netpol', 'matrix', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1200 pods and workloads in 12 namespaces, 2 policies: more than 1000 rows, so summarised/);
    expect(r.stdout).toMatch(/\nns-11 +100 +\d+ +\d+ +\d+\n/);
  });

  it('csv and dot say how to get the pairs; --full needs csv', async () => {
    const csv = await runCli(['netpol', 'matrix', file, '-f', 'csv']);
    expect(csv.stderr).toBe('kspect: the matrix has 1200 rows (more than 1000): -f table or json summarise it by namespace and equivalence class; --full -f csv writes every pair\n');
    expect(csv.code).toBe(2);
    const full = await runCli(['netpol', 'matrix', file, '--full']);
    expect(full.stderr).toBe('kspect: --full writes the pair-by-pair matrix as CSV: add -f csv\n');
  });

  it('--full -f csv streams every pair: the same bytes as the pair-by-pair CSV', async () => {
    for (const extra of [[], ['--external'], ['-n', 'shop']]) {
      const a = await runCli(['netpol', 'matrix', SHOP, '-f', 'csv', ...extra]);
      const b = await runCli(['netpol', 'matrix', SHOP, '-f', 'csv', '--full', ...extra]);
      expect(a.code).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
    const ns = await runCli(['netpol', 'matrix', file, '-f', 'csv', '-n', 'ns-1']);
    const nsFull = await runCli(['netpol', 'matrix', file, '-f', 'csv', '-n', 'ns-1', '--full']);
    expect(ns.stdout.split('\n').length).toBe(100 * 100 + 2);
    expect(nsFull.stdout).toBe(ns.stdout);
  });
});
