/**
 * `kspect audit policy-check` and `kspect audit simulate` through the built binary: exit codes, every report format,
 * one-line errors, stdin, the simulate answer against its JSON Schema and a golden file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { FORMATS } from '../src/reporters/index.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const dir = mkdtempSync(join(tmpdir(), 'kspect-audit-cli-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const GOOD = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: [watch]
    resources: [{group: "", resources: [endpoints, services]}, {group: discovery.k8s.io, resources: [endpointslices]}]
  - level: None
    userGroups: ["system:nodes"]
    verbs: [get]
    resources: [{group: "", resources: [nodes, nodes/status]}]
  - level: None
    users: ["system:kube-controller-manager"]
    resources: [{group: coordination.k8s.io, resources: [leases]}]
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version"]
  - level: Metadata
    resources: [{group: "", resources: [events, secrets, configmaps, serviceaccounts/token]}, {group: events.k8s.io, resources: [events]}, {group: authentication.k8s.io, resources: [tokenreviews]}]
  - level: RequestResponse
    omitManagedFields: true
    resources: [{group: rbac.authorization.k8s.io}, {group: "", resources: [pods]}]
  - level: Metadata
`;

describe('kspect audit policy-check', () => {
  let good: string;
  let bad: string;
  let refused: string;
  beforeAll(() => {
    good = file('good.yaml', GOOD);
    bad = file('bad.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStage: [RequestReceived]\nrules:\n  - level: RequestResponse\n');
    refused = file('refused.yaml', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n  - level: Metadata\n');
  });

  it('passes a sound policy (exit 0)', async () => {
    const r = await runCli(['audit', 'policy-check', good, '--k8s-version', '1.35']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 findings/);
  });

  it('a policy the server refuses is an error at its line, exit 1 through --fail-on', async () => {
    const r = await runCli(['audit', 'policy-check', refused, '-f', 'json', '--k8s-version', '1.35']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; severity: string; location: { file: string; line: number } }[] };
    expect(report.findings.map((f) => [f.checkId, f.severity, f.location.line])).toEqual([['audit-policy-refused', 'high', 1]]);
    const none = await runCli(['audit', 'policy-check', refused, '--fail-on', 'critical', '--k8s-version', '1.23']);
    expect(none.code).toBe(0);
  });

  it('names rules and lines; every report format renders', async () => {
    const r = await runCli(['audit', 'policy-check', bad, '-f', 'json']);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; location: { line: number }; message: string }[] };
    expect(report.findings.find((f) => f.checkId === 'audit-policy-field-ignored')?.location.line).toBe(3);
    expect(report.findings.filter((f) => f.checkId === 'audit-policy-sensitive-body').map((f) => /^rule 0 logs (\w+)/.exec(f.message)?.[1]).sort()).toEqual(['ConfigMaps', 'Secrets', 'TokenRequests', 'TokenReviews']);
    for (const format of FORMATS) {
      const x = await runCli(['audit', 'policy-check', bad, '-f', format]);
      expect(x.code, format).toBe(1);
      expect(x.stdout.length, format).toBeGreaterThan(100);
    }
  });

  it('reads stdin, honours severity overrides and --checks, and writes -o', async () => {
    const cfg = file('kspect.yaml', 'severity:\n  audit-policy-sensitive-body: low\n');
    const out = join(dir, 'out.json');
    const r = await runCli(['audit', 'policy-check', '-', '--config', cfg, '--checks', 'audit-policy-sensitive-body', '-f', 'json', '-o', out], { stdin: readFileSync(bad) });
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { checkId: string; severity: string }[] };
    expect(new Set(report.findings.map((f) => `${f.checkId}:${f.severity}`))).toEqual(new Set(['audit-policy-sensitive-body:low']));
  });

  it('one-line errors, exit 2', async () => {
    for (const args of [['audit', 'policy-check'], ['audit', 'policy-check', good, '--k8s-version', 'x'], ['audit', 'policy-check', join(dir, 'missing.yaml')], ['audit', 'nope'], ['audit', 'policy-check', good, '--checks', 'pod-privileged']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('--help for every subcommand', async () => {
    for (const sub of ['policy-check', 'simulate', 'analyze', 'coverage']) {
      const r = await runCli(['audit', sub, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: kspect audit/);
    }
  });
});

describe('kspect audit simulate', () => {
  let policy: string;
  beforeAll(() => {
    policy = file('policy.yaml', GOOD);
  });

  it('answers for flags and URLs; matches the schema and the golden file', async () => {
    const r = await runCli(['audit', 'simulate', '--policy', policy, '--k8s-version', '1.35', '--user', 'alice', '--group', 'dev', '--verb', 'create', '--resource', '/pods', '-n', 'default', '-f', 'json', '/api/v1/namespaces/default/pods/p/exec', '/healthz']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout.replace(policy, 'policy.yaml')) as unknown;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(new URL('../schema/audit-simulate.schema.json', import.meta.url), 'utf8')) as object;
    expect(ajv.validate(schema, answer), JSON.stringify(ajv.errors)).toBe(true);
    const golden = new URL('./fixtures/audit/simulate.golden.json', import.meta.url);
    if (process.env.KSPECT_UPDATE_GOLDEN === '1') writeFileSync(golden, `${JSON.stringify(answer, null, 2)}\n`);
    expect(answer).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
  });

  it('checks every event of a log (exit 1 on a disagreement)', async () => {
    const ev = (level: string, extra: object) => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: 'a', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/default/pods', verb: 'create', user: { username: 'alice', groups: ['system:authenticated'] }, objectRef: { resource: 'pods', namespace: 'default', name: 'p', apiVersion: 'v1' }, ...extra });
    const log = file('audit.log', `${ev('RequestResponse', { requestObject: {}, responseObject: {} })}\nnot json\n`);
    const ok = await runCli(['audit', 'simulate', '--policy', policy, '--log', log, '-f', 'json']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { log: object }).log).toMatchObject({ events: 1, agree: 1, disagree: 0, skipped: 1 });
    const wrong = file('wrong.log', `${ev('Metadata', {})}\n`);
    const bad = await runCli(['audit', 'simulate', '--policy', policy, '--log', wrong]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/predicted level RequestResponse \(rule 5\), the server wrote Metadata/);
  });

  it('refuses a policy kube-apiserver would refuse, on one line', async () => {
    const refused = file('refused2.yaml', 'kind: Policy\nrules: [{level: Metadata}]\n');
    const r = await runCli(['audit', 'simulate', '--policy', refused, '--verb', 'get', '/healthz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kspect: .*refused2\.yaml:1: kube-apiserver 1\.36 refuses this policy: apiVersion is missing/);
  });
});

describe('kspect audit analyze and coverage: the one Report', () => {
  it('validates against the report schema, with the audit section', async () => {
    const { reportSchemaValidator } = await import('../src/reporters/validate.testutil.js');
    const validate = reportSchemaValidator();
    const trace = '/work/shared/conformance/falco-k8saudit/falco-0.34.1-test/trace_files/k8s_audit';
    const a = await runCli(['audit', 'analyze', trace, '-f', 'json', '--fail-on', 'none', '--allow-invalid']);
    expect(a.code).toBe(0);
    const ra = JSON.parse(a.stdout) as { audit: { kind: string } };
    expect(validate(ra), JSON.stringify(validate.errors)).toBe(true);
    expect(ra.audit.kind).toBe('AuditLogAnalysis');
    const policy = file('cov.yaml', GOOD);
    const c = await runCli(['audit', 'coverage', '--policy', policy, '-f', 'json', '--fail-on', 'none']);
    expect(c.code).toBe(0);
    const rc = JSON.parse(c.stdout) as { audit: { kind: string } };
    expect(validate(rc), JSON.stringify(validate.errors)).toBe(true);
    expect(rc.audit.kind).toBe('AuditCoverage');
  });

  it('filters, gzip and stdin; one-line errors', async () => {
    const { gzipSync } = await import('node:zlib');
    const trace = '/work/shared/conformance/falco-k8saudit/falco-0.34.1-test/trace_files/k8s_audit';
    const priv = readFileSync(join(trace, 'create_nginx_pod_privileged.json'));
    const gz = file('priv.log.gz', '');
    writeFileSync(gz, gzipSync(priv));
    const g = await runCli(['audit', 'analyze', gz, '-f', 'json', '--fail-on', 'none']);
    expect((JSON.parse(g.stdout) as { audit: { alerts: number } }).audit.alerts).toBe(1);
    const s = await runCli(['audit', 'analyze', '-', '-f', 'json', '--fail-on', 'none', '--user', 'nobody'], { stdin: priv });
    expect((JSON.parse(s.stdout) as { audit: { events: number; filteredOut: number } }).audit).toMatchObject({ events: 0, filteredOut: 1 });
    const t = await runCli(['audit', 'analyze', gz, '-f', 'json', '--fail-on', 'none', '--since', '2030-01-01']);
    expect((JSON.parse(t.stdout) as { audit: { events: number } }).audit.events).toBe(0);
    const bad = file('bad-rules.yaml', '- rule: x\n  condition: ka.verb regex a\n  desc: d\n  output: o\n  priority: INFO\n  source: k8s_audit\n');
    for (const args of [['audit', 'analyze'], ['audit', 'analyze', gz, '--rules', bad], ['audit', 'analyze', gz, '--since', 'yesterday'], ['audit', 'analyze', gz, '--rule-matching', 'some'], ['audit', 'coverage'], ['audit', 'analyze', join(dir, 'nope.log')]]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBe(1);
    }
  });
});

describe('kspect node: the coverage section', () => {
  it('a node with an audit policy gets which Falco detections it makes impossible (JSON and table); none without', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kspect-audit-node-'));
    const blinding = file('node-policy.yaml', `apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: None\n    resources: [{group: "", resources: ["pods/exec", "pods/attach"]}]\n  - level: Metadata\n`);
    const j = await runCli(['node', '--root', root, '--audit-policy', blinding, '-f', 'json', '--fail-on', 'none']);
    expect(j.code, j.stderr).toBe(0);
    const report = JSON.parse(j.stdout) as { audit?: { kind: string; policy: string; rules: { rule: string; status: string }[] } };
    expect(report.audit?.kind).toBe('AuditCoverage');
    const status = Object.fromEntries((report.audit?.rules ?? []).map((r) => [r.rule, r.status]));
    // Exec and attach are at level None (no event), pod bodies at Metadata (not recorded): blind; a Metadata-only rule is covered.
    expect(status['Attach/Exec Pod']).toBe('blind');
    expect(status['Create Privileged Pod']).toBe('blind');
    expect(status['K8s Secret Deleted']).toBe('covered');
    const t = await runCli(['node', '--root', root, '--audit-policy', blinding, '--fail-on', 'none']);
    expect(t.stdout).toMatch(/Falco k8saudit detections under the audit policy .*node-policy\.yaml \(kube-apiserver 1\.\d+\): \d+ covered/);
    expect(t.stdout).toMatch(/blind +Metadata +Attach\/Exec Pod/);
    const none = await runCli(['node', '--root', root, '-f', 'json', '--fail-on', 'none']);
    expect((JSON.parse(none.stdout) as { audit?: unknown }).audit).toBeUndefined();
  });
});
