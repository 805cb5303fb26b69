/**
 * Secrets stay secret in `kspect audit`: an audit log at level RequestResponse whose events carry planted, unique
 * secret strings — Secret data (base64) and stringData, a ConfigMap with credentials, a TokenReview's token, a
 * TokenRequest's issued token, env literals of a pod and of a Deployment's template — is run through `audit analyze`
 * with the bundled rules and with a rules file whose outputs print whole bodies (`%jevt.obj`, `%ka.req.configmap.obj`,
 * `%jevt.value[/requestObject]`), in every report format, to a file, and through `audit simulate --log`. The rules do
 * fire on those events (so the test is not vacuous); no planted string, nor its base64 form, may appear anywhere.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';

const PLANTED = {
  secretData: 'kspectAuditPlantedData-7c2e9a',
  secretString: 'kspectAuditPlantedString-3f8b1d',
  configMapKey: 'kspectAuditPlantedCmKey-5d1a7e',
  reviewToken: 'eyJhbGciOiJSUzI1NiJ9.eyJrc3BlY3QiOiJhdWRpdCJ9.kspectAuditPlantedReviewSig',
  issuedToken: 'eyJhbGciOiJSUzI1NiJ9.eyJrc3BlY3QiOiJ0b2tlbiJ9.kspectAuditPlantedIssuedSig',
  podEnv: 'kspectAuditPlantedPodEnv-9e4c2b',
  templateEnv: 'kspectAuditPlantedTplEnv-1b6d8f',
} as const;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const NEEDLES = Object.values(PLANTED).flatMap((s) => [s, b64(s)]);

let n = 0;
function event(verb: string, objectRef: Record<string, string>, requestObject?: unknown, responseObject?: unknown): string {
  n++;
  const ts = `2026-03-01T10:00:${String(n).padStart(2, '0')}.000000Z`;
  const uri = `/api/v1/${objectRef.namespace !== undefined ? `namespaces/${objectRef.namespace}/` : ''}${objectRef.resource ?? ''}${objectRef.subresource !== undefined ? `/${objectRef.name ?? ''}/${objectRef.subresource}` : ''}`;
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `00000000-0000-0000-0000-0000000000${String(n).padStart(2, '0')}`,
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user: { username: 'mallory', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.9'],
    objectRef: { apiVersion: 'v1', ...objectRef },
    responseStatus: { metadata: {}, code: verb === 'create' ? 201 : 200 },
    ...(requestObject !== undefined ? { requestObject } : {}),
    ...(responseObject !== undefined ? { responseObject } : {}),
    requestReceivedTimestamp: ts,
    stageTimestamp: ts,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  });
}

const secret = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db', namespace: 'shop' }, data: { password: b64(PLANTED.secretData) }, stringData: { token: PLANTED.secretString } };
const configMap = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'app', namespace: 'shop' }, data: { aws_access_key_id: PLANTED.configMapKey } };
const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true }, env: [{ name: 'DB_PASSWORD', value: PLANTED.podEnv }] }] } };
const deployment = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'api', image: 'api', env: [{ name: 'API_KEY', value: PLANTED.templateEnv }] }] } } } };
const LOG = [
  event('create', { resource: 'secrets', namespace: 'shop', name: 'db' }, secret, secret),
  event('get', { resource: 'secrets', namespace: 'shop', name: 'db' }, undefined, secret),
  event('list', { resource: 'secrets', namespace: 'shop' }, undefined, { kind: 'SecretList', apiVersion: 'v1', items: [secret] }),
  event('create', { resource: 'configmaps', namespace: 'shop', name: 'app' }, configMap, configMap),
  event('create', { resource: 'tokenreviews', apiGroup: 'authentication.k8s.io' }, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: PLANTED.reviewToken } }, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token: PLANTED.reviewToken }, status: { authenticated: true } }),
  event('create', { resource: 'serviceaccounts', subresource: 'token', namespace: 'shop', name: 'builder' }, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {} }, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {}, status: { token: PLANTED.issuedToken } }),
  event('create', { resource: 'pods', namespace: 'shop', name: 'web' }, pod, pod),
  event('create', { resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'api' }, deployment, deployment),
].join('\n');

const rule = (name: string, condition: string, output: string): string => `- rule: ${name}\n  desc: prints bodies\n  condition: ${JSON.stringify(condition)}\n  output: ${JSON.stringify(output)}\n  priority: WARNING\n  source: k8s_audit\n`;
const PRINTING_RULES = [
  rule('Whole event', 'ka.verb in (create, get, list)', 'event %jevt.obj'),
  rule('Request body', 'ka.verb=create', 'request %jevt.value[/requestObject] response %jevt.value[/responseObject] data %jevt.value[/requestObject/data] token %jevt.value[/responseObject/status/token]'),
  rule('ConfigMap body', 'ka.target.resource=configmaps', 'configmap %ka.req.configmap.obj'),
].join('');

function assertClean(label: string, r: CliResult, ...files: string[]): void {
  const all = [r.stdout, r.stderr, ...files].join('\n');
  for (const needle of NEEDLES) expect(all.includes(needle), `${label}: output contains a planted secret (${needle.slice(0, 16)}…)`).toBe(false);
}

describe('kspect audit never prints a secret from an audit log', () => {
  let dir = '';
  let formats: readonly string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-audit-secrets-'));
    writeFileSync(join(dir, 'audit.log'), `${LOG}\n`);
    writeFileSync(join(dir, 'printing.yaml'), PRINTING_RULES);
    writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n');
    const reporters = (await import(new URL('../dist/reporters/index.js', import.meta.url).href)) as { FORMATS: readonly string[] };
    formats = reporters.FORMATS;
  });

  it('the log holds the planted strings and the rules fire on every event (the test is not vacuous)', async () => {
    const log = readFileSync(join(dir, 'audit.log'), 'utf8');
    for (const s of Object.values(PLANTED)) expect(log.includes(s) || log.includes(b64(s)), s).toBe(true);
    const r = await runCli(['audit', 'analyze', 'audit.log', '--rules', 'printing.yaml', '--rule-matching', 'all', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { audit: { events: number; rules: { rule: string; alerts: number }[] }; findings: { message: string }[] };
    expect(report.audit.events).toBe(8);
    const count = Object.fromEntries(report.audit.rules.map((x) => [x.rule, x.alerts]));
    expect(count).toMatchObject({ 'Whole event': 8, 'Request body': 6, 'ConfigMap body': 1, 'Create/Modify Configmap With Private Credentials': 1, 'Create Privileged Pod': 1 });
    // The bodies are printed — with the secrets redacted.
    expect(report.findings.some((f) => f.message.includes('"password"') && !f.message.includes('"DB_PASSWORD"'))).toBe(true);
    expect(report.findings.some((f) => f.message.includes('DB_PASSWORD'))).toBe(true);
    assertClean('analyze json', r);
  });

  it('analyze: no planted string in any format, to stdout or a file, with the bundled rules alone or printing ones', async () => {
    for (const format of formats) {
      const args = ['audit', 'analyze', 'audit.log', '--rules', 'printing.yaml', '--rule-matching', 'all', '-f', format, '--fail-on', 'none', '--show-suppressed'];
      const r = await runCli(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      assertClean(args.join(' '), r);
      const out = join(dir, `out.${format}`);
      const w = await runCli(['audit', 'analyze', 'audit.log', '-f', format, '--fail-on', 'none', '-o', out], { cwd: dir });
      expect(w.code, w.stderr).toBe(0);
      assertClean(`analyze -f ${format} -o`, w, readFileSync(out, 'utf8'));
    }
    const stdin = await runCli(['audit', 'analyze', '-', '--rules', 'printing.yaml', '--fail-on', 'none'], { cwd: dir, stdin: LOG });
    expect(stdin.code).toBe(0);
    assertClean('analyze -', stdin);
  }, 300_000);

  it('simulate --log prints no planted string', async () => {
    for (const format of ['table', 'json']) {
      const r = await runCli(['audit', 'simulate', '--policy', 'policy.yaml', '--log', 'audit.log', '-f', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      assertClean(`simulate --log ${format}`, r);
    }
  });
});
