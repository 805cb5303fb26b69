/**
 * Endpoints against real `openssl s_server` on loopback (random free port, stopped by pid): chosen
 * protocol versions, ciphers and certificates, and kspect's endpoint findings must match.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPki } from '../src/api/pki.js';
import type { Report } from '../src/core/report.js';
import { caSign, openssl, startSServer, tempDir, type SServer } from './support/openssl.js';

const tmp = tempDir('kspect-tls-');
const T = tmp.dir;
let server: SServer | undefined;
afterEach(() => {
  server?.stop();
  server = undefined;
});
afterAll(() => { tmp.cleanup(); });

async function check(endpoint: string, ca = join(T, 'root.crt')): Promise<Report> {
  const NOW = new Date(Date.now() + 2000);
  return checkPki({ inputs: [endpoint], ca, cwd: T, probe: { timeoutMs: 3000 }, now: NOW, toolVersion: 'test' });
}

function ids(r: Report): string[] {
  return [...new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.checkId))].sort();
}

const EXT = (san: string): string => `[ext]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = ${san}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n`;

function cert(name: string, o: { san?: string; ca?: string; rsa?: boolean; start?: string; end?: string } = {}): void {
  const base = join(T, name);
  openssl(['genpkey', ...(o.rsa ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']), '-out', `${base}.key`]);
  openssl(['req', '-new', '-key', `${base}.key`, '-subj', `/CN=${name}`, '-out', `${base}.csr`]);
  writeFileSync(`${base}.ext`, EXT(o.san ?? 'DNS:localhost, IP:127.0.0.1'));
  const ca = join(T, o.ca ?? 'root');
  if (o.start !== undefined && o.end !== undefined) caSign(T, { csr: `${base}.csr`, out: `${base}.crt`, caCert: `${ca}.crt`, caKey: `${ca}.key`, start: o.start, end: o.end, extFile: `${base}.ext`, ext: 'ext' });
  else openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '200', '-sha256', '-extfile', `${base}.ext`, '-extensions', 'ext', '-out', `${base}.crt`]);
}

beforeAll(() => {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'root.key'), '-out', join(T, 'root.crt'), '-subj', '/CN=tls-root', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  // Intermediate CA.
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(T, 'mid.key')]);
  openssl(['req', '-new', '-key', join(T, 'mid.key'), '-subj', '/CN=tls-intermediate', '-out', join(T, 'mid.csr')]);
  writeFileSync(join(T, 'mid.ext'), '[ext]\nbasicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n');
  openssl(['x509', '-req', '-in', join(T, 'mid.csr'), '-CA', join(T, 'root.crt'), '-CAkey', join(T, 'root.key'), '-CAcreateserial', '-days', '1000', '-extfile', join(T, 'mid.ext'), '-extensions', 'ext', '-out', join(T, 'mid.crt')]);
  cert('good');
  cert('rsa', { rsa: true });
  cert('wronghost', { san: 'DNS:example.com' });
  cert('expired', { start: '20200101000000Z', end: '20210101000000Z' });
  cert('viamid', { ca: 'mid' });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'self.key'), '-out', join(T, 'self.crt'), '-subj', '/CN=localhost', '-days', '100', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
});

const serve = async (name: string, extra: string[] = []): Promise<string> => {
  server = await startSServer(['-cert', join(T, `${name}.crt`), '-key', join(T, `${name}.key`), ...extra], T);
  return `127.0.0.1:${server.port}`;
};

describe('TLS endpoints served by openssl s_server', () => {
  it('a sound ECDSA server with TLS 1.2 and 1.3: no finding, chain and protocols reported', async () => {
    const ep = await serve('good', ['-min_protocol', 'TLSv1.2']);
    const r = await check(ep);
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual([]);
    const e = r.pki?.endpoints[0];
    expect(e?.protocols).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(e?.hostnameMatch).toBe(true);
    expect(e?.clientCertRequested).toBe(false);
    expect(e?.ciphers.every((c) => c.name.startsWith('ECDHE-ECDSA-') || c.name.startsWith('TLS_'))).toBe(true);
    expect(r.pki?.certificates.map((c) => c.subject)).toEqual(['CN=good']);
  });

  it('TLS 1.0 and 1.1 offered (at security level 0) → tls-old-protocol', async () => {
    const ep = await serve('good', ['-min_protocol', 'TLSv1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    const r = await check(ep);
    expect(ids(r)).toEqual(['tls-old-protocol']);
    expect(r.pki?.endpoints[0]?.protocols).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true });
  });

  it('TLS 1.0 only → tls-old-protocol, and each version is tried on its own', async () => {
    const ep = await serve('good', ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    const r = await check(ep);
    expect(r.pki?.endpoints[0]?.protocols).toEqual({ TLSv1: true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false });
    expect(ids(r)).toEqual(['tls-old-protocol']);
  });

  it('TLS 1.3 only: client-certificate request cannot be seen, nothing else reported', async () => {
    const ep = await serve('good', ['-tls1_3']);
    const r = await check(ep);
    expect(ids(r)).toEqual([]);
    expect(r.pki?.endpoints[0]?.protocols).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': true });
    expect(r.pki?.endpoints[0]?.clientCertRequested).toBeUndefined();
  });

  it('NULL cipher accepted → tls-weak-cipher (insecure)', async () => {
    const ep = await serve('rsa', ['-tls1_2', '-cipher', 'NULL-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
    const r = await check(ep);
    expect(ids(r)).toEqual(['tls-weak-cipher']);
    expect(r.findings.find((f) => f.checkId === 'tls-weak-cipher')?.message).toContain('NULL-SHA256');
    expect(r.pki?.endpoints[0]?.ciphers.map((c) => c.name).sort()).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'NULL-SHA256']);
  });

  it('static-RSA suites → tls-weak-cipher (no forward secrecy, medium)', async () => {
    const ep = await serve('rsa', ['-tls1_2', '-cipher', 'AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256']);
    const r = await check(ep);
    const f = r.findings.filter((x) => x.checkId === 'tls-weak-cipher');
    expect(f.map((x) => x.severity)).toEqual(['medium']);
  });

  it('a client certificate requested is seen (TLS 1.2 handshake)', async () => {
    const ep = await serve('good', ['-tls1_2', '-verify', '1']);
    const r = await check(ep);
    expect(r.pki?.endpoints[0]?.clientCertRequested).toBe(true);
  });

  it('a server that requires a client certificate (as etcd does): versions, suites and chain still seen', async () => {
    const ep = await serve('good', ['-Verify', '1', '-min_protocol', 'TLSv1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    const r = await check(ep);
    expect(r.problems).toEqual([]);
    expect(r.pki?.endpoints[0]?.protocols).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(r.pki?.endpoints[0]?.clientCertRequested).toBe(true);
    expect(r.pki?.certificates.map((c) => c.subject)).toEqual(['CN=good']);
    expect(ids(r)).toEqual(['tls-old-protocol']);
  });

  it('self-signed → cert-chain-unverified, cert-ca-as-leaf, cert-key-usage', async () => {
    const ep = await serve('self');
    // openssl req -x509 gives no extended key usage either.
    expect(ids(await check(ep))).toEqual(['cert-ca-as-leaf', 'cert-chain-unverified', 'cert-key-usage']);
  });

  it('expired → cert-expired (and the chain does not verify at this time)', async () => {
    const ep = await serve('expired');
    const r = await check(ep);
    expect(ids(r)).toContain('cert-expired');
    expect(ids(r).filter((i) => i !== 'cert-expired' && i !== 'cert-validity-long')).toEqual([]);
  });

  it('wrong host → tls-hostname-mismatch', async () => {
    const ep = await serve('wronghost');
    expect(ids(await check(ep))).toEqual(['tls-hostname-mismatch']);
  });

  it('intermediate missing → cert-chain-unverified; served with -cert_chain → verified', async () => {
    const missing = await serve('viamid');
    const r = await check(missing);
    expect(ids(r)).toEqual(['cert-chain-unverified']);
    expect(r.findings[0]?.message).toContain('intermediate missing');
    server?.stop();
    const full = await serve('viamid', ['-cert_chain', join(T, 'mid.crt')]);
    const r2 = await check(full);
    expect(ids(r2)).toEqual([]);
    expect(r2.pki?.certificates.map((c) => c.subject)).toEqual(['CN=viamid', 'CN=tls-intermediate']);
  });

  it('nothing listening → one clear input problem, no crash', async () => {
    const { freePort } = await import('./support/openssl.js');
    const port = await freePort();
    const r = await check(`127.0.0.1:${port}`);
    expect(r.problems.map((p) => p.code)).toEqual(['endpoint-unreachable']);
    expect(r.problems[0]?.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('a plain TCP server that is not TLS → an input problem', async () => {
    const { createServer } = await import('node:net');
    const srv = createServer((s) => s.end('HTTP/1.0 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const addr = srv.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const r = await check(`127.0.0.1:${port}`);
      expect(r.problems.map((p) => p.code)).toEqual(['endpoint-unreachable']);
      expect(r.problems[0]?.message).toContain('completed no TLS handshake');
    } finally {
      srv.close();
    }
  });

  it('the root bundle read by --ca is the same file s_server trusts', () => {
    expect(readFileSync(join(T, 'root.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});
