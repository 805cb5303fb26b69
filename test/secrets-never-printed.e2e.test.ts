/**
 * Secrets stay secret: manifests with planted, unique secret strings — in Secret data and stringData,
 * env literals, ConfigMaps, last-applied-configuration annotations, a filled service-account token,
 * and broken documents — are run through the built CLI in every output format that exists (the list
 * is read from dist/reporters/index.js, so new formats are covered automatically), with and without
 * --show-suppressed, with every opt-in check enabled, to a file, as a baseline, and through the other
 * analysis commands. No planted
 * string, nor its base64 form, may appear on stdout, stderr or in a written file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';

/** Unique strings that look like what they stand for, so that the checks do fire on them. */
const PLANTED = {
  secretData: 'kspectPlantedSecretData-9f3a1c',
  secretStringData: 'kspectPlantedStringData-4b7e2d',
  lastApplied: 'kspectPlantedLastApplied-6c1f8a',
  envPassword: 'kspectPlantedEnvPw-2d9b7e',
  envAws: 'AKIAKSPECTPLANTED7Q4',
  envJwt: 'eyJhbGciOiJIUzI1NiJ9.eyJrc3BlY3QiOiJwbGFudGVkIn0.kspectPlantedJwtSignature3e8d',
  envGithub: 'ghp_kspectPlantedGithubToken0123456789ab',
  envPemBody: 'kspectPlantedPemBodyLineMIIEvQIBADANBgkqhkiG9w0B',
  dbUrlPassword: 'kspectPlantedDbPw-8a2c4f',
  cmPassword: 'kspectPlantedCmPw-5e3d1b',
  cmFileSecret: 'kspectPlantedCmFile-7b9c2e',
  cmPemBody: 'kspectPlantedCmPemBodyMIIEowIBAAKCAQEA',
  saToken: 'eyJhbGciOiJSUzI1NiJ9.eyJrc3BlY3QiOiJzYS10b2tlbiJ9.kspectPlantedSaTokenSig4f7a',
  annotationToken: 'kspectPlantedAnnotation-1a6e9d',
  suppressedPw: 'kspectPlantedSuppressed-3c8b5a',
  brokenDuplicate: 'kspectPlantedBrokenDup-2e7f4c',
  brokenUnclosed: 'kspectPlantedUnclosed-9d1b6a',
  brokenTab: 'kspectPlantedTabbed-5a3e8f',
} as const;

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const NEEDLES: readonly string[] = Object.values(PLANTED).flatMap((s) => [s, b64(s)]);

const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: PLANTED.lastApplied } });

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '${lastApplied}'
type: Opaque
data:
  password: ${b64(PLANTED.secretData)}
stringData:
  url: postgres://shop:${PLANTED.secretStringData}@db:5432/shop
---
apiVersion: v1
kind: Secret
metadata:
  name: deployer-token
  namespace: shop
  annotations:
    kubernetes.io/service-account.name: deployer
type: kubernetes.io/service-account-token
data:
  token: ${b64(PLANTED.saToken)}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
  annotations:
    example.com/api-token: ${PLANTED.annotationToken}
data:
  db_password: ${PLANTED.cmPassword}
  application.properties: |
    db.user=shop
    db.secret=${PLANTED.cmFileSecret}
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    ${PLANTED.cmPemBody}
    -----END PRIVATE KEY-----
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"template":{"spec":{"containers":[{"env":[{"name":"DB_PASSWORD","value":"${PLANTED.envPassword}"}]}]}}}}'
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          env:
            - {name: DB_PASSWORD, value: ${PLANTED.envPassword}}
            - {name: UPLOAD_ID, value: ${PLANTED.envAws}}
            - {name: SESSION, value: ${PLANTED.envJwt}}
            - {name: CI_HELPER, value: ${PLANTED.envGithub}}
            - {name: DATABASE_URL, value: "postgres://shop:${PLANTED.dbUrlPassword}@db:5432/shop"}
            - name: SIGNING_MATERIAL
              value: |
                -----BEGIN RSA PRIVATE KEY-----
                ${PLANTED.envPemBody}
                -----END RSA PRIVATE KEY-----
---
apiVersion: v1
kind: Pod
metadata:
  name: accepted
  namespace: shop
  annotations:
    kspect.dev/ignore: pod-env-literal-secret — accepted for the test
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - {name: ADMIN_PASSWORD, value: ${PLANTED.suppressedPw}}
`;

/** Documents that do not parse, with secrets next to the error. */
const BROKEN = `apiVersion: v1
kind: Secret
metadata:
  name: dup
  namespace: shop
stringData:
  password: ${PLANTED.brokenDuplicate}
  password: ${PLANTED.brokenDuplicate}
---
apiVersion: v1
kind: Secret
metadata: {name: tabbed, namespace: shop}
stringData:
\ttoken: ${PLANTED.brokenTab}
---
apiVersion: v1
kind: Secret
metadata:
  name: unclosed
  namespace: shop
stringData:
  token: "${PLANTED.brokenUnclosed}
`;

function assertClean(label: string, r: CliResult, extra = ''): void {
  const all = `${r.stdout}\n${r.stderr}\n${extra}`;
  for (const needle of NEEDLES) expect(all.includes(needle), `${label}: output contains a planted secret (${needle.slice(0, 14)}…)`).toBe(false);
}

describe('secrets are never printed', () => {
  let dir = '';
  let formats: readonly string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-secrets-'));
    writeFileSync(join(dir, 'app.yaml'), MANIFESTS);
    writeFileSync(join(dir, 'broken.yaml'), BROKEN);
    // Opt-in checks run too: every check is enabled.
    writeFileSync(join(dir, '.kspect.yaml'), 'checks:\n  enable: ["*"]\nparameters:\n  image-registry-not-allowed:\n    allowedRegistries: [registry.example.com]\n');
    const reporters = (await import(new URL('../dist/reporters/index.js', import.meta.url).href)) as { FORMATS: readonly string[] };
    formats = reporters.FORMATS;
  });

  it('the planted manifests do trip the secret checks (so the test is not vacuous)', async () => {
    const r = await runCli(['scan', 'app.yaml', '--format', 'json', '--show-suppressed'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; path?: string }[]; suppressed: { finding: { checkId: string } }[] };
    const ids = (id: string): number => report.findings.filter((f) => f.checkId === id).length;
    expect(ids('pod-env-literal-secret')).toBe(6);
    expect(ids('configmap-credential-keys')).toBe(3);
    expect(ids('secret-sa-token-long-lived')).toBe(1);
    expect(report.suppressed.map((s) => s.finding.checkId)).toContain('pod-env-literal-secret');
    expect(ids('image-registry-not-allowed')).toBeGreaterThan(0); // the opt-in checks are on
    assertClean('scan json', r);
  });

  it('lists at least table and json among the formats, and the guard catches a leak', () => {
    expect(formats).toEqual(expect.arrayContaining(['table', 'json']));
    expect(() => {
      assertClean('self-test', { code: 0, stdout: `x ${PLANTED.envAws} y`, stderr: '' });
    }).toThrow();
    expect(() => {
      assertClean('self-test', { code: 0, stdout: '', stderr: b64(PLANTED.secretData) });
    }).toThrow();
  });

  it('scan: no planted string in any format, with or without --show-suppressed, including broken input', async () => {
    for (const format of formats) {
      for (const extra of [[], ['--show-suppressed']]) {
        const args = ['scan', 'app.yaml', 'broken.yaml', '--format', format, ...extra];
        const r = await runCli(args, { cwd: dir });
        expect(r.code, args.join(' ')).toBe(2); // broken.yaml makes the run exit 2, with the full report
        expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
        expect(r.stderr, args.join(' ')).toMatch(/broken\.yaml/);
        assertClean(args.join(' '), r);
      }
    }
  });

  it('scan --output FILE, stdin and baseline files hold no planted string', async () => {
    for (const format of formats) {
      const out = join(dir, `report.${format}`);
      const r = await runCli(['scan', 'app.yaml', '--format', format, '--show-suppressed', '--output', out], { cwd: dir });
      expect(r.code).toBe(1);
      assertClean(`scan --output (${format})`, r, readFileSync(out, 'utf8'));
    }
    const stdin = await runCli(['scan', '-', '--show-suppressed'], { cwd: dir, stdin: MANIFESTS });
    expect(stdin.code).toBe(1);
    assertClean('scan -', stdin);
    const base = join(dir, 'baseline.json');
    const b = await runCli(['baseline', 'app.yaml', '--output', base], { cwd: dir });
    expect(b.code).toBe(0);
    assertClean('baseline', b, readFileSync(base, 'utf8'));
    const again = await runCli(['scan', 'app.yaml', '--baseline', base, '--show-suppressed'], { cwd: dir });
    assertClean('scan --baseline', again);
  });

  it('the other commands that read manifests print no planted string', async () => {
    const runs: string[][] = [
      ['pss', 'check', 'app.yaml'],
      ['pss', 'check', 'app.yaml', '--format', 'json'],
      ...formats.flatMap((f) => [
        ['pss', 'check', 'app.yaml', '--show-suppressed', '-f', f],
        ['rbac', 'risks', 'app.yaml', '--show-suppressed', '-f', f],
        ['rbac', 'paths', 'app.yaml', '-f', f],
        ['netpol', 'check', 'app.yaml', '--show-suppressed', '-f', f],
      ]),
      ['netpol', 'matrix', 'app.yaml'],
      ['netpol', 'matrix', 'app.yaml', '--format', 'json'],
      ['pss', 'check', 'broken.yaml'],
    ];
    for (const args of runs) {
      const r = await runCli(args, { cwd: dir });
      expect([0, 1, 2], args.join(' ')).toContain(r.code);
      // A usage error would make this test vacuous: every run must produce its output.
      expect(r.stderr, args.join(' ')).not.toMatch(/^kspect: (-f is the format|-o is the output|unknown option|Unknown option)/m);
      if (!args.includes('broken.yaml')) expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
      assertClean(args.join(' '), r);
    }
  });
});
