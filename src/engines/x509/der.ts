/**
 * The fields of a certificate the PKI checks read, taken straight from its DER: one linear pass over the bytes, no
 * ASN.1 object tree. Only plain, strict DER in the shapes certificates are made of is read here; anything unusual
 * (BER lengths, unknown string types, non-ASCII text, unique identifiers, other GeneralName forms, …) answers
 * `undefined` and the caller reads the certificate with the ASN.1 library instead, so what the checks see never
 * depends on which reader ran (a differential test over every fixture, conformance input and generated certificate
 * holds the two to the same values).
 */

/** A certificate's fields as read from DER; names as text, extension values decoded. */
export interface DerCertFields {
  readonly serial: Uint8Array;
  readonly signatureOid: string;
  /** The signature algorithm's parameters as encoded (a NULL parameter is `null`, absent `undefined`). */
  readonly signatureParams: Uint8Array | null | undefined;
  readonly subject: DerName;
  readonly issuer: DerName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly DerExtension[];
  readonly basicConstraints?: { readonly cA: boolean; readonly pathLen?: number };
  /** Key usage bits as a number (bit 0 = digitalSignature), the library's reading of the BIT STRING. */
  readonly keyUsage?: number;
  readonly extKeyUsage?: readonly string[];
  readonly san?: { readonly dns: readonly string[]; readonly ip: readonly string[]; readonly email: readonly string[]; readonly uri: readonly string[] };
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
}

export interface DerName {
  /** RFC 4514-like text, as @peculiar/x509's Name#toString writes it. */
  readonly text: string;
  readonly cn: readonly string[];
  readonly o: readonly string[];
  readonly ou: readonly string[];
}

export interface DerExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Thrown inside the reader for anything it does not read; never leaves this module. */
class Unusual extends Error {}
const UNUSUAL = new Unusual('unusual encoding');

function need(ok: boolean): asserts ok {
  if (!ok) throw UNUSUAL;
}

/** One TLV: where it starts, tag byte, first content byte, end (exclusive). */
interface Tlv {
  readonly start: number;
  readonly tag: number;
  readonly body: number;
  readonly end: number;
}

/** Read a TLV at `at` ending at or before `limit`: single-byte tags, definite minimal lengths up to 2^24. */
function tlv(b: Uint8Array, at: number, limit: number): Tlv {
  need(at + 2 <= limit);
  const tag = b[at] as number;
  need((tag & 0x1f) !== 0x1f);
  let len = b[at + 1] as number;
  let body = at + 2;
  if (len >= 0x80) {
    const n = len & 0x7f;
    need(n >= 1 && n <= 3 && body + n <= limit);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[body + i] as number);
    need(len >= 0x80 && (n === 1 || (b[body] as number) !== 0));
    body += n;
  }
  const end = body + len;
  need(end <= limit);
  return { start: at, tag, body, end };
}

function expect(b: Uint8Array, at: number, limit: number, tag: number): Tlv {
  const t = tlv(b, at, limit);
  need(t.tag === tag);
  return t;
}

/** Object identifier text, as asn1js writes it; arcs are bounded to keep it exact. */
function oid(b: Uint8Array, t: Tlv): string {
  need(t.tag === 0x06 && t.end > t.body);
  const arcs: number[] = [];
  let v = 0;
  let fresh = true;
  for (let i = t.body; i < t.end; i++) {
    const c = b[i] as number;
    need(!(fresh && c === 0x80));
    fresh = false;
    v = v * 128 + (c & 0x7f);
    need(v < 0x80000000);
    if ((c & 0x80) === 0) {
      arcs.push(v);
      v = 0;
      fresh = true;
    }
  }
  need(fresh);
  const first = arcs[0] as number;
  const head = first < 40 ? `0.${first}` : first < 80 ? `1.${first - 40}` : `2.${first - 80}`;
  return arcs.length === 1 ? head : `${head}.${arcs.slice(1).join('.')}`;
}

/** ASCII text of a string's content; anything else is left to the library's decoders. */
function ascii(b: Uint8Array, t: Tlv): string {
  let s = '';
  for (let i = t.body; i < t.end; i++) {
    const c = b[i] as number;
    need(c < 0x80);
    s += String.fromCharCode(c);
  }
  return s;
}

const NAME_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

/** @peculiar/x509's escaping of a value in Name#toString (the last replace is not global there either). */
function escapeValue(v: string): string {
  return v
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** A Name: SEQUENCE OF SET OF { type, value } with UTF8String, PrintableString or IA5String ASCII values. */
function name(b: Uint8Array, t: Tlv): DerName {
  need(t.tag === 0x30);
  const rdns: string[] = [];
  const cn: string[] = [];
  const o: string[] = [];
  const ou: string[] = [];
  for (let at = t.body; at < t.end; ) {
    const set = expect(b, at, t.end, 0x31);
    need(set.end > set.body);
    const parts: string[] = [];
    for (let a = set.body; a < set.end; ) {
      const atv = expect(b, a, set.end, 0x30);
      const typeTlv = tlv(b, atv.body, atv.end);
      const type = oid(b, typeTlv);
      const val = tlv(b, typeTlv.end, atv.end);
      need(val.end === atv.end && (val.tag === 0x0c || val.tag === 0x13 || val.tag === 0x16));
      const text = ascii(b, val);
      parts.push(`${NAME_TYPES[type] ?? type}=${escapeValue(text)}`);
      if (type === '2.5.4.3') cn.push(text);
      else if (type === '2.5.4.10') o.push(text);
      else if (type === '2.5.4.11') ou.push(text);
      a = atv.end;
    }
    rdns.push(parts.join('+'));
    at = set.end;
  }
  return { text: rdns.join(', '), cn, o, ou };
}

const DIGITS = /^\d+Z$/;

function time(b: Uint8Array, t: Tlv): Date {
  const s = ascii(b, t);
  need(DIGITS.test(s));
  const n = (i: number, w: number): number => Number(s.slice(i, i + w));
  if (t.tag === 0x17) {
    need(s.length === 13);
    const yy = n(0, 2);
    return new Date(Date.UTC(yy >= 50 ? 1900 + yy : 2000 + yy, n(2, 2) - 1, n(4, 2), n(6, 2), n(8, 2), n(10, 2)));
  }
  need(t.tag === 0x18 && s.length === 15 && n(0, 4) >= 1000);
  return new Date(Date.UTC(n(0, 4), n(4, 2) - 1, n(6, 2), n(8, 2), n(10, 2), n(12, 2), 0));
}

function bool(b: Uint8Array, t: Tlv): boolean {
  need(t.tag === 0x01 && t.end === t.body + 1);
  return b[t.body] !== 0;
}

function basicConstraints(v: Uint8Array): { cA: boolean; pathLen?: number } {
  const s = expect(v, 0, v.length, 0x30);
  need(s.end === v.length);
  let at = s.body;
  let cA = false;
  let pathLen: number | undefined;
  if (at < s.end && v[at] === 0x01) {
    const t = tlv(v, at, s.end);
    cA = bool(v, t);
    at = t.end;
  }
  if (at < s.end) {
    const t = expect(v, at, s.end, 0x02);
    // The library reads INTEGERs of four bytes or more as text: those, and negative ones, are left to it.
    need(t.end > t.body && t.end - t.body <= 3 && (v[t.body] as number) < 0x80);
    pathLen = 0;
    for (let i = t.body; i < t.end; i++) pathLen = pathLen * 256 + (v[i] as number);
    at = t.end;
  }
  need(at === s.end);
  return pathLen !== undefined ? { cA, pathLen } : { cA };
}

function keyUsage(v: Uint8Array): number {
  const t = expect(v, 0, v.length, 0x03);
  need(t.end === v.length && t.end > t.body);
  const unused = v[t.body] as number;
  const bytes = t.end - t.body - 1;
  need(unused <= 7 && bytes <= 4 && (bytes > 0 || unused === 0));
  // Bit k (counted from the first byte's most significant bit) is worth 2^k; the unused bits do not count.
  let value = 0;
  const bits = bytes * 8 - unused;
  for (let k = 0; k < bits; k++) {
    const byte = v[t.body + 1 + (k >> 3)] as number;
    if ((byte & (0x80 >> (k & 7))) !== 0) value += 2 ** k;
  }
  return value;
}

function seqOfOids(v: Uint8Array): string[] {
  const s = expect(v, 0, v.length, 0x30);
  need(s.end === v.length);
  const out: string[] = [];
  for (let at = s.body; at < s.end; ) {
    const t = tlv(v, at, s.end);
    out.push(oid(v, t));
    at = t.end;
  }
  return out;
}

function ipText(v: Uint8Array, t: Tlv): string {
  const n = t.end - t.body;
  need(n === 4 || n === 16);
  if (n === 4) return `${v[t.body]}.${v[t.body + 1]}.${v[t.body + 2]}.${v[t.body + 3]}`;
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((((v[t.body + i] as number) << 8) | (v[t.body + i + 1] as number)).toString(16));
  // The longest run of two or more zero groups (the first of equal ones) becomes `::`.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen <= 1) return parts.join(':');
  return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

function subjectAltNames(v: Uint8Array): { dns: string[]; ip: string[]; email: string[]; uri: string[] } {
  const s = expect(v, 0, v.length, 0x30);
  need(s.end === v.length && s.end > s.body);
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  for (let at = s.body; at < s.end; ) {
    const t = tlv(v, at, s.end);
    if (t.tag === 0x82) out.dns.push(ascii(v, t));
    else if (t.tag === 0x87) out.ip.push(ipText(v, t));
    else if (t.tag === 0x81) out.email.push(ascii(v, t));
    else if (t.tag === 0x86) out.uri.push(ascii(v, t));
    else throw UNUSUAL;
    at = t.end;
  }
  return out;
}

function octets(v: Uint8Array): Uint8Array {
  const t = expect(v, 0, v.length, 0x04);
  need(t.end === v.length);
  return v.subarray(t.body, t.end);
}

function authorityKeyId(v: Uint8Array): Uint8Array | undefined {
  const s = expect(v, 0, v.length, 0x30);
  need(s.end === v.length);
  let id: Uint8Array | undefined;
  let at = s.body;
  if (at < s.end && v[at] === 0x80) {
    const t = tlv(v, at, s.end);
    id = v.subarray(t.body, t.end);
    at = t.end;
  }
  // authorityCertIssuer and the serial are parsed (and checked) by the library only: left to it.
  need(at === s.end);
  return id;
}

/**
 * An AlgorithmIdentifier: the OID and its parameters' TLV, if any. The library parses parameters as any ASN.1, so
 * only the parameters keys and signatures of certificates have here (none, NULL, a curve OID) are read; others
 * (RSASSA-PSS's) are left to it.
 */
function algorithm(b: Uint8Array, t: Tlv): { oid: string; params?: Tlv } {
  need(t.tag === 0x30);
  const id = tlv(b, t.body, t.end);
  const o = oid(b, id);
  if (id.end === t.end) return { oid: o };
  const p = tlv(b, id.end, t.end);
  need(p.end === t.end);
  if (p.tag === 0x05) need(p.end === p.body);
  else oid(b, p);
  return { oid: o, params: p };
}

/** DER certificate → the fields the checks read, or undefined when the library must read it. */
export function readCertificateDer(der: Uint8Array): DerCertFields | undefined {
  try {
    return read(der);
  } catch (e) {
    if (e instanceof Unusual) return undefined;
    throw e;
  }
}

function read(der: Uint8Array): DerCertFields {
  const cert = expect(der, 0, der.length, 0x30);
  need(cert.end === der.length);
  const tbs = expect(der, cert.body, cert.end, 0x30);
  const sigAlg = expect(der, tbs.end, cert.end, 0x30);
  const sigVal = expect(der, sigAlg.end, cert.end, 0x03);
  need(sigVal.end === cert.end);
  const alg = algorithm(der, sigAlg);
  const signatureParams = alg.params === undefined ? undefined : alg.params.tag === 0x05 ? null : der.subarray(alg.params.start, alg.params.end);

  let at = tbs.body;
  if (der[at] === 0xa0) {
    const v = tlv(der, at, tbs.end);
    const i = expect(der, v.body, v.end, 0x02);
    need(i.end === v.end && i.end === i.body + 1 && (der[i.body] as number) <= 2);
    at = v.end;
  }
  const serialT = expect(der, at, tbs.end, 0x02);
  const innerAlg = tlv(der, serialT.end, tbs.end);
  algorithm(der, innerAlg);
  const issuerT = tlv(der, innerAlg.end, tbs.end);
  const validity = expect(der, issuerT.end, tbs.end, 0x30);
  const nb = tlv(der, validity.body, validity.end);
  const na = tlv(der, nb.end, validity.end);
  need(na.end === validity.end);
  const subjectT = tlv(der, validity.end, tbs.end);
  const spki = expect(der, subjectT.end, tbs.end, 0x30);
  const keyAlg = tlv(der, spki.body, spki.end);
  algorithm(der, keyAlg);
  const keyBits = expect(der, keyAlg.end, spki.end, 0x03);
  need(keyBits.end === spki.end && keyBits.end > keyBits.body && (der[keyBits.body] as number) <= 7);
  at = spki.end;
  const extensions: DerExtension[] = [];
  if (at < tbs.end) {
    const wrap = expect(der, at, tbs.end, 0xa3);
    const seq = expect(der, wrap.body, wrap.end, 0x30);
    need(seq.end === wrap.end);
    for (let e = seq.body; e < seq.end; ) {
      const ext = expect(der, e, seq.end, 0x30);
      const id = tlv(der, ext.body, ext.end);
      let next = id.end;
      let critical = false;
      if (der[next] === 0x01) {
        const c = tlv(der, next, ext.end);
        critical = bool(der, c);
        next = c.end;
      }
      const value = expect(der, next, ext.end, 0x04);
      need(value.end === ext.end);
      extensions.push({ oid: oid(der, id), critical, value: der.subarray(value.body, value.end) });
      e = ext.end;
    }
    at = wrap.end;
  }
  need(at === tbs.end);

  const find = (o: string): Uint8Array | undefined => extensions.find((x) => x.oid === o)?.value;
  const bc = find('2.5.29.19');
  const ku = find('2.5.29.15');
  const eku = find('2.5.29.37');
  const san = find('2.5.29.17');
  const ski = find('2.5.29.14');
  const aki = find('2.5.29.35');
  const akiId = aki ? authorityKeyId(aki) : undefined;
  return {
    serial: der.subarray(serialT.body, serialT.end),
    signatureOid: alg.oid,
    signatureParams,
    subject: name(der, subjectT),
    issuer: name(der, issuerT),
    notBefore: time(der, nb),
    notAfter: time(der, na),
    extensions,
    ...(bc ? { basicConstraints: basicConstraints(bc) } : {}),
    ...(ku ? { keyUsage: keyUsage(ku) } : {}),
    ...(eku ? { extKeyUsage: seqOfOids(eku) } : {}),
    ...(san ? { san: subjectAltNames(san) } : {}),
    ...(ski ? { subjectKeyId: octets(ski) } : {}),
    ...(akiId ? { authorityKeyId: akiId } : {}),
  };
}
