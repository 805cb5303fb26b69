/**
 * Issuing: key pairs, CA and leaf certificates with the key usages of their role, CSRs, and CSR
 * signing with refusal of dangerous requests. Built on @peculiar/x509 over node:crypto's WebCrypto.
 * The clock and the crypto provider (randomness) are injected.
 */
import { createPrivateKey, type webcrypto } from 'node:crypto';
import type { CertInfo } from './cert.js';
import { parseCertificate, parseCsr } from './cert.js';
import { x509, type X509 } from './lib.js';
import { parsePem, toPem } from './pem.js';
import { daysProblem, privilegedIdentity, sanProblem } from './issue-policy.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'] as const;
/** `rsa-1024` exists only to make deliberately weak demo and test certificates. */
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number] | 'rsa-1024';
export type IssueRole = 'ca' | 'server' | 'client' | 'peer';

export interface IssueEnv {
  readonly crypto: webcrypto.Crypto;
  readonly now: Date;
}

export interface DnSpec {
  readonly cn?: string;
  readonly o?: readonly string[];
  readonly ou?: readonly string[];
  readonly c?: string;
  readonly st?: string;
  readonly l?: string;
  readonly email?: string;
}

export type San = { readonly type: 'dns'; readonly value: string } | { readonly type: 'ip'; readonly value: string } | { readonly type: 'email'; readonly value: string } | { readonly type: 'uri'; readonly value: string };

export interface Signer {
  readonly cert: CertInfo;
  readonly key: CryptoKey;
}

export interface CertSpec {
  readonly subject: DnSpec;
  readonly role: IssueRole;
  readonly sans?: readonly San[];
  /** Validity: from notBefore (default now) for `days`, or until notAfter. */
  readonly days?: number;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly pathLength?: number;
  /** Digest of the signature (default SHA-256; ignored for Ed25519). */
  readonly hash?: 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA-1';
  /** Overrides, for deliberately defective demo and test certificates. */
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[] | null;
  readonly isCA?: boolean;
  readonly omitKeyIds?: boolean;
  /** Further extensions (DER values), for odd demo and test certificates. */
  readonly extra?: readonly { readonly oid: string; readonly critical: boolean; readonly value: Uint8Array }[];
}

export interface Issued {
  readonly certPem: string;
  readonly cert: CertInfo;
}

const EKU_OID: Readonly<Record<string, string>> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', codeSigning: '1.3.6.1.5.5.7.3.3' };
const KU_ISSUABLE = new Set(['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign']);
/** The library's flag of a key usage kspect issues (0 for any other name). */
const kuFlag = (name: string): number => (KU_ISSUABLE.has(name) ? x509.KeyUsageFlags[name as keyof typeof X509.KeyUsageFlags] : 0);
const EMAIL_OID = '1.2.840.113549.1.9.1';

function usageFlags(names: readonly string[]): X509.KeyUsageFlags {
  let n = 0;
  for (const u of names) n |= kuFlag(u);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment, @typescript-eslint/no-unnecessary-type-assertion -- a bit set of the enum's flags is not itself a member
  return n as X509.KeyUsageFlags;
}

export function keyAlgorithm(alg: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams | { name: 'Ed25519' } {
  switch (alg) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ecdsa-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'ed25519':
      return { name: 'Ed25519' };
    default: {
      const bits = Number(alg.slice(4));
      return { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    }
  }
}

interface RsaHashedKeyGenParams {
  name: string;
  modulusLength: number;
  publicExponent: Uint8Array;
  hash: string;
}
interface EcKeyGenParams {
  name: string;
  namedCurve: string;
}

export async function generateKeyPair(alg: KeyAlgorithm, env: IssueEnv): Promise<CryptoKeyPair> {
  return (await env.crypto.subtle.generateKey(keyAlgorithm(alg), true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** The signature algorithm a key signs with. */
function signingAlgorithm(key: CryptoKey, hash: string): { name: string; hash?: string } {
  const name = key.algorithm.name;
  if (name === 'Ed25519') return { name };
  if (name === 'ECDSA') return { name, hash };
  return { name: 'RSASSA-PKCS1-v1_5', hash };
}

function jsonName(dn: DnSpec): X509.JsonName {
  const out: X509.JsonName = [];
  if (dn.c !== undefined) out.push({ C: [dn.c] });
  if (dn.st !== undefined) out.push({ ST: [dn.st] });
  if (dn.l !== undefined) out.push({ L: [dn.l] });
  for (const o of dn.o ?? []) out.push({ O: [o] });
  for (const ou of dn.ou ?? []) out.push({ OU: [ou] });
  if (dn.cn !== undefined) out.push({ CN: [dn.cn] });
  if (dn.email !== undefined) out.push({ [EMAIL_OID]: [dn.email] });
  return out;
}

/** Random positive 128-bit serial, hex. */
export function randomSerial(env: IssueEnv): string {
  const b = env.crypto.getRandomValues(new Uint8Array(16));
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x40; // positive, and exactly 16 bytes in DER
  return Buffer.from(b).toString('hex');
}

function roleUsages(role: IssueRole, key: CryptoKey): { ku: string[]; eku: string[] } {
  if (role === 'ca') return { ku: ['digitalSignature', 'keyCertSign', 'cRLSign'], eku: [] };
  const ku = key.algorithm.name.startsWith('RSA') ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
  return { ku, eku: role === 'server' ? ['serverAuth'] : role === 'client' ? ['clientAuth'] : ['serverAuth', 'clientAuth'] };
}

function generalNames(sans: readonly San[]): X509.JsonGeneralNames {
  return sans.map((s) => ({ type: s.type === 'uri' ? 'url' : s.type, value: s.value }));
}

/** Issue a certificate for `publicKey`, signed by `signer` (or self-signed with `selfKey`). */
export async function issueCertificate(spec: CertSpec, publicKey: CryptoKey, signer: Signer | { readonly selfKey: CryptoKey }, env: IssueEnv): Promise<Issued> {
  const notBefore = spec.notBefore ?? new Date(Math.floor(env.now.getTime() / 1000) * 1000 - 5 * 60 * 1000);
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + (spec.days ?? (spec.role === 'ca' ? 3650 : 365)) * 86_400_000);
  const signingKey = 'selfKey' in signer ? signer.selfKey : signer.key;
  const usages = roleUsages(spec.role, publicKey);
  const isCA = spec.isCA ?? spec.role === 'ca';
  const extensions: X509.Extension[] = [new x509.BasicConstraintsExtension(isCA, isCA ? spec.pathLength : undefined, true)];
  const ku = spec.keyUsage ?? usages.ku;
  if (ku.length > 0) extensions.push(new x509.KeyUsagesExtension(usageFlags(ku), true));
  for (const x of spec.extra ?? []) extensions.push(new x509.Extension(x.oid, x.critical, x.value));
  const eku = spec.extKeyUsage === null ? [] : (spec.extKeyUsage ?? usages.eku);
  if (eku.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((u) => EKU_OID[u] ?? u), false));
  if (spec.sans && spec.sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(generalNames(spec.sans), false));
  if (!spec.omitKeyIds) {
    const ski = await x509.SubjectKeyIdentifierExtension.create(publicKey, false, env.crypto);
    extensions.push(ski);
    if ('selfKey' in signer) extensions.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId, false));
    else if (signer.cert.subjectKeyId !== undefined) extensions.push(new x509.AuthorityKeyIdentifierExtension(signer.cert.subjectKeyId, false));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(env),
      subject: new x509.Name(jsonName(spec.subject)),
      issuer: 'selfKey' in signer ? new x509.Name(jsonName(spec.subject)) : new x509.X509Certificate(signer.cert.der).subjectName,
      notBefore,
      notAfter,
      publicKey: publicKey,
      signingKey: signingKey as never,
      signingAlgorithm: signingAlgorithm(signingKey, spec.hash ?? 'SHA-256'),
      extensions,
    },
    env.crypto,
  );
  const der = new Uint8Array(cert.rawData);
  const parsed = parseCertificate(der);
  if (!parsed.ok) throw new Error(`issued certificate does not parse: ${parsed.error}`);
  return { certPem: toPem('CERTIFICATE', der), cert: parsed.value };
}

/** PKCS#8 PEM of a private key. Written to files with mode 600; never printed. */
export async function privateKeyPem(key: CryptoKey, env: IssueEnv): Promise<string> {
  const der = new Uint8Array(await env.crypto.subtle.exportKey('pkcs8', key));
  return toPem('PRIVATE KEY', der);
}

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Import a PEM private key (PKCS#8, PKCS#1 or SEC1) for signing. Encrypted keys are refused. */
export async function importSigningKey(pem: string, env: IssueEnv): Promise<Loaded<CryptoKey>> {
  const blocks = parsePem(pem).blocks.filter((b) => b.label.endsWith('PRIVATE KEY'));
  const block = blocks[0];
  if (!block) return { ok: false, error: 'no PEM private key found' };
  if (block.label === 'ENCRYPTED PRIVATE KEY' || (block.headers['Proc-Type'] ?? '').includes('ENCRYPTED')) return { ok: false, error: 'the key is encrypted; kspect does not decrypt keys' };
  let der: Buffer;
  let type: string | undefined;
  let curve: string | undefined;
  try {
    const k = createPrivateKey(pem.slice(pem.indexOf(`-----BEGIN ${block.label}-----`)));
    type = k.asymmetricKeyType;
    curve = k.asymmetricKeyDetails?.namedCurve;
    der = k.export({ type: 'pkcs8', format: 'der' });
  } catch (e) {
    return { ok: false, error: `not a usable private key (${e instanceof Error ? e.message : String(e)})` };
  }
  const alg =
    type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : type === 'ec'
        ? { name: 'ECDSA', namedCurve: curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256' }
        : type === 'ed25519'
          ? { name: 'Ed25519' }
          : undefined;
  if (!alg) return { ok: false, error: `unsupported key type ${type ?? 'unknown'}` };
  try {
    return { ok: true, value: await env.crypto.subtle.importKey('pkcs8', der, alg, true, ['sign']) };
  } catch (e) {
    return { ok: false, error: `cannot import the key (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** The public half of a private CryptoKey (via its JWK without the private fields). */
export async function publicOf(key: CryptoKey, env: IssueEnv): Promise<CryptoKey> {
  const jwk = await env.crypto.subtle.exportKey('jwk', key);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return env.crypto.subtle.importKey('jwk', { ...pub, key_ops: ['verify'] }, key.algorithm, true, ['verify']);
}

export interface CsrSpec {
  readonly subject: DnSpec;
  readonly sans?: readonly San[];
}

/** A PKCS#10 CSR signed by `keys`. */
export async function createCsr(spec: CsrSpec, keys: CryptoKeyPair, env: IssueEnv): Promise<string> {
  const extensions: X509.Extension[] = [];
  if (spec.sans && spec.sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(generalNames(spec.sans), false));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: new x509.Name(jsonName(spec.subject)),
      keys: keys as never,
      signingAlgorithm: signingAlgorithm(keys.privateKey, 'SHA-256'),
      extensions,
    },
    env.crypto,
  );
  return toPem('CERTIFICATE REQUEST', new Uint8Array(csr.rawData));
}

export interface SignOptions {
  readonly role: Exclude<IssueRole, 'ca'>;
  readonly days?: number;
  /** Sign even a request for CA:TRUE or for the system:masters group. */
  readonly force?: boolean;
}

export interface SignRefusal {
  readonly refused: readonly string[];
}

/** Sign a CSR (PEM or DER) with a CA. Dangerous requests are refused unless forced. */
export async function signCsr(csrBytes: Uint8Array, signer: Signer, options: SignOptions, env: IssueEnv): Promise<Loaded<Issued> | { ok: false; error: string; refused: readonly string[] }> {
  let der = csrBytes;
  const text = Buffer.from(csrBytes).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const block = parsePem(text).blocks.find((b) => b.label.endsWith('CERTIFICATE REQUEST'));
    if (!block) return { ok: false, error: 'no PEM "CERTIFICATE REQUEST" block found' };
    der = block.der;
  }
  const parsed = parseCsr(der);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const csr = parsed.value;
  const req = new x509.Pkcs10CertificateRequest(der);
  if (!(await req.verify())) return { ok: false, error: 'the CSR signature does not verify with its own key' };
  const refused: string[] = [];
  if (csr.requestsCA) refused.push('the request asks for CA:TRUE');
  for (const why of privilegedIdentity(csr.subject.cn, csr.subject.o)) refused.push(`the request carries ${why}`);
  if (refused.length > 0 && !options.force) return { ok: false, error: `refused: ${refused.join('; ')} (use --force to sign anyway)`, refused };
  if (options.days !== undefined) {
    const problem = daysProblem(options.days, csr.requestsCA && options.force === true);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  for (const [type, values] of [['dns', csr.sans.dns], ['ip', csr.sans.ip], ['email', csr.sans.email], ['uri', csr.sans.uri]] as const)
    for (const v of values) {
      const problem = sanProblem(type, v);
      if (problem !== undefined) return { ok: false, error: `the request's SAN "${v}" is invalid: ${problem}` };
    }
  if (options.role !== 'client' && !(csr.requestsCA && options.force) && csr.sans.dns.length + csr.sans.ip.length === 0)
    return { ok: false, error: `a ${options.role} certificate needs a DNS or IP SAN, and the request has none` };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the library types name the DOM Crypto, which this build does not load
  const exported: unknown = await req.publicKey.export(env.crypto as never);
  const publicKey = exported as CryptoKey;
  const sans: San[] = [
    ...csr.sans.dns.map((value) => ({ type: 'dns' as const, value })),
    ...csr.sans.ip.map((value) => ({ type: 'ip' as const, value })),
    ...csr.sans.email.map((value) => ({ type: 'email' as const, value })),
    ...csr.sans.uri.map((value) => ({ type: 'uri' as const, value })),
  ];
  const dn: DnSpec = dnFromName(req.subjectName);
  const issued = await issueCertificate(
    { subject: dn, role: options.role, sans, ...(options.days !== undefined ? { days: options.days } : {}), ...(csr.requestsCA && options.force ? { isCA: true, role: 'ca' as const } : {}) },
    publicKey,
    signer,
    env,
  );
  return { ok: true, value: issued };
}

function dnFromName(n: X509.Name): DnSpec {
  const one = (t: string): string | undefined => n.getField(t)[0];
  const cn = one('CN');
  const c = one('C');
  const st = one('ST');
  const l = one('L');
  const email = n.getField(EMAIL_OID)[0] ?? one('E');
  return {
    ...(cn !== undefined ? { cn } : {}),
    o: n.getField('O'),
    ou: n.getField('OU'),
    ...(c !== undefined ? { c } : {}),
    ...(st !== undefined ? { st } : {}),
    ...(l !== undefined ? { l } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}
