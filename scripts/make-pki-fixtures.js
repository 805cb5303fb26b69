#!/usr/bin/env node
// Generates the YAML fixtures of the PKI checks (src/checks/<id>/fixtures/) with kspect's own issuing
// engine, at dates around the fixture clock (2026-06-01). Run after `npm run build`:
//   node scripts/make-pki-fixtures.js
// The keys in these fixtures are throwaway demo keys, generated here and used nowhere else.
import { Buffer } from 'node:buffer';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, issueCertificate, privateKeyPem } from '../dist/engines/x509/issue.js';

const env = { crypto: webcrypto, now: new Date('2026-06-01T00:00:00Z') };
const D = (s) => new Date(`${s}T00:00:00Z`);
const b64 = (s) => Buffer.from(s).toString('base64');
const ROOT = new URL('../src/checks/', import.meta.url).pathname;

async function ca(cn, from = '2026-01-01', to = '2036-01-01') {
  const keys = await generateKeyPair('ecdsa-p256', env);
  const issued = await issueCertificate({ subject: { cn }, role: 'ca', notBefore: D(from), notAfter: D(to) }, keys.publicKey, { selfKey: keys.privateKey }, env);
  return { ...issued, keys, signer: { cert: issued.cert, key: keys.privateKey } };
}

async function leaf(signer, spec, alg = 'ecdsa-p256') {
  const keys = await generateKeyPair(alg, env);
  const issued = await issueCertificate({ role: 'server', notBefore: D('2026-05-01'), notAfter: D('2027-04-01'), ...spec }, keys.publicKey, signer, env);
  return { ...issued, keyPem: await privateKeyPem(keys.privateKey, env) };
}

function tlsSecret(name, crt, key, caPem, ns = 'shop') {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'type: kubernetes.io/tls',
    'data:',
    `  tls.crt: ${b64(crt)}`,
    `  tls.key: ${b64(key)}`,
    ...(caPem ? [`  ca.crt: ${b64(caPem)}`] : []),
  ].join('\n');
}

function ingress(secret, ns = 'shop', hosts = ['web.example.com']) {
  return ['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', `  name: ${secret}`, `  namespace: ${ns}`, 'spec:', '  tls:', `    - hosts: [${hosts.join(', ')}]`, `      secretName: ${secret}`, '  rules: []'].join('\n');
}

function kubeconfig(name, caPem, crt, key) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'metadata:',
    `  name: ${name}`,
    'clusters:',
    '  - name: prod',
    '    cluster:',
    '      server: https://10.0.0.1:6443',
    `      certificate-authority-data: ${b64(caPem)}`,
    'users:',
    `  - name: ${name}`,
    '    user:',
    `      client-certificate-data: ${b64(crt)}`,
    `      client-key-data: ${b64(key)}`,
    'contexts:',
    `  - name: ${name}@prod`,
    '    context:',
    '      cluster: prod',
    `      user: ${name}`,
    `current-context: ${name}@prod`,
  ].join('\n');
}

const files = {};
const put = (check, kind, name, text) => {
  (files[check] ??= []).push({ kind, name, text });
};

const root = await ca('shop-ca');
const other = await ca('other-ca');
const good = await leaf(root.signer, { subject: { cn: 'web.example.com' }, sans: [{ type: 'dns', value: 'web.example.com' }] });
const sound = `${tlsSecret('web', good.certPem, good.keyPem, root.certPem)}\n---\n${ingress('web')}\n`;
const soundClient = await leaf(root.signer, { role: 'client', subject: { cn: 'jane', o: ['developers'] } });
const soundKubeconfig = `${kubeconfig('jane', root.certPem, soundClient.certPem, soundClient.keyPem)}\n`;

const CHECKS = ['tls-hostname-mismatch', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring', 'cert-weak-key', 'cert-weak-signature', 'cert-no-san', 'cert-wildcard-san', 'cert-key-usage', 'cert-ca-as-leaf', 'cert-leaf-can-sign', 'cert-chain-unverified', 'pki-key-mismatch', 'cert-identity', 'cert-system-masters', 'cert-ca-validity-long', 'cert-validity-long', 'cert-unknown-critical-extension', 'cert-invalid'];
for (const c of CHECKS) {
  put(c, 'pass', 'secret-sound.yaml', sound);
  if (c !== 'cert-identity') put(c, 'pass', 'kubeconfig-sound.yaml', soundKubeconfig);
}

const X = (check, path = 'data["tls.crt"]', obj = 'Secret/shop/web') => `# expect: ${check} ${obj} ${path}\n`;
const secretCase = async (check, name, spec, opts = {}) => {
  const l = await leaf(opts.signer ?? root.signer, { subject: { cn: 'web.example.com' }, sans: [{ type: 'dns', value: 'web.example.com' }], ...spec }, opts.alg);
  const key = opts.key ?? l.keyPem;
  const text = `${(opts.expect ?? [X(check)]).join('')}${tlsSecret('web', l.certPem, key, opts.caPem === undefined ? root.certPem : opts.caPem)}\n---\n${ingress('web')}\n`;
  put(check, 'fail', name, text);
};

await secretCase('cert-expired', 'secret-expired.yaml', { notBefore: D('2025-05-01'), notAfter: D('2026-05-01') });
await secretCase('cert-not-yet-valid', 'secret-not-yet-valid.yaml', { notBefore: D('2026-07-01'), notAfter: D('2027-01-01') });
await secretCase('cert-expiring', 'secret-expires-in-two-weeks.yaml', { notAfter: D('2026-06-15') });
await secretCase('cert-weak-key', 'secret-rsa-1024.yaml', {}, { alg: 'rsa-1024' });
await secretCase('cert-weak-signature', 'secret-sha1-signature.yaml', { hash: 'SHA-1' });
await secretCase('cert-no-san', 'secret-served-without-san.yaml', { sans: [] });
await secretCase('cert-wildcard-san', 'secret-inner-wildcard.yaml', { sans: [{ type: 'dns', value: 'a.*.example.com' }] });
await secretCase('cert-wildcard-san', 'secret-tld-wildcard.yaml', { sans: [{ type: 'dns', value: '*.com' }] });
await secretCase('cert-key-usage', 'secret-served-client-only-eku.yaml', { extKeyUsage: ['clientAuth'] });
await secretCase('cert-ca-as-leaf', 'secret-ca-certificate.yaml', { isCA: true, keyUsage: ['digitalSignature', 'keyCertSign'] }, { expect: [X('cert-ca-as-leaf')] });
await secretCase('cert-leaf-can-sign', 'secret-leaf-with-keycertsign.yaml', { keyUsage: ['digitalSignature', 'keyCertSign'] });
await secretCase('cert-chain-unverified', 'secret-signed-by-another-ca.yaml', {}, { caPem: other.certPem });
await secretCase('cert-validity-long', 'secret-three-years.yaml', { notAfter: D('2029-05-01') });
await secretCase('cert-unknown-critical-extension', 'secret-odd-critical-extension.yaml', { extra: [{ oid: '1.3.6.1.4.1.55555.1', critical: true, value: new Uint8Array([0x05, 0x00]) }] });
{
  const l = await leaf(root.signer, { subject: { cn: 'web.example.com' }, sans: [{ type: 'dns', value: 'web.example.com' }] });
  const wrong = await leaf(root.signer, { subject: { cn: 'other' } });
  put('pki-key-mismatch', 'fail', 'secret-key-of-another-certificate.yaml', `${X('pki-key-mismatch', 'data["tls.key"]')}${tlsSecret('web', l.certPem, wrong.keyPem, root.certPem)}\n`);
}
{
  // An intermediate missing from tls.crt: the chain cannot be built to ca.crt.
  const midKeys = await generateKeyPair('ecdsa-p256', env);
  const mid = await issueCertificate({ subject: { cn: 'shop-intermediate' }, role: 'ca', notBefore: D('2026-01-01'), notAfter: D('2031-01-01') }, midKeys.publicKey, root.signer, env);
  const l = await leaf({ cert: mid.cert, key: midKeys.privateKey }, { subject: { cn: 'web.example.com' }, sans: [{ type: 'dns', value: 'web.example.com' }] });
  put('cert-chain-unverified', 'fail', 'secret-intermediate-missing.yaml', `${X('cert-chain-unverified')}${tlsSecret('web', l.certPem, l.keyPem, root.certPem)}\n`);
  put('cert-chain-unverified', 'pass', 'secret-with-intermediate.yaml', `${tlsSecret('web', l.certPem + mid.certPem, l.keyPem, root.certPem)}\n`);
}
{
  const admin = await leaf(root.signer, { role: 'client', subject: { cn: 'admin', o: ['system:masters'] } });
  const text = kubeconfig('admin', root.certPem, admin.certPem, admin.keyPem);
  put('cert-system-masters', 'fail', 'kubeconfig-system-masters.yaml', `# expect: cert-system-masters Config/admin users[0].user.client-certificate-data\n${text}\n`);
  put('cert-identity', 'fail', 'kubeconfig-client.yaml', `# expect: cert-identity Config/admin users[0].user.client-certificate-data\n${text}\n`);
  const { createCsr } = await import('../dist/engines/x509/issue.js');
  const keys = await generateKeyPair('ecdsa-p256', env);
  const csr = await createCsr({ subject: { cn: 'mallory', o: ['system:masters'] } }, keys, env);
  const csrObj = ['apiVersion: certificates.k8s.io/v1', 'kind: CertificateSigningRequest', 'metadata:', '  name: mallory', 'spec:', '  signerName: kubernetes.io/kube-apiserver-client', '  usages: [client auth]', `  request: ${b64(csr)}`].join('\n');
  put('cert-system-masters', 'fail', 'csr-system-masters.yaml', `# expect: cert-system-masters CertificateSigningRequest/mallory spec.request\n${csrObj}\n`);
}
{
  const longCa = await ca('forever-ca', '2026-01-01', '2056-01-01');
  const c = await leaf(longCa.signer, { role: 'client', subject: { cn: 'ops', o: ['ops'] } });
  put('cert-ca-validity-long', 'fail', 'kubeconfig-thirty-year-ca.yaml', `# expect: cert-ca-validity-long Config/ops clusters[0].cluster.certificate-authority-data\n${kubeconfig('ops', longCa.certPem, c.certPem, c.keyPem)}\n`);
}
{
  const l = await leaf(root.signer, { subject: { cn: 'web.example.com' }, sans: [{ type: 'dns', value: 'web.example.com' }, { type: 'dns', value: '*.apps.example.com' }] });
  put('tls-hostname-mismatch', 'pass', 'ingress-wildcard-host.yaml', `${tlsSecret('web', l.certPem, l.keyPem, root.certPem)}\n---\n${ingress('web', 'shop', ['web.example.com', 'shop.apps.example.com'])}\n`);
  put('tls-hostname-mismatch', 'fail', 'ingress-host-not-in-certificate.yaml', `${X('tls-hostname-mismatch')}${tlsSecret('web', l.certPem, l.keyPem, root.certPem)}\n---\n${ingress('web', 'shop', ['web.example.com', 'shop.example.com', 'a.b.apps.example.com'])}\n`);
}
put(
  'cert-invalid',
  'fail',
  'secret-garbage-certificate.yaml',
  `# expect: cert-invalid Secret/shop/web data["tls.crt"]\n${tlsSecret('web', '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n', good.keyPem, root.certPem)}\n`,
);

for (const [check, list] of Object.entries(files)) {
  for (const kind of ['pass', 'fail']) {
    const dir = join(ROOT, check, 'fixtures', kind);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (const f of list) writeFileSync(join(ROOT, check, 'fixtures', f.kind, f.name), `# Generated by scripts/make-pki-fixtures.js; demo keys only.\n${f.text}`);
}
console.log(`wrote fixtures for ${Object.keys(files).length} checks`);
void readdirSync;
