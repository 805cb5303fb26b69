import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openssl, tempDir } from '../../../test/support/openssl.js';
import { createCsr, generateKeyPair, importSigningKey, issueCertificate, privateKeyPem, publicOf, randomSerial, signCsr, type IssueEnv, type KeyAlgorithm } from './issue.js';

const env: IssueEnv = { crypto: webcrypto, now: new Date() };
const tmp = tempDir();
afterAll(() => { tmp.cleanup(); });

describe('issuing', () => {
  it('random serials are 128 bits and positive', () => {
    const s = new Set(Array.from({ length: 50 }, () => randomSerial(env)));
    expect(s.size).toBe(50);
    for (const x of s) {
      expect(x).toMatch(/^[4-7][0-9a-f]{31}$/);
    }
  });

  for (const alg of ['ecdsa-p256', 'rsa-2048', 'ed25519'] as KeyAlgorithm[]) {
    it(`root → intermediate → server with ${alg} verifies with openssl verify -untrusted`, async () => {
      const rootKeys = await generateKeyPair(alg, env);
      const root = await issueCertificate({ subject: { cn: 'root', o: ['kspect test'] }, role: 'ca' }, rootKeys.publicKey, { selfKey: rootKeys.privateKey }, env);
      const midKeys = await generateKeyPair(alg, env);
      const mid = await issueCertificate({ subject: { cn: 'intermediate' }, role: 'ca', pathLength: 0 }, midKeys.publicKey, { cert: root.cert, key: rootKeys.privateKey }, env);
      const leafKeys = await generateKeyPair(alg, env);
      const leaf = await issueCertificate(
        { subject: { cn: 'kube-apiserver' }, role: 'server', sans: [{ type: 'dns', value: 'kubernetes.default.svc' }, { type: 'ip', value: '10.96.0.1' }], days: 90 },
        leafKeys.publicKey,
        { cert: mid.cert, key: midKeys.privateKey },
        env,
      );
      const d = join(tmp.dir, alg);
      openssl(['version']);
      writeFileSync(`${d}-root.crt`, root.certPem);
      writeFileSync(`${d}-mid.crt`, mid.certPem);
      writeFileSync(`${d}-leaf.crt`, leaf.certPem);
      expect(openssl(['verify', '-CAfile', `${d}-root.crt`, '-untrusted', `${d}-mid.crt`, '-purpose', 'sslserver', `${d}-leaf.crt`])).toContain('OK');
      const text = openssl(['x509', '-in', `${d}-leaf.crt`, '-noout', '-text']);
      expect(text).toContain('DNS:kubernetes.default.svc, IP Address:10.96.0.1');
      expect(text).toContain('TLS Web Server Authentication');
      expect(text).toMatch(/CA:FALSE/);
      expect(text).toContain('X509v3 Subject Key Identifier');
      expect(text).toContain('X509v3 Authority Key Identifier');
      // The key round-trips as PKCS#8 and matches the certificate.
      writeFileSync(`${d}-leaf.key`, await privateKeyPem(leafKeys.privateKey, env));
      const fromKey = openssl(['pkey', '-in', `${d}-leaf.key`, '-pubout']);
      const fromCert = openssl(['x509', '-in', `${d}-leaf.crt`, '-noout', '-pubkey']);
      expect(fromKey).toBe(fromCert);
    });
  }

  it('creates a CSR with every DN field and SANs, and signs it', async () => {
    const keys = await generateKeyPair('ecdsa-p256', env);
    const csr = await createCsr(
      { subject: { cn: 'jane', o: ['dev', 'ops'], ou: ['platform'], c: 'DE', st: 'Berlin', l: 'Berlin', email: 'jane@example.com' }, sans: [{ type: 'dns', value: 'jane.example.com' }, { type: 'email', value: 'jane@example.com' }] },
      keys,
      env,
    );
    writeFileSync(join(tmp.dir, 'jane.csr'), csr);
    const text = openssl(['req', '-in', join(tmp.dir, 'jane.csr'), '-noout', '-text', '-verify']);
    expect(text).toMatch(/C\s*=\s*DE, ST\s*=\s*Berlin, L\s*=\s*Berlin, O\s*=\s*dev, O\s*=\s*ops, OU\s*=\s*platform, CN\s*=\s*jane, emailAddress\s*=\s*jane@example.com/);
    expect(text).toContain('DNS:jane.example.com, email:jane@example.com');
    const caKeys = await generateKeyPair('ecdsa-p256', env);
    const ca = await issueCertificate({ subject: { cn: 'ca' }, role: 'ca' }, caKeys.publicKey, { selfKey: caKeys.privateKey }, env);
    const signed = await signCsr(new TextEncoder().encode(csr), { cert: ca.cert, key: caKeys.privateKey }, { role: 'client' }, env);
    expect(signed.ok).toBe(true);
    if (!signed.ok) return;
    expect(signed.value.cert.subject.o).toEqual(['dev', 'ops']);
    expect(signed.value.cert.extKeyUsage).toEqual(['clientAuth']);
  });

  it('refuses CA:TRUE and system:masters unless forced', async () => {
    const keys = await generateKeyPair('ecdsa-p256', env);
    const caKeys = await generateKeyPair('ecdsa-p256', env);
    const ca = await issueCertificate({ subject: { cn: 'ca' }, role: 'ca' }, caKeys.publicKey, { selfKey: caKeys.privateKey }, env);
    const csr = await createCsr({ subject: { cn: 'mallory', o: ['system:masters'] } }, keys, env);
    const r = await signCsr(new TextEncoder().encode(csr), { cert: ca.cert, key: caKeys.privateKey }, { role: 'client' }, env);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('system:masters');
    const forced = await signCsr(new TextEncoder().encode(csr), { cert: ca.cert, key: caKeys.privateKey }, { role: 'client', force: true }, env);
    expect(forced.ok).toBe(true);
  });

  it('imports PKCS#1 and SEC1 keys written by openssl, and refuses encrypted ones', async () => {
    openssl(['genrsa', '-traditional', '-out', join(tmp.dir, 'rsa1.key'), '2048']);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', join(tmp.dir, 'ec.key')]);
    openssl(['genpkey', '-algorithm', 'ed25519', '-aes256', '-pass', 'pass:x', '-out', join(tmp.dir, 'enc.key')]);
    const { readFileSync } = await import('node:fs');
    for (const f of ['rsa1.key', 'ec.key']) {
      const k = await importSigningKey(readFileSync(join(tmp.dir, f), 'utf8'), env);
      expect(k.ok, f).toBe(true);
      if (k.ok) expect((await publicOf(k.value, env)).type).toBe('public');
    }
    const enc = await importSigningKey(readFileSync(join(tmp.dir, 'enc.key'), 'utf8'), env);
    expect(enc.ok).toBe(false);
  });
});
