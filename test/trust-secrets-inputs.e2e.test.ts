/**
 * Issue 10 §3, proof (beside secrets-never-printed.e2e.test.ts, which covers manifests): secret markers planted in the
 * other input kinds — kubeconfig tokens, passwords and client keys (embedded and referenced), private key files,
 * EncryptionConfiguration keys, a node's kubelet and static pod files — and in broken variants of them, are searched
 * for in every output format of every command that reads them (pki check, node, scan --cluster) and in every file
 * written. None may appear: not the marker, not its base64, not a line of a private key's body.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from './support/cli.js';

const PLANTED = {
  kubeToken: 'kspectPlantedKubeToken-7d2e9a',
  kubePassword: 'kspectPlantedKubePassword-3f8c1b',
  execEnv: 'kspectPlantedExecEnv-5a9d2c',
  brokenToken: 'kspectPlantedBrokenToken-8e4b7f',
  // 32 bytes, base64: an aescbc key.
  encryptionKey: Buffer.from('kspectPlantedEncryptionKey-32by!').toString('base64'),
  brokenEncryptionKey: Buffer.from('kspectPlantedBrokenEncKey-32byt!').toString('base64'),
  kubeletToken: 'kspectPlantedKubeletToken-2c7e5d',
  staticPodPassword: 'kspectPlantedStaticPodPw-6b1f9e',
} as const;

let root = '';
let formats: readonly string[] = [];
let needles: string[] = [];

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Every line of a PEM body (a leaked line is a leak), at least 20 characters long. */
function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----'));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kspect-secret-inputs-'));
  const init = await runCli(['pki', 'init', 'pki'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
  const caKey = readFileSync(join(root, 'pki', 'ca.key'), 'utf8');
  const etcdKey = readFileSync(join(root, 'pki', 'etcd', 'ca.key'), 'utf8');
  const caCrt = readFileSync(join(root, 'pki', 'ca.crt'), 'utf8');

  const kubeconfig = (user: string): string => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
    certificate-authority-data: ${b64(caCrt)}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
users:
- name: u
  user:
${user}`;
  writeFileSync(join(root, 'token.conf'), kubeconfig(`    token: ${PLANTED.kubeToken}\n`));
  writeFileSync(join(root, 'password.conf'), kubeconfig(`    username: admin\n    password: ${PLANTED.kubePassword}\n`));
  writeFileSync(join(root, 'embedded-key.conf'), kubeconfig(`    client-certificate-data: ${b64(caCrt)}\n    client-key-data: ${b64(caKey)}\n`));
  writeFileSync(join(root, 'referenced-key.conf'), kubeconfig(`    client-certificate: pki/ca.crt\n    client-key: pki/ca.key\n`));
  writeFileSync(join(root, 'exec.conf'), kubeconfig(`    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/false\n      env:\n      - {name: SECRET, value: ${PLANTED.execEnv}}\n`));
  writeFileSync(join(root, 'broken.conf'), kubeconfig(`    token: ${PLANTED.brokenToken}\n      bad: indent\n`));

  const encryption = (key: string): string => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${key}
  - identity: {}
`;
  writeFileSync(join(root, 'encryption.yaml'), encryption(PLANTED.encryptionKey));
  writeFileSync(join(root, 'encryption-broken.yaml'), `${encryption(PLANTED.brokenEncryptionKey)}  - aesgcm: {keys: [{name: k2, secret: "${PLANTED.brokenEncryptionKey}}]\n`);

  // A node: the example tree with a token in the kubelet's kubeconfig, a password in a static pod's env and the
  // encryption configuration the API server names.
  cpSync(join(REPO_ROOT, 'examples', 'node'), join(root, 'node'), { recursive: true });
  mkdirSync(join(root, 'node', 'etc', 'kubernetes'), { recursive: true });
  writeFileSync(join(root, 'node', 'etc', 'kubernetes', 'kubelet.conf'), kubeconfig(`    token: ${PLANTED.kubeletToken}\n`));
  mkdirSync(join(root, 'node', 'etc', 'kubernetes', 'manifests'), { recursive: true });
  writeFileSync(
    join(root, 'node', 'etc', 'kubernetes', 'manifests', 'planted.yaml'),
    `apiVersion: v1\nkind: Pod\nmetadata: {name: planted, namespace: kube-system}\nspec:\n  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.10\n    env:\n    - {name: DB_PASSWORD, value: ${PLANTED.staticPodPassword}}\n`,
  );

  const reporters = (await import(new URL('../dist/reporters/index.js', import.meta.url).href)) as { FORMATS: readonly string[] };
  formats = reporters.FORMATS;
  needles = [...Object.values(PLANTED).flatMap((s) => [s, b64(s)]), ...pemBodyLines(caKey), ...pemBodyLines(etcdKey), b64(caKey).slice(0, 40)];
}, 60_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

function assertClean(label: string, r: CliResult, written = ''): void {
  const all = `${r.stdout}\n${r.stderr}\n${written}`;
  for (const n of needles) expect(all.includes(n), `${label}: output holds a planted secret (${n.slice(0, 16)}…)`).toBe(false);
}

describe('secrets in kubeconfigs, keys, encryption configurations and node files are never printed', () => {
  it('pki check on kubeconfigs (token, password, embedded and referenced keys, exec env, broken) and key files, every format, and -o', async () => {
    const inputs = ['token.conf', 'password.conf', 'embedded-key.conf', 'referenced-key.conf', 'exec.conf', 'broken.conf', 'pki'];
    for (const format of formats) {
      const r = await runCli(['pki', 'check', ...inputs, '-f', format, '--fail-on', 'none'], { cwd: root });
      expect([0, 2], `${format}: ${r.stderr}`).toContain(r.code);
      expect(r.stdout.length, format).toBeGreaterThan(0);
      assertClean(`pki check -f ${format}`, r);
    }
    const out = join(root, 'pki-report.json');
    const w = await runCli(['pki', 'check', ...inputs, '-f', 'json', '-o', out, '--fail-on', 'none'], { cwd: root });
    assertClean('pki check -o', w, readFileSync(out, 'utf8'));
    // Not vacuous: the kubeconfig's embedded key was read and judged.
    expect(readFileSync(out, 'utf8')).toContain('embedded-key.conf');
  });

  it('node with an encryption configuration, a kubelet token and a static pod password, every format, and -o', async () => {
    for (const format of formats) {
      for (const enc of ['encryption.yaml', 'encryption-broken.yaml']) {
        const r = await runCli(['node', '--root', 'node', '--encryption-config', enc, '-f', format, '--fail-on', 'none'], { cwd: root });
        expect(r.stderr, `${format} ${enc}`).not.toMatch(/internal error/);
        assertClean(`node -f ${format} --encryption-config ${enc}`, r);
      }
    }
    const out = join(root, 'node-report.json');
    const w = await runCli(['node', '--root', 'node', '--encryption-config', 'encryption.yaml', '-f', 'json', '-o', out, '--fail-on', 'none'], { cwd: root });
    assertClean('node -o', w, readFileSync(out, 'utf8'));
    expect(readFileSync(out, 'utf8')).toContain('encryption');
  });

  it('scan --cluster with each kubeconfig: the connection error never quotes a credential', async () => {
    for (const kc of ['token.conf', 'password.conf', 'embedded-key.conf', 'referenced-key.conf', 'broken.conf']) {
      const r = await runCli(['scan', '--cluster', '--kubeconfig', kc], { cwd: root, timeoutMs: 60_000 });
      expect(r.code, kc).toBe(2);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      assertClean(`scan --cluster --kubeconfig ${kc}`, r);
    }
  });
});
