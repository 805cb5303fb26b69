/**
 * `kspect etcd check` against a real kube-apiserver and etcd: Secrets written before encryption, after enabling
 * aescbc, after rotating to aesgcm, and after rewriting are classified exactly; an aescbc value is decrypted
 * independently with `openssl enc`; etcd's posture is probed; no Secret value reaches any output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../../src/engines/encryption-at-rest/evaluate.js';
import { runCli } from '../support/cli.js';
import { etcdGet, mustKube } from '../testbed/kube.js';
import { findBinaries, randomKey, startEtcd, startTestbed, TestCA, testbedUnavailable, type Testbed } from '../testbed/testbed.js';
import { FORMATS } from '../../src/reporters/index.js';

const skip = testbedUnavailable();
const PLANTED = 'PLANTED-SECRET-VALUE-7c1e9a';
const PLANTED_B64 = Buffer.from(PLANTED).toString('base64');

const key1 = randomKey();
const key2 = randomKey();
const box1 = Buffer.alloc(32, 7).toString('base64');

const config = (secretProviders: string, configmapProviders = '      - identity: {}') => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
${secretProviders}
  - resources: [configmaps]
    providers:
${configmapProviders}
`;
const IDENTITY = config('      - identity: {}');
const CBC = config(`      - aescbc:\n          keys: [{name: key1, secret: "${key1}"}]\n      - identity: {}`);
const GCM = config(
  `      - aesgcm:\n          keys: [{name: key2, secret: "${key2}"}]\n      - aescbc:\n          keys: [{name: key1, secret: "${key1}"}]\n      - identity: {}`,
  `      - secretbox:\n          keys: [{name: box1, secret: "${box1}"}]\n      - identity: {}`,
);

interface Classified {
  readonly byKey: Map<string, string>;
  readonly findings: { checkId: string; severity: string; resource?: { name: string }; message: string }[];
  readonly code: number;
  readonly stdout: string;
}

describe.skipIf(skip !== undefined)('kspect etcd check on the testbed', () => {
  let tb: Testbed;
  let work: string;
  const cfgFile = (name: string, yaml: string): string => {
    const f = join(work, name);
    writeFileSync(f, yaml, { mode: 0o600 });
    return f;
  };
  const createSecret = (name: string) => mustKube(tb, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { password: PLANTED } });
  const createConfigMap = (name: string) => mustKube(tb, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

  async function check(encryptionConfig: string | undefined, extra: string[] = []): Promise<Classified> {
    const args = ['etcd', 'check', '--endpoints', tb.etcd.endpoint, '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--format', 'json', ...extra];
    if (encryptionConfig !== undefined) args.push('--encryption-config', encryptionConfig);
    const r = await runCli(args);
    expect(r.stderr).not.toContain('internal error');
    const report = JSON.parse(r.stdout) as Classified['findings'] extends infer _ ? { findings: Classified['findings'] } : never;
    const byKey = new Map<string, string>();
    for (const f of report.findings) if (f.resource) byKey.set(`${f.checkId} ${f.resource.name}`, f.severity);
    return { byKey, findings: report.findings, code: r.code, stdout: r.stdout };
  }
  const idsFor = (c: Classified, name: string): string[] =>
    c.findings
      .filter((f) => f.resource?.name === name)
      .map((f) => f.checkId)
      .sort();
  /** The report's per-value listing for these objects of a namespace: key, resource, provider, key name, verdict. */
  const storedValues = (c: Classified, namespace: string, names: readonly string[]): string[][] =>
    (JSON.parse(c.stdout) as { etcd: { values: { key: string; resource?: string; namespace?: string; name: string; provider: string; keyName: string; verdict: string }[] } }).etcd.values
      .filter((v) => v.namespace === namespace && names.includes(v.name))
      .map((v) => [v.key, v.resource ?? '', v.provider, v.keyName, v.verdict]);
  const summary = (c: Classified, resource: string): string | undefined => c.findings.find((f) => f.checkId === 'etcd-at-rest-summary' && f.resource?.name === resource)?.message;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kspect-etcd-test-'));
    tb = await startTestbed({ encryptionConfig: IDENTITY });
  });
  afterAll(async () => {
    await tb.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('classifies each stage: plaintext, aescbc, rotation to aesgcm, rewrite', { timeout: 240_000 }, async () => {
    // Stage 0: no encryption.
    await createSecret('s0-before');
    await createConfigMap('cm0-before');
    const identityCfg = cfgFile('identity.yaml', IDENTITY);
    let c = await check(identityCfg);
    expect(idsFor(c, 's0-before')).toEqual(['etcd-secret-plaintext']);
    expect(c.byKey.get('etcd-secret-plaintext s0-before')).toBe('critical');
    expect(c.code).toBe(1);
    // ConfigMaps are written in plaintext by configuration (identity first): not a finding for non-Secrets.
    expect(idsFor(c, 'cm0-before')).toEqual([]);

    // Stage 1: aescbc enabled.
    await tb.setEncryptionConfig(CBC);
    await createSecret('s1-aescbc');
    const cbcCfg = cfgFile('cbc.yaml', CBC);
    c = await check(cbcCfg);
    expect(idsFor(c, 's0-before')).toEqual(['etcd-secret-plaintext']);
    expect(idsFor(c, 's1-aescbc')).toEqual([]);
    expect(summary(c, 'secrets')).toBe('secrets: 2 values — 1 aescbc/key1 (current), 1 plaintext protobuf (plaintext)');

    // Independently: decrypt the aescbc value with openssl and compare with kspect's decryption.
    const etcdKey = '/registry/secrets/default/s1-aescbc';
    const stored = await etcdGet(tb, etcdKey);
    if (!stored) throw new Error('s1-aescbc not in etcd');
    const prefix = 'k8s:enc:aescbc:v1:key1:';
    expect(stored.subarray(0, prefix.length).toString('latin1')).toBe(prefix);
    const payload = stored.subarray(prefix.length);
    const cipherFile = join(work, 'cipher.bin');
    writeFileSync(cipherFile, payload.subarray(16));
    const byOpenssl = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-K', Buffer.from(key1, 'base64').toString('hex'), '-iv', payload.subarray(0, 16).toString('hex'), '-in', cipherFile]);
    const byKspect = decryptPayload('aescbc', new Uint8Array(Buffer.from(key1, 'base64')), new Uint8Array(payload), new TextEncoder().encode(etcdKey));
    expect(byKspect).toBeDefined();
    expect(Buffer.from(byKspect ?? []).equals(byOpenssl)).toBe(true);
    expect(byOpenssl.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(byOpenssl.includes(Buffer.from(PLANTED))).toBe(true);

    // Stage 2: rotation to aesgcm (aescbc kept for reading), ConfigMaps now secretbox.
    await tb.setEncryptionConfig(GCM);
    await createSecret('s2-aesgcm');
    await createConfigMap('cm2-secretbox');
    const gcmCfg = cfgFile('gcm.yaml', GCM);
    c = await check(gcmCfg);
    expect(idsFor(c, 's0-before')).toEqual(['etcd-secret-plaintext']);
    expect(idsFor(c, 's1-aescbc')).toEqual(['etcd-value-stale-key']);
    expect(idsFor(c, 's2-aesgcm')).toEqual([]);
    expect(idsFor(c, 'cm0-before')).toEqual(['etcd-resource-plaintext']);
    expect(idsFor(c, 'cm2-secretbox')).toEqual([]);
    expect(summary(c, 'secrets')).toBe('secrets: 3 values — 1 aescbc/key1 (stale), 1 aesgcm/key2 (current), 1 plaintext protobuf (plaintext)');
    expect(summary(c, 'configmaps')).toMatch(/^configmaps: \d+ values — \d+ plaintext protobuf \(plaintext\), 1 secretbox\/box1 \(current\)$/);
    // Every value is listed with its key, provider, key name and verdict (the README's promise), never its data.
    expect(storedValues(c, 'default', ['s0-before', 's1-aescbc', 's2-aesgcm', 'cm2-secretbox'])).toEqual([
      ['/registry/configmaps/default/cm2-secretbox', 'configmaps', 'secretbox', 'box1', 'current'],
      ['/registry/secrets/default/s0-before', 'secrets', 'identity', 'protobuf', 'plaintext'],
      ['/registry/secrets/default/s1-aescbc', 'secrets', 'aescbc', 'key1', 'stale'],
      ['/registry/secrets/default/s2-aesgcm', 'secrets', 'aesgcm', 'key2', 'current'],
    ]);

    // Without key1, s1 cannot be read by kube-apiserver: unknown key. With other material named key1: undecryptable.
    const noKey1 = cfgFile('no-key1.yaml', config(`      - aesgcm:\n          keys: [{name: key2, secret: "${key2}"}]\n      - identity: {}`));
    c = await check(noKey1);
    expect(idsFor(c, 's1-aescbc')).toEqual(['etcd-value-unknown-key']);
    expect(storedValues(c, 'default', ['s1-aescbc'])).toEqual([['/registry/secrets/default/s1-aescbc', 'secrets', 'aescbc', 'key1', 'unknown-key']]);
    const wrongKey1 = cfgFile('wrong-key1.yaml', config(`      - aesgcm:\n          keys: [{name: key2, secret: "${key2}"}]\n      - aescbc:\n          keys: [{name: key1, secret: "${randomKey()}"}]\n      - identity: {}`));
    c = await check(wrongKey1);
    expect(idsFor(c, 's1-aescbc')).toEqual(['etcd-value-undecryptable']);
    expect(storedValues(c, 'default', ['s1-aescbc'])).toEqual([['/registry/secrets/default/s1-aescbc', 'secrets', 'aescbc', 'key1', 'undecryptable']]);

    // Without a configuration: classified by prefix; whether keys are current is not evaluated.
    const bare = await runCli(['etcd', 'check', '--endpoints', tb.etcd.endpoint, '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--format', 'json']);
    const bareReport = JSON.parse(bare.stdout) as { notEvaluated: { message: string }[] };
    expect(bareReport.notEvaluated.map((n) => n.message).sort()).toEqual([
      '1 secrets value encrypted with aescbc key key1: whether that is the write key is unknown without --encryption-config',
      '1 secrets value encrypted with aesgcm key key2: whether that is the write key is unknown without --encryption-config',
    ]);

    // Stage 3: rewrite every Secret and ConfigMap of every namespace (GET + PUT), as `kubectl replace` does.
    for (const res of ['secrets', 'configmaps']) {
      const list = (await mustKube(tb, 'GET', `/api/v1/${res}`)) as { items: { metadata: { name: string; namespace: string } }[] };
      for (const item of list.items) await mustKube(tb, 'PUT', `/api/v1/namespaces/${item.metadata.namespace}/${res}/${item.metadata.name}`, { ...item, apiVersion: 'v1', kind: res === 'secrets' ? 'Secret' : 'ConfigMap' });
    }
    c = await check(gcmCfg);
    for (const name of ['s0-before', 's1-aescbc', 's2-aesgcm', 'cm0-before', 'cm2-secretbox']) expect(idsFor(c, name), name).toEqual([]);
    expect(summary(c, 'secrets')).toBe('secrets: 3 values — 3 aesgcm/key2 (current)');
    expect(c.code).toBe(0);
  });

  it('reports etcd posture: TLS with client certificates is clean; a plaintext metrics listener is flagged', async () => {
    const r = await runCli(['etcd', 'check', '--endpoints', tb.etcd.endpoint, '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--metrics-urls', tb.etcd.metricsUrl ?? '', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string }[] };
    const ids = new Set(report.findings.map((f) => f.checkId));
    expect(ids.has('etcd-metrics-unauthenticated')).toBe(true);
    expect(ids.has('etcd-client-cert-auth-disabled')).toBe(false);
    expect(ids.has('etcd-client-plaintext')).toBe(false);
  });

  it('flags an etcd without client-certificate auth, and one on plain HTTP', { timeout: 60_000 }, async () => {
    const bins = findBinaries();
    if (!bins) throw new Error('no binaries');
    const dirA = mkdtempSync(join(tmpdir(), 'kspect-etcd-open-'));
    const dirB = mkdtempSync(join(tmpdir(), 'kspect-etcd-http-'));
    const open = await startEtcd(bins, dirA, new TestCA(dirA), { clientCertAuth: false, metricsListener: false });
    const http = await startEtcd(bins, dirB, new TestCA(dirB), { plaintext: true, metricsListener: false });
    try {
      const a = await runCli(['etcd', 'check', '--endpoints', open.endpoint, '--cacert', open.ca, '--cert', open.client.cert, '--key', open.client.key, '--format', 'json']);
      expect((JSON.parse(a.stdout) as { findings: { checkId: string }[] }).findings.map((f) => f.checkId)).toContain('etcd-client-cert-auth-disabled');
      expect(a.code).toBe(1);
      const b = await runCli(['etcd', 'check', '--endpoints', http.endpoint, '--format', 'json']);
      const ids = (JSON.parse(b.stdout) as { findings: { checkId: string }[] }).findings.map((f) => f.checkId);
      expect(ids).toContain('etcd-client-plaintext');
      expect(ids).toContain('etcd-client-cert-auth-disabled');
    } finally {
      await open.stop();
      await http.stop();
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });

  it('never prints a Secret value, in any format', async () => {
    const gcmCfg = cfgFile('gcm-formats.yaml', GCM);
    for (const format of FORMATS) {
      const r = await runCli(['etcd', 'check', '--endpoints', tb.etcd.endpoint, '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--encryption-config', gcmCfg, '--format', format]);
      expect([0, 1], `${format}: ${r.stderr}`).toContain(r.code);
      for (const out of [r.stdout, r.stderr]) {
        expect(out).not.toContain(PLANTED);
        expect(out).not.toContain(PLANTED_B64);
        expect(out).not.toContain(key1);
        expect(out).not.toContain(key2);
      }
    }
  });

  it('fails cleanly when etcd cannot be reached, and on a bad encryption config', async () => {
    const r = await runCli(['etcd', 'check', '--endpoints', 'https://127.0.0.1:1', '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read etcd/);
    expect(r.stderr.split('\n').filter((l) => l !== '').every((l) => !l.includes('    at '))).toBe(true);
    const bad = cfgFile('bad.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - aescbc: {keys: [{name: k, secret: "c2hvcnQ="}]}\n');
    const b = await runCli(['etcd', 'check', '--endpoints', tb.etcd.endpoint, '--cacert', tb.etcd.ca, '--cert', tb.etcd.client.cert, '--key', tb.etcd.client.key, '--encryption-config', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${bad}: resources[0].providers[0].aescbc.keys[0].secret: key "k" is 5 bytes; aescbc needs 16, 24 or 32`);
    expect(b.stderr).not.toContain('c2hvcnQ=');
    const u = await runCli(['etcd', 'check']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe('kspect: etcd check needs --endpoints URL (e.g. https://127.0.0.1:2379)\n');
  });
});
