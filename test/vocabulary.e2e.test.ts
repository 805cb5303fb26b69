/**
 * One vocabulary, through the built CLI: every judging command documents and accepts the shared report options
 * with one meaning — every report format renders, `-o FILE` writes exactly what stdout would show, `--fail-on none`
 * reports only, `--severity` filters the display and never the gate, `--group-by` and `--k8s-version` (`1.34`,
 * `v1.34`, `1.34.2`) are accepted — and the old spellings that now mean something else fail with one line that
 * names the new one. Judging commands: scan, pss check, rbac risks/paths, netpol check, pki check, node, audit
 * policy-check and images verify. (etcd check and probe need live targets: test/one-report.e2e.test.ts and
 * test/probe-cli.test.ts drive them through the same options.)
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../src/reporters/index.js';
import { runCli, type CliResult } from './support/cli.js';

const WORKLOAD = `apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: shop}
spec:
  hostPID: true
  containers:
    - {name: app, image: nginx, securityContext: {privileged: true}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dev-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dev}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: dev}
---
apiVersion: v1
kind: Secret
metadata: {name: builder-token, namespace: dev, annotations: {kubernetes.io/service-account.name: builder}}
type: kubernetes.io/service-account-token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-reader, namespace: dev}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["builder-token"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dana-tokens, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dana}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: builder-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: builder, namespace: dev}]
`;

const NODE_ROOT = fileURLToPath(new URL('../examples/node', import.meta.url));

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** Whether --k8s-version is one of its options. */
  readonly k8sVersion: boolean;
}

const COMMANDS: readonly Command[] = [
  { name: 'scan', args: ['scan', 'in.yaml'], k8sVersion: true },
  { name: 'pss check', args: ['pss', 'check', 'in.yaml'], k8sVersion: true },
  { name: 'rbac risks', args: ['rbac', 'risks', 'in.yaml'], k8sVersion: true },
  { name: 'rbac paths', args: ['rbac', 'paths', 'in.yaml'], k8sVersion: true },
  { name: 'netpol check', args: ['netpol', 'check', 'in.yaml'], k8sVersion: true },
  { name: 'pki check', args: ['pki', 'check', 'pki'], k8sVersion: false },
  { name: 'node', args: ['node', '--root', NODE_ROOT], k8sVersion: true },
  { name: 'audit policy-check', args: ['audit', 'policy-check', 'policy.yaml'], k8sVersion: true },
  // Offline: the registry cannot be reached, so image-signature is not evaluated; image-latest-tag is found.
  { name: 'images verify', args: ['images', 'verify', 'in.yaml', '--key', 'cosign.pub'], k8sVersion: false },
];

/** An audit policy the audit-policy checks find something in. */
const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: ["system:kube-proxy"]
- level: Metadata
`;

const SHARED = ['-f, --format', '-o, --output', '--fail-on', '--fail-on-not-evaluated', '--config', '--baseline', '--show-suppressed', '--allow-invalid', '--checks', '--severity', '--group-by'];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-vocabulary-'));
  writeFileSync(join(dir, 'in.yaml'), WORKLOAD);
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'cosign.pub'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
  cpSync(new URL('../examples/pki/etc-kubernetes/pki', import.meta.url), join(dir, 'pki'), { recursive: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: dir });

/** Run a few at a time: the machine has 2 cores. */
async function all<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += 3) out.push(...(await Promise.all(jobs.slice(i, i + 3).map((j) => j()))));
  return out;
}

async function helpOf(head: readonly string[]): Promise<string> {
  const r = await run([...head, '--help']);
  expect(r.code, `${head.join(' ')} --help`).toBe(0);
  return r.stdout;
}

describe('every judging command speaks the one vocabulary', () => {
  for (const c of COMMANDS) {
    describe(c.name, () => {
      it('documents the shared report options in its help', async () => {
        const head = c.args.slice(0, c.name.includes(' ') ? 2 : 1);
        const help = await helpOf(head);
        for (const o of SHARED) expect(help, `${c.name} --help lists ${o}`).toContain(o);
        if (c.k8sVersion) expect(help).toMatch(/--k8s-version V .*1\.34, v1\.34,? (or )?1\.34\.2/);
      });

      it('every report format renders; -o FILE writes what stdout shows', async () => {
        const results = await all(FORMATS.map((f) => () => run([...c.args, '-f', f, '--fail-on', 'none'])));
        results.forEach((r, i) => {
          expect([r.code, r.stderr], `${c.name} -f ${FORMATS[i] ?? ''}`).toEqual([0, '']);
          expect(r.stdout.length, `${c.name} -f ${FORMATS[i] ?? ''}`).toBeGreaterThan(0);
        });
        const json = JSON.parse(results[FORMATS.indexOf('json')]?.stdout ?? '') as { schemaVersion: number; findings: { severity: string }[] };
        expect(json.schemaVersion).toBe(3);
        expect(json.findings.length, `${c.name} finds something here`).toBeGreaterThan(0);
        const out = join(dir, `${c.name.replace(' ', '-')}.json`);
        const w = await run([...c.args, '-f', 'json', '-o', out, '--fail-on', 'none']);
        expect([w.code, w.stdout, w.stderr]).toEqual([0, '', '']);
        // The same report, but for the time it was made.
        const timeless = (text: string): unknown => ({ ...(JSON.parse(text) as object), generatedAt: '' });
        expect(timeless(readFileSync(out, 'utf8'))).toEqual(timeless(results[FORMATS.indexOf('json')]?.stdout ?? ''));
      });

      it('--fail-on gates, none reports only; --severity filters the display, not the gate; --group-by, --k8s-version', async () => {
        const [none, info, shown, grouped, ...versions] = await all([
          () => run([...c.args, '--fail-on', 'none']),
          () => run([...c.args, '--fail-on', 'info']),
          () => run([...c.args, '--severity', 'critical', '-f', 'json', '--fail-on', 'info']),
          () => run([...c.args, '--group-by', 'check', '--fail-on', 'none']),
          ...(c.k8sVersion ? ['1.34', 'v1.34', '1.34.2'].map((v) => () => run([...c.args, '--k8s-version', v, '-f', 'json', '--fail-on', 'none'])) : []),
        ]);
        expect(none?.code).toBe(0);
        expect(info?.code).toBe(1);
        // The display filter leaves the gate alone: --fail-on info still fails on what --severity hides.
        expect(shown?.code).toBe(1);
        expect(grouped?.code).toBe(0);
        const reports = versions.map((v) => {
          expect([v.code, v.stderr]).toEqual([0, '']);
          return (JSON.parse(v.stdout) as { findings: unknown[] }).findings;
        });
        // The three spellings of one version mean the same.
        for (const r of reports) expect(r).toEqual(reports[0]);
      });

      it('kspect baseline --from its JSON report accepts everything it found: rerun with it, nothing is new', async () => {
        const slug = c.name.replace(' ', '-');
        const r0 = await run([...c.args, '-f', 'json', '-o', `${slug}.report.json`, '--fail-on', 'none']);
        expect([r0.code, r0.stderr]).toEqual([0, '']);
        const b = await run(['baseline', '--from', `${slug}.report.json`, '-o', `${slug}.baseline.json`]);
        const found = (JSON.parse(readFileSync(join(dir, `${slug}.report.json`), 'utf8')) as { findings: unknown[] }).findings.length;
        expect([b.code, b.stderr]).toEqual([0, `kspect: wrote ${found} accepted findings to ${slug}.baseline.json\n`]);
        const r1 = await run([...c.args, '--baseline', `${slug}.baseline.json`, '--fail-on', 'info', '-f', 'json']);
        const again = JSON.parse(r1.stdout) as { findings: unknown[]; summary: { suppressed: number } };
        expect(again.findings).toEqual([]);
        expect(again.summary.suppressed).toBeGreaterThanOrEqual(found);
        expect(r1.code).toBe(0);
      });

      it('old and wrong spellings fail with one line naming the new one', async () => {
        const cases: [readonly string[], string][] = [
          [[...c.args, '-o', 'json'], 'kspect: -o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)\n'],
          [[...c.args, '-o', 'sarif'], 'kspect: -o is the output file now; for the sarif format use -f sarif (to write a file named "sarif", give -o ./sarif)\n'],
          [[...c.args, '-f', 'in.yaml'], `kspect: -f is the format now (${FORMATS.join(', ')}); give inputs as positional paths (or -i in.yaml where the arguments are a query)\n`],
          [[...c.args, '--fail-on', 'urgent'], 'kspect: --fail-on must be one of critical, high, medium, low, info, none\n'],
          [[...c.args, '--severity', 'urgent'], 'kspect: --severity must be one of critical, high, medium, low, info\n'],
          [[...c.args, '--group-by', 'colour'], 'kspect: --group-by must be one of check, resource, namespace\n'],
          [[...c.args, '-f', 'pdf'], `kspect: --format must be one of ${FORMATS.join(', ')}\n`],
          ...(c.k8sVersion ? [[[...c.args, '--k8s-version', 'latest'], 'kspect: --k8s-version must be a Kubernetes version such as 1.34, v1.34 or 1.34.2 (got "latest")\n'] as [readonly string[], string]] : []),
        ];
        const results = await all(cases.map(([args]) => () => run(args)));
        results.forEach((r, i) => {
          const [args, stderr] = cases[i] ?? [[], ''];
          expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }, args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
        });
      });
    });
  }
});

describe('custom tables honour --group-by', () => {
  it('node: the benchmark view lists controls; --group-by and --severity give the findings table, grouped and filtered', async () => {
    const [bench, byCheck, byResource, high] = await all([
      () => run(['node', '--root', NODE_ROOT, '--fail-on', 'none']),
      () => run(['node', '--root', NODE_ROOT, '--fail-on', 'none', '--group-by', 'check']),
      () => run(['node', '--root', NODE_ROOT, '--fail-on', 'none', '--group-by', 'resource']),
      () => run(['node', '--root', NODE_ROOT, '--fail-on', 'none', '--severity', 'critical']),
    ]);
    expect(bench?.stdout).toContain('[FAIL]');
    for (const r of [byCheck, byResource, high]) {
      expect(r?.code, r?.stderr).toBe(0);
      expect(r?.stdout).not.toContain('[FAIL]');
    }
    // Grouped by check: a heading per check id, then one row per resource.
    expect(byCheck?.stdout).toMatch(/^kubelet-anonymous-auth {2}/m);
    expect(byCheck?.stdout).not.toEqual(byResource?.stdout);
    expect(high?.stdout).toMatch(/below critical not listed/);
  });
});

describe('query and listing commands take their inputs with -i and refuse the old spellings', () => {
  it('rbac and netpol queries, kspect checks', async () => {
    const cases: [readonly string[], number, string][] = [
      [['rbac', 'who-can', 'get', 'pods', '-i', 'in.yaml', '-f', 'json'], 0, ''],
      [['rbac', 'can-i', 'get', 'pods', '--as', 'dev', '--file', 'in.yaml'], 0, ''],
      [['netpol', 'matrix', 'in.yaml', '-f', 'csv'], 0, ''],
      [['rbac', 'who-can', 'get', 'pods', '-f', 'in.yaml'], 2, 'kspect: -f is the format now (table, json); give inputs as positional paths (or -i in.yaml where the arguments are a query)\n'],
      [['rbac', 'who-can', 'get', 'pods', '-i', 'in.yaml', '-f', 'sarif'], 2, 'kspect: --format must be one of table, json\n'],
      [['netpol', 'explain', 'shop/priv', '-i', 'in.yaml', '-o', 'json'], 2, 'kspect: -o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)\n'],
      [['checks', '-o', 'json'], 2, 'kspect: -o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)\n'],
      [['checks', '-f', 'sarif'], 2, 'kspect: --format must be one of table, json\n'],
      [['checks', '-f', 'json'], 0, ''],
    ];
    const results = await all(cases.map(([args]) => () => run(args)));
    results.forEach((r, i) => {
      const [args, code, stderr] = cases[i] ?? [[], 0, ''];
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      if (code === 2) expect([r.stdout, r.stderr]).toEqual(['', stderr]);
      else expect(r.stdout.length).toBeGreaterThan(0);
    });
  });
});

/**
 * `--request-timeout D` is the limit of one request or connection in every command that talks to a network, with
 * kubectl's syntax; `--timeout D` only bounds a whole cluster read. Where `--timeout` used to mean per-connection
 * seconds (probe, etcd check, images verify) or milliseconds (pki check) it fails with one line naming the new flag.
 */
describe('--request-timeout: one meaning in every command that talks to a network', () => {
  // Accepts every connection, reads whatever comes, never writes a byte (a real socket on loopback, closed at the end).
  const sockets = new Set<Socket>();
  let deaf: Server;
  let port = 0;
  beforeAll(async () => {
    deaf = createServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    port = await new Promise<number>((resolve) => {
      deaf.listen(0, '127.0.0.1', () => {
        const a = deaf.address();
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
    writeFileSync(
      join(dir, 'deaf.kubeconfig'),
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: not-a-real-token}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`,
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => deaf.close(resolve));
  });

  /** Every command that talks to a network, reaching the deaf server. */
  const network = (): { name: string; args: string[]; perConnectionTimeout: boolean }[] => [
    { name: 'scan --cluster', args: ['scan', '--cluster', '--kubeconfig', 'deaf.kubeconfig'], perConnectionTimeout: false },
    { name: 'pss check --cluster', args: ['pss', 'check', '--cluster', '--kubeconfig', 'deaf.kubeconfig'], perConnectionTimeout: false },
    { name: 'rbac risks --cluster', args: ['rbac', 'risks', '--cluster', '--kubeconfig', 'deaf.kubeconfig'], perConnectionTimeout: false },
    { name: 'rbac who-can --cluster', args: ['rbac', 'who-can', 'get', 'pods', '--cluster', '--kubeconfig', 'deaf.kubeconfig'], perConnectionTimeout: false },
    { name: 'netpol check --cluster', args: ['netpol', 'check', '--cluster', '--kubeconfig', 'deaf.kubeconfig'], perConnectionTimeout: false },
    { name: 'probe', args: ['probe', `127.0.0.1:${port}`, '-f', 'json'], perConnectionTimeout: true },
    { name: 'etcd check', args: ['etcd', 'check', '--endpoints', `https://127.0.0.1:${port}`], perConnectionTimeout: true },
    { name: 'pki check', args: ['pki', 'check', '--endpoint', `127.0.0.1:${port}`], perConnectionTimeout: true },
    { name: 'images verify', args: ['images', 'verify', '--image', `127.0.0.1:${port}/app:1`, '--insecure-registry', `127.0.0.1:${port}`, '-f', 'json'], perConnectionTimeout: true },
    { name: 'webhook serve', args: ['webhook', 'serve', '--tls-cert', 'none.crt', '--tls-key', 'none.key'], perConnectionTimeout: false },
  ];

  it('every such command documents it with the one syntax', async () => {
    const heads = [['scan'], ['pss', 'check'], ['rbac'], ['netpol'], ['probe'], ['etcd', 'check'], ['pki', 'check'], ['images', 'verify'], ['webhook']];
    const helps = await all(heads.map((h) => () => helpOf(h)));
    helps.forEach((h, i) => {
      expect(h, heads[i]?.join(' ')).toMatch(/--request-timeout D +give up on one .+ after D \(500ms, 30s, 2m, 1h or 1h30m; a bare number is seconds; 0 = no limit; default /);
    });
  }, 120_000);

  it('bad values fail with one line naming the flag and the value, exit 2, before anything is read', async () => {
    const jobs = network().flatMap((c) => ['-1', '10x', '1e9h'].map((v) => ({ c, v })));
    const results = await all(jobs.map(({ c, v }) => () => run([...c.args, '--request-timeout', v])));
    results.forEach((r, i) => {
      const { c, v } = jobs[i] ?? { c: { name: '' }, v: '' };
      expect(r.code, `${c.name} --request-timeout ${v}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, c.name).toMatch(new RegExp(`^kspect: --request-timeout "${v.replace('.', '\\.')}": [^\\n]+\\n$`));
    });
  }, 240_000);

  it('where --timeout was the per-connection limit it now names --request-timeout (one line, exit 2)', async () => {
    const perConnection = network().filter((c) => c.perConnectionTimeout);
    const results = await all(perConnection.map((c) => () => run([...c.args, '--timeout', '5'])));
    results.forEach((r, i) => {
      expect(r.code, perConnection[i]?.name).toBe(2);
      expect(r.stderr).toMatch(/^kspect: --timeout bounds a whole cluster read \(scan --cluster\); the limit per request or connection is --request-timeout D now [^\n]+\n$/);
    });
  }, 120_000);

  it('commands that talk to no network refuse it as an unknown option', async () => {
    const offline = [['scan', 'in.yaml'], ['node', '--root', NODE_ROOT], ['audit', 'policy-check', 'policy.yaml'], ['pki', 'issue']];
    const results = await all(offline.map((a) => () => run([...a, '--request-timeout', '5s'])));
    results.forEach((r, i) => {
      expect(r.code, offline[i]?.join(' ')).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(r.stderr).toContain('--request-timeout');
    });
  }, 120_000);

  it('the limit applies: against a server that accepts and never answers, each command gives up after 700ms and says so', async () => {
    const reaching = network().filter((c) => c.name !== 'webhook serve' && c.name !== 'pss check --cluster' && c.name !== 'netpol check --cluster' && c.name !== 'rbac who-can --cluster');
    const results = await all(reaching.map((c) => () => runCli([...c.args, '--request-timeout', '700ms'], { cwd: dir, timeoutMs: 60_000 })));
    results.forEach((r, i) => {
      const name = reaching[i]?.name ?? '';
      // Reports carry it as a not-evaluated item; the cluster, etcd and pki sources end with one line.
      expect(`${r.stdout}${r.stderr}`, `${name}: ${r.stderr}`).toMatch(/0\.7 s|700 ?ms/);
      expect(r.code, name).not.toBe(-1);
    });
  }, 240_000);

  it('0 is no limit per request: the whole-read --timeout is what ends a read of a server that never answers', async () => {
    const r = await runCli(['scan', '--cluster', '--kubeconfig', 'deaf.kubeconfig', '--request-timeout', '0', '--timeout', '1500ms'], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kspect: the cluster was not read within 1\.5 s \(--timeout\)\n$/);
  }, 60_000);
});

describe('a .kspect.yaml written before the node controls were renamed', () => {
  it('names pki-key-permissions / etcd-client-plaintext: one warning line each naming the new id, the setting applies to both; an unknown id stays an error', async () => {
    const cfg = join(dir, 'old.kspect.yaml');
    writeFileSync(cfg, 'severity:\n  pki-key-permissions: info\nchecks:\n  disable: [etcd-client-plaintext]\n');
    const r = await run(['node', '--root', NODE_ROOT, '--config', cfg, '-f', 'json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      expect.stringMatching(/^kspect: warning: .*old\.kspect\.yaml:4:13: checks\.disable: "etcd-client-plaintext" also named kspect node's K\.2 control .* renamed etcd-listen-client-plaintext: the setting applies to etcd-listen-client-plaintext too/),
      expect.stringMatching(/^kspect: warning: .*old\.kspect\.yaml:2:3: severity: "pki-key-permissions" also named kspect node's CIS 1\.1\.21 control .* renamed pki-key-file-permissions: the setting applies to pki-key-file-permissions too/),
    ]);
    const report = JSON.parse(r.stdout) as { checks: { id: string }[] };
    expect(report.checks.map((c) => c.id)).not.toContain('etcd-listen-client-plaintext');
    expect(report.checks.map((c) => c.id)).toContain('pki-key-file-permissions');
    writeFileSync(cfg, 'severity:\n  pki-key-permission: info\n');
    const bad = await run(['node', '--root', NODE_ROOT, '--config', cfg]);
    expect([bad.code, bad.stderr]).toEqual([2, `kspect: ${cfg}:2:3: severity: unknown check "pki-key-permission"\n`]);
  }, 60_000);
});
