/**
 * Certificates, CSRs and keys as plain, frozen data: what every check reads.
 * Parsing is done by @peculiar/x509 (structure, extensions) and node:crypto (keys, signatures);
 * nothing here walks ASN.1 by hand.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as AsnX509 from '@peculiar/asn1-x509';
import type { Certificate as CertificateAsn, Extension as ExtensionAsn, GeneralName } from '@peculiar/asn1-x509';
import type * as AsnCsr from '@peculiar/asn1-csr';
import { lazyModule } from '../lazy.js';
import { readCertificateDer, type DerCertFields, type DerName } from './der.js';
import { x509, type X509 } from './lib.js';

// Loaded on first use (../lazy.ts): a run without certificates never loads the ASN.1 schemas.
const asnSchema = lazyModule<typeof AsnSchema>('@peculiar/asn1-schema');
const asnX509 = lazyModule<typeof AsnX509>('@peculiar/asn1-x509');
const asnCsr = lazyModule<typeof AsnCsr>('@peculiar/asn1-csr');

export type KeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';

export interface PublicKeyInfo {
  readonly type: KeyType;
  /** RSA/DSA modulus bits, or the curve size for EC. */
  readonly bits?: number;
  /** Named curve (`prime256v1`, `secp384r1`, …) for EC keys. */
  readonly curve?: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex: equal for a certificate and its private key. */
  readonly spkiSha256: string;
}

export interface SignatureAlgorithm {
  readonly oid: string;
  readonly name: string;
  /** The digest, upper case (`SHA-256`, `SHA-1`, `MD5`); undefined for EdDSA and unknown algorithms. */
  readonly hash?: string;
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

export interface DistinguishedName {
  readonly text: string;
  readonly cn?: string;
  readonly o: readonly string[];
  readonly ou: readonly string[];
}

export interface CertInfo {
  readonly der: Uint8Array;
  readonly sha256: string;
  readonly serial: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly sans: SubjectAltNames;
  /** True when the SubjectAltName extension is present. */
  readonly hasSan: boolean;
  /** basicConstraints cA; false when the extension is absent. */
  readonly isCA: boolean;
  readonly pathLength?: number;
  /** Key usage names; undefined when the extension is absent. */
  readonly keyUsage?: readonly string[];
  /** Extended key usage names (`serverAuth`, `clientAuth`, or an OID); undefined when absent. */
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  readonly publicKey: PublicKeyInfo;
  readonly signature: SignatureAlgorithm;
  /** Issuer name equals subject and the signature verifies with the certificate's own key. */
  readonly selfSigned: boolean;
  /** OIDs of critical extensions kspect does not understand. */
  readonly unknownCritical: readonly string[];
  /** node:crypto's view, for signature verification and host matching. */
  readonly node: NodeX509;
}

export interface CsrInfo {
  readonly der: Uint8Array;
  readonly subject: DistinguishedName;
  readonly sans: SubjectAltNames;
  readonly publicKey: PublicKeyInfo;
  readonly signature: SignatureAlgorithm;
  /** basicConstraints cA requested. */
  readonly requestsCA: boolean;
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
}

export interface PrivateKeyInfo {
  /** Encrypted keys are recognised and never decrypted: nothing else is known of them. */
  readonly encrypted: boolean;
  readonly publicKey?: PublicKeyInfo;
  /** The key itself, for signing; undefined when encrypted. Never printed. */
  readonly key?: KeyObject;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const SIG: Readonly<Record<string, readonly [string, string | undefined]>> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'MD4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.10': ['rsassaPss', undefined],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.3.14.3.2.29': ['sha1WithRSASignature', 'SHA-1'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'SHA-1'],
  '2.16.840.1.101.3.4.3.1': ['dsa-with-SHA224', 'SHA-224'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'SHA-256'],
  '1.3.101.112': ['Ed25519', undefined],
  '1.3.101.113': ['Ed448', undefined],
};

const PSS_HASH: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const EKU: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const KU_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
/** The key usage flags and their names: bit i of the BIT STRING is worth 2^i (@peculiar/asn1-x509's KeyUsageFlags). */
const KU_FLAGS: readonly (readonly [number, string])[] = KU_NAMES.map((n, i) => [2 ** i, n] as const);

/** Extensions kspect reads or that are harmless when critical. */
const KNOWN_EXT = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.36', // policyConstraints
  '2.5.29.37', // extKeyUsage
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

export const KEY_USAGE_NAMES: readonly string[] = KU_NAMES;

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

export function keyInfo(key: KeyObject): PublicKeyInfo {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const t = pub.asymmetricKeyType;
  const d = pub.asymmetricKeyDetails ?? {};
  const type: KeyType = t === 'rsa' || t === 'rsa-pss' || t === 'ec' || t === 'ed25519' || t === 'ed448' || t === 'dsa' ? t : 'unknown';
  const curveBits: Readonly<Record<string, number>> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, prime192v1: 192, secp256k1: 256 };
  const bits = d.modulusLength ?? (d.namedCurve !== undefined ? curveBits[d.namedCurve] : type === 'ed25519' ? 256 : type === 'ed448' ? 456 : undefined);
  // The SPKI digest is only needed to pair keys with certificates: computed on first use.
  let digest: string | undefined;
  const info = {
    type,
    ...(bits !== undefined ? { bits } : {}),
    ...(d.namedCurve !== undefined ? { curve: d.namedCurve } : {}),
  };
  Object.defineProperty(info, 'spkiSha256', {
    enumerable: true,
    get: () => (digest ??= createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex')),
  });
  return Object.freeze(info) as PublicKeyInfo;
}

function nameOf(n: X509.Name): DistinguishedName {
  const get = (t: string): string[] => {
    try {
      return n.getField(t);
    } catch {
      return [];
    }
  };
  const cn = get('CN')[0];
  return { text: n.toString(), ...(cn !== undefined ? { cn } : {}), o: get('O'), ou: get('OU') };
}

function sansOf(ext: X509.SubjectAlternativeNameExtension | null): SubjectAltNames {
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  if (!ext) return out;
  for (const g of ext.names.items) {
    if (g.type === 'dns') out.dns.push(g.value);
    else if (g.type === 'ip') out.ip.push(g.value);
    else if (g.type === 'email') out.email.push(g.value);
    else if (g.type === 'url') out.uri.push(g.value);
  }
  return out;
}

function signatureOf(algOid: string, params: Uint8Array | null | undefined): SignatureAlgorithm {
  const known = SIG[algOid];
  if (!known) return { oid: algOid, name: algOid };
  if (algOid === '1.2.840.113549.1.1.10' && params) {
    // RSASSA-PSS: the digest is named in the parameters; find its OID among the known ones.
    const p = Buffer.from(params).toString('hex');
    for (const [oid, h] of Object.entries(PSS_HASH)) {
      if (p.includes(oidHex(oid))) return { oid: algOid, name: `rsassaPss(${h})`, hash: h };
    }
    return { oid: algOid, name: 'rsassaPss(SHA-1)', hash: 'SHA-1' }; // the default of RFC 4055
  }
  return { oid: algOid, name: known[0], ...(known[1] !== undefined ? { hash: known[1] } : {}) };
}

/** DER content octets of an OID, hex — only to find a digest OID inside PSS parameters. */
function oidHex(oid: string): string {
  const parts = oid.split('.').map(Number);
  const bytes: number[] = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const n of parts.slice(2)) {
    const enc: number[] = [n & 0x7f];
    let v = Math.floor(n / 128);
    while (v > 0) {
      enc.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(...enc);
  }
  return Buffer.from(bytes).toString('hex');
}

function usagesOf(ext: X509.KeyUsagesExtension | null): string[] | undefined {
  if (!ext) return undefined;
  return KU_FLAGS.filter(([flag]) => (ext.usages & flag) !== 0).map(([, n]) => n);
}

function ekuOf(ext: X509.ExtendedKeyUsageExtension | null): string[] | undefined {
  if (!ext) return undefined;
  return ext.usages.map((u) => EKU[String(u)] ?? String(u));
}

/** Parse one DER certificate. */
/** The value of an extension, parsed with the library's schema; undefined when absent. */
function ext<T>(exts: readonly ExtensionAsn[], oid: string, schema: new () => T): T | undefined {
  const e = exts.find((x) => x.extnID === oid);
  return e ? asnSchema.AsnConvert.parse(e.extnValue, schema) : undefined;
}

function sansFrom(names: readonly GeneralName[] | undefined): SubjectAltNames {
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  for (const g of names ?? []) {
    if (g.dNSName !== undefined) out.dns.push(g.dNSName);
    else if (g.iPAddress !== undefined) out.ip.push(g.iPAddress);
    else if (g.rfc822Name !== undefined) out.email.push(g.rfc822Name);
    else if (g.uniformResourceIdentifier !== undefined) out.uri.push(g.uniformResourceIdentifier);
  }
  return out;
}

/** Serial as hex, without the sign-padding zero byte. */
function serialHex(buf: Uint8Array): string {
  const h = Buffer.from(buf).toString('hex');
  return h.length > 2 && h.startsWith('00') && parseInt(h.slice(2, 4), 16) >= 0x80 ? h.slice(2) : h;
}

/**
 * Parse one DER certificate, once: its fields from the DER directly (./der.ts) or, for anything unusual there, with
 * @peculiar/asn1-x509; signatures and keys by node:crypto.
 */
export function parseCertificate(der: Uint8Array): Parsed<CertInfo> {
  const opened = openCertificate(der);
  if (!opened.ok) return opened;
  const node = opened.value;
  const fields = readCertificateDer(der);
  if (!fields) return parseWithLibrary(der, node);
  try {
    return { ok: true, value: assemble(der, node, fields) };
  } catch (e) {
    return { ok: false, error: `certificate cannot be read (${errorText(e)})` };
  }
}

/** The same fields read by the ASN.1 library: the reference the DER reader is tested against. */
export function parseCertificateWithLibrary(der: Uint8Array): Parsed<CertInfo> {
  const opened = openCertificate(der);
  return opened.ok ? parseWithLibrary(der, opened.value) : opened;
}

/** node:crypto's certificate (signatures and keys), or why the DER is not a certificate. */
function openCertificate(der: Uint8Array): Parsed<NodeX509> {
  try {
    return { ok: true, value: new NodeX509(der) };
  } catch (e) {
    return { ok: false, error: `not a valid X.509 certificate (${errorText(e)})` };
  }
}

function parseWithLibrary(der: Uint8Array, node: NodeX509): Parsed<CertInfo> {
  let asn: CertificateAsn;
  try {
    asn = asnSchema.AsnConvert.parse(der, asnX509.Certificate);
  } catch (e) {
    return { ok: false, error: `not a valid X.509 certificate (${errorText(e)})` };
  }
  try {
    const tbs = asn.tbsCertificate;
    const exts: readonly ExtensionAsn[] = tbs.extensions ? [...tbs.extensions] : [];
    const bc = ext(exts, '2.5.29.19', asnX509.BasicConstraints);
    const ku = ext(exts, '2.5.29.15', asnX509.KeyUsage);
    const eku = ext(exts, '2.5.29.37', asnX509.ExtendedKeyUsage);
    const san = ext(exts, '2.5.29.17', asnX509.SubjectAlternativeName);
    const ski = ext(exts, '2.5.29.14', asnX509.SubjectKeyIdentifier);
    const aki = ext(exts, '2.5.29.35', asnX509.AuthorityKeyIdentifier);
    const params = asn.signatureAlgorithm.parameters;
    const fields: DerCertFields = {
      serial: new Uint8Array(tbs.serialNumber),
      signatureOid: asn.signatureAlgorithm.algorithm,
      signatureParams: params ? new Uint8Array(params) : params,
      subject: libraryName(new x509.Name(tbs.subject)),
      issuer: libraryName(new x509.Name(tbs.issuer)),
      notBefore: tbs.validity.notBefore.getTime(),
      notAfter: tbs.validity.notAfter.getTime(),
      extensions: exts.map((e) => ({ oid: e.extnID, critical: e.critical, value: new Uint8Array(e.extnValue.buffer) })),
      ...(bc ? { basicConstraints: { cA: bc.cA, ...(bc.pathLenConstraint !== undefined ? { pathLen: bc.pathLenConstraint } : {}) } } : {}),
      ...(ku ? { keyUsage: ku.toNumber() } : {}),
      ...(eku ? { extKeyUsage: [...eku] } : {}),
      ...(san ? { san: sansFrom(san) } : {}),
      ...(ski ? { subjectKeyId: new Uint8Array(ski.buffer) } : {}),
      ...(aki?.keyIdentifier ? { authorityKeyId: new Uint8Array(aki.keyIdentifier.buffer) } : {}),
    };
    return { ok: true, value: assemble(der, node, fields) };
  } catch (e) {
    return { ok: false, error: `certificate cannot be read (${errorText(e)})` };
  }
}

function libraryName(n: X509.Name): DerName {
  const get = (t: string): string[] => {
    try {
      return n.getField(t);
    } catch {
      return [];
    }
  };
  return { text: n.toString(), cn: get('CN'), o: get('O'), ou: get('OU') };
}

function assemble(der: Uint8Array, node: NodeX509, f: DerCertFields): CertInfo {
  const dn = (n: DerName): DistinguishedName => {
    const cn = n.cn[0];
    return { text: n.text, ...(cn !== undefined ? { cn } : {}), o: n.o, ou: n.ou };
  };
  const subject = dn(f.subject);
  const issuer = dn(f.issuer);
  let selfSigned = false;
  if (subject.text === issuer.text) {
    try {
      selfSigned = node.verify(node.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const bc = f.basicConstraints;
  const ku = f.keyUsage;
  const info: CertInfo = {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    serial: serialHex(f.serial),
    subject,
    issuer,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    sans: f.san ?? { dns: [], ip: [], email: [], uri: [] },
    hasSan: f.san !== undefined,
    isCA: bc?.cA ?? false,
    ...(bc?.cA && bc.pathLen !== undefined ? { pathLength: bc.pathLen } : {}),
    ...(ku !== undefined ? { keyUsage: KU_FLAGS.filter(([flag]) => (ku & flag) !== 0).map(([, n]) => n) } : {}),
    ...(f.extKeyUsage ? { extKeyUsage: f.extKeyUsage.map((u) => EKU[u] ?? u) } : {}),
    ...(f.subjectKeyId ? { subjectKeyId: Buffer.from(f.subjectKeyId).toString('hex') } : {}),
    ...(f.authorityKeyId ? { authorityKeyId: Buffer.from(f.authorityKeyId).toString('hex') } : {}),
    publicKey: keyInfo(node.publicKey),
    signature: signatureOf(f.signatureOid, f.signatureParams),
    selfSigned,
    unknownCritical: f.extensions.filter((e) => e.critical && !KNOWN_EXT.has(e.oid)).map((e) => e.oid),
    node,
  };
  return Object.freeze(info);
}

/** Parse one DER PKCS#10 certificate signing request. */
export function parseCsr(der: Uint8Array): Parsed<CsrInfo> {
  try {
    const csr = new x509.Pkcs10CertificateRequest(der);
    const asn = asnSchema.AsnConvert.parse(der, asnCsr.CertificationRequest);
    const pub = keyInfo(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }));
    const find = <T>(cls: abstract new (...args: never[]) => T): T | null => (csr.extensions.find((e) => e instanceof cls) as T | undefined) ?? null;
    const bc = find(x509.BasicConstraintsExtension);
    const ku = usagesOf(find(x509.KeyUsagesExtension));
    const eku = ekuOf(find(x509.ExtendedKeyUsageExtension));
    return {
      ok: true,
      value: Object.freeze({
        der,
        subject: nameOf(csr.subjectName),
        sans: sansOf(find(x509.SubjectAlternativeNameExtension)),
        publicKey: pub,
        signature: signatureOf(asn.signatureAlgorithm.algorithm, asn.signatureAlgorithm.parameters ? new Uint8Array(asn.signatureAlgorithm.parameters) : asn.signatureAlgorithm.parameters),
        requestsCA: bc?.ca ?? false,
        ...(ku ? { keyUsage: ku } : {}),
        ...(eku ? { extKeyUsage: eku } : {}),
      }),
    };
  } catch (e) {
    return { ok: false, error: `not a valid certificate signing request (${errorText(e)})` };
  }
}

export type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1';

/**
 * Parse a private key. An encrypted key is recognised (by its PEM label or headers, or because
 * node:crypto asks for a passphrase) and never decrypted.
 */
export function parsePrivateKey(der: Uint8Array, format?: KeyFormat, encryptedHint = false): Parsed<PrivateKeyInfo> {
  if (encryptedHint) return { ok: true, value: Object.freeze({ encrypted: true }) };
  const formats: KeyFormat[] = format ? [format] : ['pkcs8', 'pkcs1', 'sec1'];
  let last = 'unknown key format';
  for (const f of formats) {
    try {
      const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: f });
      return { ok: true, value: Object.freeze({ encrypted: false, publicKey: keyInfo(key), key }) };
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String((e).code) : '';
      if (code === 'ERR_MISSING_PASSPHRASE') return { ok: true, value: Object.freeze({ encrypted: true }) };
      last = errorText(e);
    }
  }
  return { ok: false, error: `not a valid private key (${last})` };
}

/** Parse a public key (SubjectPublicKeyInfo, or PKCS#1 RSA). */
export function parsePublicKey(der: Uint8Array, type: 'spki' | 'pkcs1' = 'spki'): Parsed<PublicKeyInfo> {
  try {
    return { ok: true, value: keyInfo(createPublicKey({ key: Buffer.from(der), format: 'der', type })) };
  } catch (e) {
    return { ok: false, error: `not a valid public key (${errorText(e)})` };
  }
}
