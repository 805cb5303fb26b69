/**
 * Proof against real openssl: certificates made by `openssl` with each defect of the PKI checks are
 * each detected by kspect (exactly that check), sound ones produce no finding; everything kspect
 * issues verifies with `openssl verify` and `openssl x509 -text` shows what kspect reports.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPki } from '../src/api/pki.js';
import type { Report } from '../src/core/report.js';
import { caSign, openssl, tempDir } from './support/openssl.js';

const tmp = tempDir('kspect-openssl-');
afterAll(() => { tmp.cleanup(); });
const T = tmp.dir;

/** Run every PKI check over inputs, as `kspect pki check` does. */
export async function runPki(inputs: readonly string[], ca?: string, cwd = T): Promise<Report> {
  const NOW = new Date(Date.now() + 2000); // openssl's notBefore is the second it signed
  return checkPki({ inputs, ...(ca !== undefined ? { ca } : {}), cwd, probe: { timeoutMs: 3000 }, now: NOW, toolVersion: 'test' });
}

/** Check ids found (info-level identity listing left out unless asked). */
function ids(r: Report, withInfo = false): string[] {
  return [...new Set(r.findings.filter((f) => withInfo || f.severity !== 'info').map((f) => f.checkId))].sort();
}

interface LeafOptions {
  key?: string[];
  subj?: string;
  ext?: string;
  md?: string;
  days?: number;
  start?: string;
  end?: string;
  ca?: string;
}

const SERVER_EXT = 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:web.example.com';

/** Make `dir/name.crt` and `dir/name.key` with openssl, signed by the test root (or `ca`). */
function leaf(dir: string, name: string, o: LeafOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, name);
  openssl(['genpkey', ...(o.key ?? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']), '-out', `${base}.key`]);
  chmodSync(`${base}.key`, 0o600);
  openssl(['req', '-new', '-key', `${base}.key`, '-subj', o.subj ?? '/CN=web.example.com', '-out', `${base}.csr`]);
  const extFile = `${base}.ext`;
  writeFileSync(extFile, `[ext]\n${o.ext ?? SERVER_EXT}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n`);
  const ca = o.ca ?? join(T, 'root');
  if (o.start !== undefined && o.end !== undefined) {
    caSign(T, { csr: `${base}.csr`, out: `${base}.crt`, caCert: `${ca}.crt`, caKey: `${ca}.key`, start: o.start, end: o.end, extFile, ext: 'ext', ...(o.md !== undefined ? { md: o.md } : {}) });
  } else {
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', `0x${Math.floor(Math.random() * 1e12).toString(16)}`, '-days', String(o.days ?? 365), `-${o.md ?? 'sha256'}`, '-extfile', extFile, '-extensions', 'ext', '-out', `${base}.crt`]);
  }
  return `${base}.crt`;
}

function rootCa(name: string, days = 3650, subj = `/CN=${name}`): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, `${name}.key`), '-out', join(T, `${name}.crt`), '-subj', subj, '-days', String(days), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
}

beforeAll(() => {
  rootCa('root');
  rootCa('other');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(T, 'rsaroot.key'), '-out', join(T, 'rsaroot.crt'), '-subj', '/CN=rsa-root', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  // An intermediate CA signed by the root.
  leaf(T, 'mid', { subj: '/CN=test-intermediate', ext: 'basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign, digitalSignature', days: 1800 });
});

const CLIENT_EXT = 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth';

/** Each case: a folder made by openssl, and the exact checks that must fire (none for sound ones). */
const CASES: readonly { name: string; make: (dir: string) => void; expect: string[]; info?: boolean }[] = [
  { name: 'sound server certificate', make: (d) => leaf(d, 'web'), expect: [] },
  { name: 'sound RSA 2048 server certificate', make: (d) => leaf(d, 'web', { key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] }), expect: [] },
  { name: 'sound client certificate (identity listed)', make: (d) => leaf(d, 'jane', { subj: '/O=developers/CN=jane', ext: CLIENT_EXT }), expect: ['cert-identity'], info: true },
  { name: 'expired', make: (d) => leaf(d, 'web', { start: '20200101000000Z', end: '20210101000000Z' }), expect: ['cert-expired'] },
  { name: 'not yet valid', make: (d) => leaf(d, 'web', { start: '20990101000000Z', end: '20991231000000Z' }), expect: ['cert-not-yet-valid'] },
  { name: 'expiring in 10 days', make: (d) => leaf(d, 'web', { days: 10 }), expect: ['cert-expiring'] },
  { name: 'RSA 1024 key', make: (d) => leaf(d, 'web', { key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'] }), expect: ['cert-weak-key'] },
  { name: 'EC P-192 key', make: (d) => leaf(d, 'web', { key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime192v1'] }), expect: ['cert-weak-key'] },
  { name: 'SHA-1 signature', make: (d) => leaf(d, 'web', { md: 'sha1' }), expect: ['cert-weak-signature'] },
  {
    // ECDSA has no MD5 variant: an RSA CA signs this one.
    name: 'MD5 signature',
    make: (d) => {
      leaf(d, 'web', { md: 'md5', ca: join(T, 'rsaroot') });
      writeFileSync(join(d, 'rsaroot.crt'), readFileSync(join(T, 'rsaroot.crt')));
    },
    expect: ['cert-weak-signature'],
  },
  { name: 'server certificate without SANs', make: (d) => leaf(d, 'web', { ext: SERVER_EXT.replace(/\nsubjectAltName.*/, '') }), expect: ['cert-no-san'] },
  { name: 'wildcards not a single leftmost label', make: (d) => leaf(d, 'web', { ext: SERVER_EXT.replace('DNS:web.example.com', 'DNS:*.com, DNS:f*o.example.com') }), expect: ['cert-wildcard-san'] },
  { name: 'etcd peer without clientAuth', make: (d) => leaf(join(d, 'etcd'), 'peer', { ext: SERVER_EXT.replace('DNS:web.example.com', 'DNS:node1, IP:10.0.0.5') }), expect: ['cert-key-usage'] },
  { name: 'CA certificate as a client leaf', make: (d) => leaf(d, 'front-proxy-client', { subj: '/CN=front-proxy-client', ext: 'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, digitalSignature, keyCertSign\nextendedKeyUsage = clientAuth' }), expect: ['cert-ca-as-leaf'] },
  { name: 'leaf with keyCertSign', make: (d) => leaf(d, 'web', { ext: SERVER_EXT.replace('digitalSignature, keyEncipherment', 'digitalSignature, keyCertSign') }), expect: ['cert-leaf-can-sign'] },
  { name: 'signed by an intermediate that is missing', make: (d) => leaf(d, 'web', { ca: join(T, 'mid') }), expect: ['cert-chain-unverified'] },
  {
    name: 'signed by an intermediate that is present',
    make: (d) => {
      leaf(d, 'web', { ca: join(T, 'mid') });
      writeFileSync(join(d, 'mid-bundle.pem'), readFileSync(join(T, 'mid.crt')));
    },
    expect: [],
  },
  { name: 'signed by an untrusted CA', make: (d) => leaf(d, 'web', { ca: join(T, 'other') }), expect: ['cert-chain-unverified'] },
  {
    name: 'private key of another certificate',
    make: (d) => {
      leaf(d, 'web');
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(d, 'web.key')]);
      chmodSync(join(d, 'web.key'), 0o600);
    },
    expect: ['pki-key-mismatch'],
  },
  {
    name: 'private key readable by others',
    make: (d) => {
      leaf(d, 'web');
      chmodSync(join(d, 'web.key'), 0o644);
    },
    expect: ['pki-key-permissions'],
  },
  { name: 'client certificate in system:masters', make: (d) => leaf(d, 'admin', { subj: '/O=system:masters/CN=kubernetes-admin', ext: CLIENT_EXT }), expect: ['cert-identity', 'cert-system-masters'], info: true },
  {
    name: 'CA valid for 30 years',
    make: (d) => {
      mkdirSync(d, { recursive: true });
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(d, 'ca.key'), '-out', join(d, 'ca.crt'), '-subj', '/CN=forever', '-days', '10950', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    },
    expect: ['cert-ca-validity-long'],
  },
  { name: 'leaf valid for 1000 days', make: (d) => leaf(d, 'web', { days: 1000 }), expect: ['cert-validity-long'] },
  { name: 'unknown critical extension', make: (d) => leaf(d, 'web', { ext: `${SERVER_EXT}\n1.3.6.1.4.1.55555.7 = critical, ASN1:NULL` }), expect: ['cert-unknown-critical-extension'] },
  { name: 'API server certificate without the service names', make: (d) => leaf(d, 'apiserver', { subj: '/CN=kube-apiserver', ext: SERVER_EXT.replace('DNS:web.example.com', 'DNS:kubernetes, IP:10.96.0.1') }), expect: ['pki-apiserver-sans'] },
  {
    name: 'kubeadm-like API server certificate',
    make: (d) => leaf(d, 'apiserver', { subj: '/CN=kube-apiserver', ext: SERVER_EXT.replace('DNS:web.example.com', 'DNS:node1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:10.96.0.1, IP:192.168.0.10') }),
    expect: [],
  },
  { name: 'etcd server certificate without localhost', make: (d) => leaf(join(d, 'etcd'), 'server', { subj: '/CN=node1', ext: SERVER_EXT.replace('serverAuth', 'serverAuth, clientAuth').replace('DNS:web.example.com', 'DNS:node1, IP:10.0.0.5') }), expect: ['pki-etcd-sans'] },
  {
    name: 'service-account keys that do not match',
    make: (d) => {
      mkdirSync(d, { recursive: true });
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(d, 'sa.key')]);
      chmodSync(join(d, 'sa.key'), 0o600);
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(d, 'other.pem')]);
      openssl(['pkey', '-in', join(d, 'other.pem'), '-pubout', '-out', join(d, 'sa.pub')]);
      chmodSync(join(d, 'other.pem'), 0o600);
    },
    expect: ['pki-sa-key-mismatch'],
  },
  {
    name: 'service-account keys that match',
    make: (d) => {
      mkdirSync(d, { recursive: true });
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(d, 'sa.key')]);
      chmodSync(join(d, 'sa.key'), 0o600);
      openssl(['pkey', '-in', join(d, 'sa.key'), '-pubout', '-out', join(d, 'sa.pub')]);
    },
    expect: [],
  },
];

describe('certificates made by openssl', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.expect.length > 0 ? c.expect.join(', ') : 'no finding'}`, async () => {
      const dir = join(T, c.name.replace(/\W+/g, '-'));
      c.make(dir);
      const r = await runPki([dir, join(T, 'root.crt')]);
      expect(r.problems).toEqual([]);
      expect(ids(r, c.info ?? false)).toEqual(c.expect);
    });
  }

  it('an encrypted key is recognised, never decrypted: its match is not evaluated', async () => {
    const dir = join(T, 'encrypted');
    leaf(dir, 'web');
    openssl(['pkey', '-in', join(dir, 'web.key'), '-aes256', '-passout', 'pass:secret', '-out', join(dir, 'web.enc')]);
    renameSync(join(dir, 'web.enc'), join(dir, 'web.key'));
    chmodSync(join(dir, 'web.key'), 0o600);
    expect(readFileSync(join(dir, 'web.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    const r = await runPki([dir, join(T, 'root.crt')]);
    expect(ids(r)).toEqual([]);
    expect(r.notEvaluated.map((n) => n.checkId)).toContain('pki-key-mismatch');
  });

  it('legacy OpenSSL-encrypted PKCS#1 keys (Proc-Type) are recognised too', async () => {
    const dir = join(T, 'legacy-encrypted');
    leaf(dir, 'web', { key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] });
    openssl(['rsa', '-in', join(dir, 'web.key'), '-aes128', '-traditional', '-passout', 'pass:secret', '-out', join(dir, 'web.enc')]);
    renameSync(join(dir, 'web.enc'), join(dir, 'web.key'));
    expect(readFileSync(join(dir, 'web.key'), 'utf8')).toContain('Proc-Type: 4,ENCRYPTED');
    const r = await runPki([dir, join(T, 'root.crt')]);
    expect(r.problems).toEqual([]);
    expect(r.notEvaluated.map((n) => n.checkId)).toContain('pki-key-mismatch');
  });

  it('--ca: chains verify against the given bundle only', async () => {
    const dir = join(T, 'with-ca');
    leaf(dir, 'web', { ca: join(T, 'mid') });
    writeFileSync(join(dir, 'mid.pem'), readFileSync(join(T, 'mid.crt')));
    expect(ids(await runPki([dir], join(T, 'root.crt')))).toEqual([]);
    expect(ids(await runPki([dir], join(T, 'other.crt')))).toEqual(['cert-chain-unverified']);
  });

  it('a kubeconfig with referenced certificate files, as kubeadm writes admin.conf', async () => {
    const dir = join(T, 'kubeconfig');
    leaf(dir, 'admin', { subj: '/O=system:masters/CN=kubernetes-admin', ext: CLIENT_EXT });
    const caB64 = readFileSync(join(T, 'root.crt')).toString('base64');
    writeFileSync(
      join(dir, 'admin.conf'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: ${caB64}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate: admin.crt\n    client-key: admin.key\ncontexts:\n- name: a\n  context: {cluster: k, user: kubernetes-admin}\n`,
    );
    const r = await runPki([join(dir, 'admin.conf')]);
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual(['cert-system-masters']);
    const admin = r.pki?.certificates.find((c) => c.identity);
    expect(admin?.identity).toEqual({ user: 'kubernetes-admin', groups: ['system:masters'] });
    expect(admin?.role).toBe('client');
  });

  it('what kspect reports about a certificate is what openssl x509 -text shows', async () => {
    const dir = join(T, 'text');
    const crt = leaf(dir, 'web', { subj: '/C=DE/O=shop/OU=web/CN=web.example.com', ext: SERVER_EXT.replace('DNS:web.example.com', 'DNS:web.example.com, IP:10.1.2.3') });
    const r = await runPki([crt]);
    const c = r.pki?.certificates[0];
    const text = openssl(['x509', '-in', crt, '-noout', '-text', '-nameopt', 'RFC2253']);
    const serial = openssl(['x509', '-in', crt, '-noout', '-serial']).trim().split('=')[1]?.toLowerCase();
    expect(c?.serial.replace(/^0+/, '')).toBe(serial?.replace(/^0+/, ''));
    expect(text).toContain('DNS:web.example.com, IP Address:10.1.2.3');
    expect(c?.sans).toEqual(['DNS:web.example.com', 'IP:10.1.2.3']);
    expect(text).toContain('Subject: CN=web.example.com,OU=web,O=shop,C=DE');
    expect(c?.subject).toBe('C=DE, O=shop, OU=web, CN=web.example.com');
    const end = /Not After : (.*)/.exec(text)?.[1] ?? '';
    expect(new Date(end).toISOString()).toBe(c?.notAfter);
    expect(text).toContain('Digital Signature, Key Encipherment');
    expect(c?.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(text).toContain('TLS Web Server Authentication');
    expect(c?.extKeyUsage).toEqual(['serverAuth']);
  });
});
