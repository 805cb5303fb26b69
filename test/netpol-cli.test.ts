/** `kspect netpol`: the built CLI, spawned. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const SHOP = 'test/fixtures/netpol/shop.yaml';
const BROKEN = 'test/fixtures/netpol/broken.yaml';
const SECRET = 'KSPECT-PLANTED-SECRET-7f3a9c';

describe('kspect netpol', () => {
  it('prints help', async () => {
    const r = await runCli(['netpol', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('can-reach SRC DST');
  });

  it('matrix as a table', async () => {
    const r = await runCli(['netpol', 'matrix', SHOP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[2\] shop\/api \(Deployment\)\s+-\s+all\s+-\s+-\n/);
    expect(r.stdout).toMatch(/\[3\] shop\/web \(Deployment\)\s+-\s+TCP:9000\s+-\s+-\n/);
    expect(r.stdout).toMatch(/\[1\] monitoring\/prometheus \(Deployment\)\s+all\s+TCP:9100\s+\?\s+-\n/);
    expect(r.stderr).toContain('note: ipBlock peers are not matched against pod IPs');
  });

  it('matrix as json, csv and dot', async () => {
    const json = await runCli(['netpol', 'matrix', SHOP, '--format', 'json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { nodes: { id: string }[]; cells: { source: number; destination: number; verdict: string; allowed: string }[] };
    const id = (n: string): number => doc.nodes.findIndex((x) => x.id === n);
    const cell = doc.cells.find((c) => c.source === id('shop/Deployment/web') && c.destination === id('shop/Deployment/api'));
    expect(cell).toMatchObject({ verdict: 'allowed', allowed: 'TCP:9000' });
    expect(doc.cells).toHaveLength(doc.nodes.length ** 2);
    const csv = await runCli(['netpol', 'matrix', SHOP, '--format', 'csv', '-n', 'shop']);
    expect(csv.stdout.split('\n')[0]).toBe('source,destination,verdict,allowed,unknown');
    expect(csv.stdout).toContain('shop/Deployment/web,shop/Deployment/api,allowed,TCP:9000,none');
    expect(csv.stdout).not.toContain('monitoring/');
    const dot = await runCli(['netpol', 'matrix', SHOP, '--format', 'dot', '--external']);
    expect(dot.stdout.startsWith('digraph netpol {')).toBe(true);
    expect(dot.stdout).toContain('"shop/Deployment/web" -> "shop/Deployment/api" [label="TCP:9000"]');
    expect(dot.stdout).toContain('"0.0.0.0/0 except 10.0.0.0/8" -> "shop/Deployment/web" [label="TCP:8080"]');
  });

  it('can-reach exits 0 when allowed and 1 when denied, with the deciding rules', async () => {
    const yes = await runCli(['netpol', 'can-reach', 'shop/web', 'shop/api', '--port', '9000', '-i', SHOP]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('ALLOWED: shop/web -> shop/api on TCP/9000');
    expect(yes.stdout).toContain('shop/api-from-web spec.ingress[0]: pods app=web in namespace shop; TCP/http → TCP:9000');
    const no = await runCli(['netpol', 'can-reach', 'shop/web', 'shop/api', '--port', '9100', '-i', SHOP]);
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('DENIED');
    const named = await runCli(['netpol', 'can-reach', 'monitoring/prometheus', 'shop/deployment/api', '--port', 'metrics/tcp', '-i', SHOP, '--format', 'json']);
    expect(named.code).toBe(0);
    const d = JSON.parse(named.stdout) as { verdict: string; port: number; ingress: { rules: { policy: string; path: string }[] } };
    expect(d).toMatchObject({ verdict: 'allowed', port: 9100 });
    expect(d.ingress.rules).toEqual([expect.objectContaining({ policy: 'shop/api-from-web', path: 'spec.ingress[1]' })]);
    const ext = await runCli(['netpol', 'can-reach', '203.0.113.9', 'shop/web', '--port', '8080', '-i', SHOP]);
    expect(ext.code).toBe(0);
    const unknown = await runCli(['netpol', 'can-reach', 'monitoring/prometheus', 'shop/web', '--port', '8080', '-i', SHOP]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('UNKNOWN');
  });

  it('explain shows the selecting policies and effective ingress and egress', async () => {
    const r = await runCli(['netpol', 'explain', 'shop/api', '-i', SHOP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ingress: isolated by 2 policies');
    expect(r.stdout).toContain('shop/web (Deployment): TCP:9000');
    const j = await runCli(['netpol', 'explain', 'shop/api', '-i', SHOP, '--format', 'json']);
    const v = JSON.parse(j.stdout) as { egress: { isolated: boolean; peers: unknown[] } };
    expect(v.egress).toMatchObject({ isolated: true, peers: [] });
  });

  it('reads stdin with -f -', async () => {
    const r = await runCli(['netpol', 'can-reach', 'shop/web', 'shop/api', '--port', '9000', '-i', '-'], { stdin: readFileSync(SHOP) });
    expect(r.code).toBe(0);
  });

  it('bad input: one line per problem naming the file, the rest still processed, exit 2', async () => {
    const r = await runCli(['netpol', 'matrix', SHOP, BROKEN]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('shop/ok (Pod)');
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => /^kspect: test\/fixtures\/netpol\/broken\.yaml:\d+:\d+: /.test(l))).toBe(true);
    expect(lines.some((l) => /^kspect: warning: test\/fixtures\/netpol\/broken\.yaml:\d+:\d+: NetworkPolicy shop\/bad-except is invalid and left out: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.except\[0\]: 10\.1\.0\.0\/24 must be a strict subset of cidr 10\.0\.0\.0\/16$/.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['netpol', 'can-reach', 'shop/nope', 'shop/api', '-i', SHOP], 'SRC shop/nope: no Pod or workload of that name in the input'],
    [['netpol', 'can-reach', 'shop/web', '-i', SHOP], 'netpol can-reach needs SRC and DST'],
    [['netpol', 'matrix'], 'netpol needs input: PATH... for check and matrix, -i PATH for can-reach and explain'],
    [['netpol', 'explain', 'shop/api', '-f', SHOP], '-f is the format now'],
    [['netpol', 'matrix', SHOP, '-o', 'json'], '-o is the output file now; for the json format use -f json'],
    [['netpol', 'check'], 'netpol check needs input'],
    [['netpol', 'matrix', SHOP, '--format', 'xml'], '--format must be one of table, json, csv, dot'],
    [['netpol', 'can-reach', 'shop/web', 'shop/api', '--port', 'grpc', '-i', SHOP], 'declares no TCP port named "grpc"'],
    [['netpol', 'frobnicate'], 'unknown netpol command "frobnicate"'],
  ])('usage errors exit 2 with one line: %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('summarises a matrix too large to print (csv needs --full), and -n narrows it', async () => {
    const pods = Array.from({ length: 1001 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${i === 0 ? 'small' : 'big'}}\nspec: {containers: [{name: c, image: x}]}\n`).join('---\n');
    const big = await runCli(['netpol', 'matrix', '-'], { stdin: pods });
    expect(big.code).toBe(0);
    expect(big.stdout).toMatch(/^1001 pods and workloads in 2 namespaces, 0 policies: more than 1000 rows, so summarised by namespace and by equivalence class/);
    const csv = await runCli(['netpol', 'matrix', '-', '-f', 'csv'], { stdin: pods });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('the matrix has 1001 rows (more than 1000)');
    const small = await runCli(['netpol', 'matrix', '-', '-n', 'small', '--format', 'csv'], { stdin: pods });
    expect(small.code).toBe(0);
    expect(small.stdout).toBe('source,destination,verdict,allowed,unknown\nsmall/Pod/p0,small/Pod/p0,allowed,all,none\n');
  });

  it('check: the netpol checks as one Report, in every report format, gated like scan', async () => {
    const r = await runCli(['netpol', 'check', SHOP, '-f', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string }[]; results: { id: string }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.checkId.startsWith('netpol-'))).toBe(true);
    expect(report.results.every((x) => x.id.startsWith('netpol-'))).toBe(true);
    for (const format of FORMATS) expect((await runCli(['netpol', 'check', SHOP, '-f', format, '--fail-on', 'none'])).code, format).toBe(0);
    const gate = await runCli(['netpol', 'check', SHOP, '--fail-on', 'info']);
    expect(gate.code).toBe(1);
  });

  it('never prints a secret value, in any format of any command', async () => {
    const runs = [
      ...FORMATS.map((f) => ['netpol', 'check', SHOP, '--fail-on', 'none', '--format', f]),
      ...['table', 'json', 'csv', 'dot'].map((f) => ['netpol', 'matrix', SHOP, '--external', '--format', f]),
      ...['table', 'json'].flatMap((f) => [
        ['netpol', 'explain', 'shop/debug', '-i', SHOP, '--format', f],
        ['netpol', 'can-reach', 'shop/debug', 'shop/api', '-i', SHOP, '--format', f],
      ]),
    ];
    for (const args of runs) {
      const r = await runCli(args);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(SECRET);
      expect(r.stdout.length, `${args.join(' ')} (exit ${String(r.code)}): ${r.stderr}`).toBeGreaterThan(0);
    }
  });
});
