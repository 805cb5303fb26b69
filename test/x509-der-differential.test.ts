/**
 * Differential test of the certificate reader: parseCertificate reads plain DER itself (src/engines/x509/der.ts) and
 * hands anything unusual to @peculiar/asn1-x509; parseCertificateWithLibrary always uses the library. Both must give
 * the same CertInfo (or the same error) for every certificate of the repository's fixtures and examples, the shared
 * conformance data and corpus, a set made by the real `openssl` with every field shape the reader knows (and several it
 * leaves to the library), and byte-level mutations of those.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, parseCertificateWithLibrary, type CertInfo, type Parsed } from '../src/engines/x509/cert.js';
import { readCertificateDer } from '../src/engines/x509/der.js';
import { openssl, tempDir } from './support/openssl.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const PEM = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----([A-Za-z0-9+/=\s]{1,200000}?)-----END/g;
const B64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,400000}/g;

/** Every DER certificate in a text: PEM blocks, and PEM blocks inside base64 (Secrets, kubeconfigs, caBundles). */
function certificatesIn(text: string, out: Map<string, Uint8Array>, depth = 0): void {
  for (const m of text.matchAll(PEM)) {
    const der = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
    if (der.length > 0) out.set(der.toString('base64'), new Uint8Array(der));
  }
  if (depth === 0) for (const m of text.matchAll(B64_PEM)) certificatesIn(Buffer.from(m[0], 'base64').toString('latin1'), out, 1);
}

function walk(dir: string, out: Map<string, Uint8Array>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e === '.git' || e === 'dist') continue;
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.size < 8_000_000) {
      const text = readFileSync(p, 'latin1');
      if (text.includes('-----BEGIN') || text.includes('LS0tLS1CRUdJTi')) certificatesIn(text, out);
    }
  }
}

/** A CertInfo as plain data (node's object and the key object left out; the key's facts kept). */
function plain(r: Parsed<CertInfo>): unknown {
  if (!r.ok) return r;
  const { publicKey, ...all } = r.value;
  const rest: Record<string, unknown> = { ...all };
  delete rest.node;
  delete rest.der;
  return { ...rest, notBefore: r.value.notBefore.getTime(), notAfter: r.value.notAfter.getTime(), publicKey: { ...publicKey, spkiSha256: publicKey.spkiSha256 } };
}

function same(der: Uint8Array): void {
  if (process.env.KSPECT_DER_DUMP && JSON.stringify(plain(parseCertificate(der))) !== JSON.stringify(plain(parseCertificateWithLibrary(der)))) writeFileSync(process.env.KSPECT_DER_DUMP, der);
  expect(plain(parseCertificate(der))).toEqual(plain(parseCertificateWithLibrary(der)));
}

describe('the DER certificate reader against @peculiar/asn1-x509', () => {
  it('every certificate of the fixtures, examples, conformance data and corpus', () => {
    const certs = new Map<string, Uint8Array>();
    for (const d of ['src', 'test', 'examples', 'bench']) walk(join(ROOT, d), certs);
    walk(join(SHARED, 'conformance'), certs);
    walk(join(SHARED, 'corpus'), certs);
    expect(certs.size).toBeGreaterThan(50);
    let fast = 0;
    let valid = 0;
    for (const der of certs.values()) {
      same(der);
      if (!parseCertificateWithLibrary(der).ok) continue;
      valid++;
      if (readCertificateDer(der)) fast++;
    }
    // The reader is for the common shape: the real certificates all take it (the others are placeholders).
    expect(valid).toBeGreaterThan(30);
    expect(fast / valid).toBeGreaterThan(0.95);
  });

  describe('certificates made by openssl', () => {
    const tmp = tempDir('kspect-der-');
    afterAll(() => { tmp.cleanup(); });
    const T = tmp.dir;
    const made = new Map<string, Uint8Array>();

    /** [name, key file, extra req arguments] */
    const CASES: readonly (readonly [string, string, readonly string[]])[] = [
      ['ec-server', 'ec.key', ['-subj', '/CN=web.example.com/O=Acme/OU=Ops/OU=Web', '-addext', 'subjectAltName=DNS:web.example.com,DNS:*.example.com,IP:10.0.0.1,IP:2001:db8::1,IP:::1,IP:fe80:0:0:1:0:0:0:1,IP:1:0:0:2:0:0:0:3,email:ops@example.com,URI:spiffe://cluster.local/ns/a/sa/b', '-addext', 'extendedKeyUsage=serverAuth,clientAuth,1.2.3.4.5', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,decipherOnly,encipherOnly,keyAgreement']],
      ['rsa-ca', 'rsa.key', ['-subj', '/C=DE/ST=Berlin/L=Berlin/O=Acme/CN=Acme Root CA', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:3', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']],
      ['pathlen-big', 'ec.key', ['-subj', '/CN=ca-big', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:70000']],
      ['pathlen-huge', 'ec.key', ['-subj', '/CN=ca-huge', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:2147483647']],
      ['ca-false-explicit', 'ec.key', ['-subj', '/CN=leaf', '-addext', 'basicConstraints=CA:FALSE']],
      ['escapes', 'ec.key', ['-subj', '/CN=a\\,b+c"d\\\\e<f>g;h/O=#lead/OU=trail /L=x\ty', '-multivalue-rdn']],
      ['multi-rdn', 'ec.key', ['-subj', '/CN=one+UID=two/O=Acme', '-multivalue-rdn']],
      ['email-dc', 'ec.key', ['-subj', '/DC=com/DC=example/emailAddress=a@example.com/CN=dc-user/serialNumber=42/title=T/GN=G/SN=S/initials=I']],
      ['utf8', 'ec.key', ['-utf8', '-subj', '/CN=Bücher/O=Ünïcode']],
      ['empty-subject-san', 'ec.key', ['-subj', '/', '-addext', 'subjectAltName=critical,DNS:only.example.com']],
      ['unknown-critical', 'ec.key', ['-subj', '/CN=crit', '-addext', '1.2.3.4.5.6=critical,ASN1:UTF8String:hello', '-addext', 'nameConstraints=critical,permitted;DNS:example.com']],
      ['other-name', 'ec.key', ['-subj', '/CN=upn', '-addext', 'subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@example.com,DNS:x.example.com']],
      ['dirname-san', 'ec.key', ['-subj', '/CN=dir', '-addext', 'subjectAltName=dirName:dir_sect,RID:1.2.3.4'], ],
      ['aki-issuer', 'ec.key', ['-subj', '/CN=aki', '-addext', 'authorityKeyIdentifier=keyid:always,issuer:always']],
      ['ed25519', 'ed.key', ['-subj', '/CN=ed']],
      ['rsa-pss-sha384', 'rsa.key', ['-subj', '/CN=pss', '-sigopt', 'rsa_padding_mode:pss', '-sha384', '-sigopt', 'rsa_pss_saltlen:32']],
      ['rsa-pss-sha256', 'rsa.key', ['-subj', '/CN=pss', '-sigopt', 'rsa_padding_mode:pss', '-sha256']],
      ['sha1', 'rsa.key', ['-subj', '/CN=sha1', '-sha1']],
      ['long-validity', 'ec.key', ['-subj', '/CN=long', '-days', '36500']],
      ['no-extensions', 'ec.key', ['-subj', '/CN=v1', '-config', 'plain.cnf']],
    ];

    beforeAll(() => {
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key'], { cwd: T });
      openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key'], { cwd: T });
      openssl(['genpkey', '-algorithm', 'ED25519', '-out', 'ed.key'], { cwd: T });
      writeFileSync(join(T, 'plain.cnf'), '[req]\ndistinguished_name = dn\nx509_extensions = none\n[dn]\n[none]\n');
      writeFileSync(join(T, 'req.cnf'), '[req]\ndistinguished_name = dn\n[dn]\n[dir_sect]\nCN = inner\nO = Inner Org\n');
      for (const [name, key, args] of CASES) {
        const config = args.includes('-config') ? [] : ['-config', 'req.cnf'];
        openssl(['req', '-x509', '-new', '-key', key, '-out', `${name}.crt`, ...(args.includes('-days') ? [] : ['-days', '30']), ...config, ...args], { cwd: T });
        const text = readFileSync(join(T, `${name}.crt`), 'latin1');
        const m = new Map<string, Uint8Array>();
        certificatesIn(text, m);
        const der = [...m.values()][0];
        if (der) made.set(name, der);
      }
      // Dates on both sides of 2050 (UTCTime before, GeneralizedTime from 2050 on) and before 2000.
      openssl(['req', '-new', '-key', 'ec.key', '-subj', '/CN=dated', '-config', 'req.cnf', '-out', 'dated.csr'], { cwd: T });
      writeFileSync(join(T, 'index.txt'), '');
      writeFileSync(join(T, 'serial'), '00ff\n');
      writeFileSync(join(T, 'ca.cnf'), `[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n`);
      for (const [name, start, end] of [
        ['y1999-2049', '19991231235959Z', '20491231235959Z'],
        ['y2050-2100', '20500101000000Z', '21000101000000Z'],
        ['y1950', '19500101000000Z', '19700101000000Z'],
      ] as const) {
        openssl(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'ec.key', '-in', 'dated.csr', '-out', `${name}.crt`, '-startdate', start, '-enddate', end, '-notext'], { cwd: T });
        const m = new Map<string, Uint8Array>();
        certificatesIn(readFileSync(join(T, `${name}.crt`), 'latin1'), m);
        const der = [...m.values()][0];
        if (der) made.set(name, der);
      }
    }, 60_000);

    it('each gives the same fields as the library, and the common shapes take the DER reader', () => {
      expect([...made.keys()].sort()).toEqual([...CASES.map((c) => c[0]), 'y1950', 'y1999-2049', 'y2050-2100'].sort());
      for (const [name, der] of made) {
        expect(plain(parseCertificate(der)), name).toEqual(plain(parseCertificateWithLibrary(der)));
      }
      const fast = [...made].filter(([, der]) => readCertificateDer(der) !== undefined).map(([n]) => n);
      // Left to the library: non-ASCII text, other GeneralName forms, AKI with the issuer's name and serial, pathLen ≥ 2^24,
      // RSASSA-PSS parameters.
      expect(fast).toEqual(expect.arrayContaining(['ec-server', 'rsa-ca', 'escapes', 'multi-rdn', 'email-dc', 'empty-subject-san', 'unknown-critical', 'ed25519', 'sha1', 'no-extensions', 'y1950', 'y2050-2100', 'pathlen-big']));
      for (const slow of ['utf8', 'other-name', 'dirname-san', 'aki-issuer', 'pathlen-huge', 'rsa-pss-sha384', 'rsa-pss-sha256']) expect(fast, slow).not.toContain(slow);
      const server = parseCertificate(made.get('ec-server') as Uint8Array);
      expect(server.ok && server.value.sans.ip).toEqual(['10.0.0.1', '2001:db8::1', '::1', 'fe80:0:0:1::1', '1:0:0:2::3']);
      const y2050 = parseCertificate(made.get('y2050-2100') as Uint8Array);
      expect(y2050.ok && y2050.value.notAfter.toISOString()).toBe('2100-01-01T00:00:00.000Z');
      const y1950 = parseCertificate(made.get('y1950') as Uint8Array);
      expect(y1950.ok && y1950.value.notBefore.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    });

    it('byte-level mutations: the same certificate or the same error from both readers', () => {
      // A fixed-seed generator: the same mutations on every run.
      let seed = 0x5eed;
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      let compared = 0;
      for (const der of made.values()) {
        for (let i = 0; i < Number(process.env.KSPECT_DER_MUTATIONS ?? 60); i++) {
          const m = new Uint8Array(der);
          const flips = 1 + rand(2);
          for (let f = 0; f < flips; f++) m[rand(m.length)] = rand(256);
          same(m);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(1000);
    }, 120_000);
  });
});
