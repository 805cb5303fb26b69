/**
 * `kspect pki` end to end (the built binary): issuing verified by openssl, check output in every
 * format, private keys never printed, bad input answered with one clear line and exit code 2.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { openssl, opensslStatus, tempDir } from './support/openssl.js';
import { FORMATS } from '../src/reporters/index.js';

const tmp = tempDir('kspect-pki-cli-');
const T = tmp.dir;
afterAll(() => { tmp.cleanup(); });
const pki = (...args: string[]) => runCli(['pki', ...args], { cwd: T });

/** The base64 body of a PEM private key, as it would appear if leaked (any 40-char run of it). */
function keyBodies(file: string): string[] {
  const pem = readFileSync(file, 'utf8');
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return [b64.slice(0, 40), b64.slice(Math.floor(b64.length / 2), Math.floor(b64.length / 2) + 40), Buffer.from(pem).toString('base64').slice(20, 60)];
}

beforeAll(async () => {
  const r = await pki('init', 'pki');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

describe('kspect pki init / issue / csr / sign, verified by openssl', () => {
  it('init writes the three CAs in kubeadm layout, keys with mode 600', () => {
    for (const f of ['ca', 'etcd/ca', 'front-proxy-ca']) {
      expect(statSync(join(T, 'pki', `${f}.key`)).mode & 0o777).toBe(0o600);
      expect(openssl(['verify', '-CAfile', join(T, 'pki', `${f}.crt`), join(T, 'pki', `${f}.crt`)])).toContain('OK');
      const text = openssl(['x509', '-in', join(T, 'pki', `${f}.crt`), '-noout', '-text']);
      expect(text).toMatch(/CA:TRUE/);
      expect(text).toContain('Certificate Sign, CRL Sign');
    }
    expect(openssl(['x509', '-in', join(T, 'pki', 'etcd/ca.crt'), '-noout', '-subject'])).toContain('CN = etcd-ca');
  });

  it('init never overwrites', async () => {
    const r = await pki('init', 'pki');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kspect: cannot write .*ca\.key: it exists/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  for (const [role, purpose, eku] of [
    ['server', 'sslserver', 'TLS Web Server Authentication'],
    ['client', 'sslclient', 'TLS Web Client Authentication'],
    ['peer', 'sslserver', 'TLS Web Server Authentication, TLS Web Client Authentication'],
  ] as const) {
    it(`issue --role ${role}: openssl verifies it and shows exactly what kspect reports`, async () => {
      const r = await pki('issue', '--ca', 'pki/ca', '--role', role, '--cn', `my-${role}`, '--o', 'team-a', '--o', 'team-b', '--san', 'DNS:svc.example.com', '--san', 'IP:10.0.0.7', '--days', '90', '--key', role === 'client' ? 'rsa-2048' : 'ecdsa-p256', '--out', `out/${role}`, '--format', 'json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const crt = join(T, 'out', `${role}.crt`);
      expect(statSync(join(T, 'out', `${role}.key`)).mode & 0o777).toBe(0o600);
      expect(openssl(['verify', '-CAfile', join(T, 'pki/ca.crt'), '-purpose', purpose, crt])).toContain('OK');
      const c = (JSON.parse(r.stdout) as { certificates: { subject: string; sans: string[]; serial: string; notBefore: string; notAfter: string; keyUsage: string[]; extKeyUsage: string[] }[] }).certificates[0];
      if (!c) throw new Error('no certificate in output');
      const text = openssl(['x509', '-in', crt, '-noout', '-text']);
      expect(text).toContain(eku);
      expect(text).toContain('DNS:svc.example.com, IP Address:10.0.0.7');
      expect(c.sans).toEqual(['DNS:svc.example.com', 'IP:10.0.0.7']);
      expect(openssl(['x509', '-in', crt, '-noout', '-subject', '-nameopt', 'RFC2253']).trim()).toBe(`subject=CN=my-${role},O=team-b,O=team-a`);
      expect(c.subject).toBe(`O=team-a, O=team-b, CN=my-${role}`);
      expect(openssl(['x509', '-in', crt, '-noout', '-serial']).trim().toLowerCase()).toBe(`serial=${c.serial}`);
      expect(c.serial).toMatch(/^[0-9a-f]{32}$/);
      const dates = openssl(['x509', '-in', crt, '-noout', '-startdate', '-enddate']);
      expect(new Date(/notBefore=(.*)/.exec(dates)?.[1] ?? '').toISOString()).toBe(c.notBefore);
      expect(new Date(/notAfter=(.*)/.exec(dates)?.[1] ?? '').toISOString()).toBe(c.notAfter);
      expect(text).toContain(role === 'client' ? 'Digital Signature, Key Encipherment' : 'Digital Signature');
      expect(text).toContain('X509v3 Subject Key Identifier');
      expect(text).toContain('X509v3 Authority Key Identifier');
      expect(text).toMatch(/CA:FALSE/);
    });
  }

  it('csr carries every DN field and the SANs; sign turns it into a verified client certificate', async () => {
    const r = await pki('csr', '--cn', 'jane', '--o', 'developers', '--ou', 'platform', '--c', 'DE', '--st', 'Berlin', '--l', 'Berlin', '--email', 'jane@example.com', '--san', 'DNS:jane.example.com', '--out', 'jane');
    expect(r.code).toBe(0);
    expect(statSync(join(T, 'jane.key')).mode & 0o777).toBe(0o600);
    const text = openssl(['req', '-in', join(T, 'jane.csr'), '-noout', '-text', '-verify']);
    expect(text).toMatch(/C ?= ?DE, ST ?= ?Berlin, L ?= ?Berlin, O ?= ?developers, OU ?= ?platform, CN ?= ?jane, emailAddress ?= ?jane@example.com/);
    expect(text).toContain('DNS:jane.example.com');
    const s = await pki('sign', 'jane.csr', '--ca', 'pki/ca', '--role', 'client', '--out', 'jane');
    expect(s.code).toBe(0);
    expect(openssl(['verify', '-CAfile', join(T, 'pki/ca.crt'), '-purpose', 'sslclient', join(T, 'jane.crt')])).toContain('OK');
  });

  it('sign refuses system:masters and CA:TRUE unless --force', async () => {
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'm.key'), '-subj', '/O=system:masters/CN=mallory', '-out', join(T, 'm.csr')]);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'ca2.key'), '-subj', '/CN=sub-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-out', join(T, 'ca2.csr')]);
    for (const csr of ['m.csr', 'ca2.csr']) {
      const r = await pki('sign', csr, '--ca', 'pki/ca', '--role', 'client', '--out', csr.replace('.csr', ''));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^kspect: .*refused: .*(system:masters|CA:TRUE).*--force/);
      expect(existsSync(join(T, csr.replace('.csr', '.crt')))).toBe(false);
    }
    const forced = await pki('sign', 'm.csr', '--ca', 'pki/ca', '--role', 'client', '--force', '--out', 'm');
    expect(forced.code).toBe(0);
    expect(openssl(['verify', '-CAfile', join(T, 'pki/ca.crt'), join(T, 'm.crt')])).toContain('OK');
  });

  it('flag mistakes are one-line usage errors with exit code 2', async () => {
    for (const args of [
      ['issue', '--ca', 'pki/ca', '--role', 'boss', '--cn', 'x', '--out', 'x'],
      ['issue', '--ca', 'pki/ca', '--role', 'server', '--cn', 'x', '--out', 'x', '--san', 'host:x'],
      ['issue', '--ca', 'nowhere/ca', '--role', 'server', '--cn', 'x', '--out', 'x'],
      ['issue', '--ca', 'pki/ca', '--role', 'server', '--cn', 'x', '--out', 'x', '--key', 'dsa-512'],
      ['check'],
      ['frobnicate'],
    ]) {
      const r = await pki(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kspect: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await pki('--help')).code).toBe(0);
    for (const sub of ['check', 'init', 'issue', 'csr', 'sign']) expect((await pki(sub, '--help')).stdout).toContain(`kspect pki ${sub}`);
  });
});

describe('kspect pki check', () => {
  it('table like kubeadm certs check-expiration, then the findings; exit 1 for system:masters', async () => {
    await pki('issue', '--ca', 'pki/ca', '--role', 'client', '--cn', 'kubernetes-admin', '--o', 'system:masters', '--force', '--out', 'pki/admin');
    const r = await pki('check', 'pki');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^CERTIFICATE\s+SUBJECT\s+IDENTITY\s+EXPIRES\s+RESIDUAL TIME\s+ISSUER\s+ROLE/);
    expect(r.stdout).toMatch(/pki\/admin\.crt\s+kubernetes-admin\s+kubernetes-admin \[system:masters\]/);
    expect(r.stdout).toMatch(/pki\/etcd\/ca\.crt\s+etcd-ca\s+.*9y 364d\s+etcd-ca\s+ca \(etcd-ca\)/);
    expect(r.stdout).toContain('cert-system-masters');
  });

  it('every format renders the same report; json carries the certificate table', async () => {
    for (const f of FORMATS) {
      const r = await pki('check', 'pki', '--format', f);
      expect(r.code, f).toBe(1);
      expect(r.stderr, f).toBe('');
      expect(r.stdout, f).toContain('cert-system-masters');
    }
    const j = JSON.parse((await pki('check', 'pki', '-f', 'json')).stdout) as { pki: { certificates: { certificate: string }[]; anchors: string } };
    expect(j.pki.certificates.map((c) => c.certificate)).toContain('pki/admin.crt');
    expect(j.pki.anchors).toBe('inputs');
  });

  it('private keys never appear in any output (files, kubeconfig data, TLS Secrets; check and scan)', async () => {
    const d = join(T, 'leak');
    mkdirSync(d, { recursive: true });
    await pki('issue', '--ca', 'pki/ca', '--role', 'client', '--cn', 'leaky', '--out', 'leak/leaky');
    const key = readFileSync(join(d, 'leaky.key'), 'utf8');
    const crt = readFileSync(join(d, 'leaky.crt'), 'utf8');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    writeFileSync(join(d, 'kubeconfig.yaml'), `apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: leaky\n  user:\n    client-certificate-data: ${b64(crt)}\n    client-key-data: ${b64(key)}\n`);
    writeFileSync(join(d, 'secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: leaky, namespace: default}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(crt)}\n  tls.key: ${b64(key)}\n`);
    writeFileSync(join(d, 'broken.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: broken, namespace: default}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(key)}\n  tls.key: ${b64(key)}\n`);
    const secrets = keyBodies(join(d, 'leaky.key'));
    const outputs: string[] = [];
    for (const f of FORMATS) {
      for (const args of [['check', 'leak', '-f', f], ['check', 'leak/kubeconfig.yaml', '-f', f]]) {
        const r = await pki(...args);
        outputs.push(r.stdout, r.stderr);
      }
      const s = await runCli(['scan', 'leak', '-f', f], { cwd: T });
      outputs.push(s.stdout, s.stderr);
    }
    expect(outputs.join('').length).toBeGreaterThan(1000);
    for (const out of outputs) for (const s of secrets) expect(out).not.toContain(s);
    // And the scan did look at them: the key in tls.crt is reported as unreadable certificate data.
    const scan = await runCli(['scan', 'leak', '-f', 'json'], { cwd: T });
    expect(scan.stdout).toContain('cert-invalid');
  });
});

describe('kspect explain on PKI checks', () => {
  it('shows the examples without their keys (base64 of "-----BEGIN … PRIVATE KEY" never printed)', async () => {
    for (const id of ['pki-key-mismatch', 'cert-system-masters', 'cert-chain-unverified']) {
      const r = await runCli(['explain', id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('not shown');
      expect(r.stdout).not.toMatch(/LS0tLS1CRUdJTi[A-Za-z0-9+/]*UFJJVkFURSBLRVkt|PRIVATE KEY/);
    }
  });
});

describe('bad input: clear errors or findings, never a crash', () => {
  const BAD = join(T, 'bad');
  beforeAll(() => {
    mkdirSync(BAD, { recursive: true });
    const pem = readFileSync(join(T, 'pki/ca.crt'), 'utf8');
    writeFileSync(join(BAD, 'truncated.crt'), pem.slice(0, Math.floor(pem.length / 2)));
    writeFileSync(join(BAD, 'garbage.der'), randomBytes(512));
    writeFileSync(join(BAD, 'garbage-seq.der'), Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), randomBytes(256)]));
    writeFileSync(join(BAD, 'bad-base64.pem'), '-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n');
    writeFileSync(join(BAD, 'empty.pem'), '');
  });

  for (const [file, pattern] of [
    ['truncated.crt', /^kspect: bad\/truncated\.crt:1: PEM block "CERTIFICATE" is truncated/],
    ['garbage.der', /^kspect: bad\/garbage\.der: neither PEM nor DER/],
    ['garbage-seq.der', /^kspect: bad\/garbage-seq\.der: DER data is not a certificate, private key, public key or CSR/],
    ['bad-base64.pem', /^kspect: bad\/bad-base64\.pem:1: PEM block "CERTIFICATE" has a line that is not base64/],
    ['empty.pem', /^kspect: bad\/empty\.pem: empty/],
  ] as const) {
    it(`${file}: one line naming the file, exit 2`, async () => {
      const r = await pki('check', `bad/${file}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('the rest of the input is still processed', async () => {
    const r = await pki('check', 'bad', 'pki', '-f', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(5);
    expect((JSON.parse(r.stdout) as { pki: { certificates: unknown[] } }).pki.certificates.length).toBeGreaterThanOrEqual(4);
  });

  it('not a file and not HOST:PORT', async () => {
    const r = await pki('check', 'no/such/file.crt');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kspect: no/such/file.crt: no such file or folder, and not HOST:PORT\n');
  });

  it('a 10,000-certificate bundle is read whole', async () => {
    const pem = readFileSync(join(T, 'out/server.crt'), 'utf8');
    const ca = readFileSync(join(T, 'pki/ca.crt'), 'utf8');
    writeFileSync(join(T, 'big.pem'), ca + pem.repeat(9_999));
    const r = await pki('check', 'big.pem', '-f', 'json', '--checks', 'cert-expired,cert-chain-unverified');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { pki: { certificates: unknown[] } }).pki.certificates).toHaveLength(10_000);
  }, 120_000);

  it('odd extensions are findings, not crashes', async () => {
    const ext = join(T, 'odd.ext');
    writeFileSync(ext, '[ext]\nbasicConstraints = CA:FALSE\n1.3.6.1.4.1.55555.1 = critical, DER:01:02:03\n1.3.6.1.4.1.55555.2 = ASN1:UTF8String:hello\nsubjectAltName = DNS:odd.example.com, otherName:1.2.3.4;UTF8:x, dirName:dir_sect\n[dir_sect]\nCN = odd\n');
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'odd.key'), '-subj', '/CN=odd', '-out', join(T, 'odd.csr')]);
    openssl(['x509', '-req', '-in', join(T, 'odd.csr'), '-CA', join(T, 'pki/ca.crt'), '-CAkey', join(T, 'pki/ca.key'), '-CAcreateserial', '-days', '30', '-extfile', ext, '-extensions', 'ext', '-out', join(T, 'odd.crt')]);
    const r = await pki('check', 'odd.crt', 'pki/ca.crt', '-f', 'json');
    expect(r.stderr).toBe('');
    const ids = (JSON.parse(r.stdout) as { findings: { checkId: string }[] }).findings.map((f) => f.checkId);
    expect(ids).toContain('cert-unknown-critical-extension');
    expect(opensslStatus(['x509', '-in', join(T, 'odd.crt'), '-noout']).code).toBe(0);
  });
});
