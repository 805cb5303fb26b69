/**
 * How kube-apiserver lays a value out in etcd, recognised from its first bytes:
 * - plaintext: protobuf with the `k8s\0` magic, JSON (`{`), or CBOR (self-described, tag 55799 = d9 d9 f7);
 * - encrypted: `k8s:enc:<provider>:v1:<key name>:` for aescbc, aesgcm and secretbox, `k8s:enc:kms:v1:<provider name>:`
 *   and `k8s:enc:kms:v2:<provider name>:` for KMS, followed by the provider's payload.
 * Pure; never returns or keeps the value itself.
 */

export type PlainEncoding = 'protobuf' | 'json' | 'cbor' | 'unknown';
export type EncryptingProvider = 'aescbc' | 'aesgcm' | 'secretbox' | 'kms';

export type StoredForm =
  | { readonly state: 'plaintext'; readonly encoding: PlainEncoding }
  | {
      readonly state: 'encrypted';
      readonly provider: EncryptingProvider;
      /** `v1`, or `v2` for KMS v2. */
      readonly version: 'v1' | 'v2';
      /** Key name (aescbc, aesgcm, secretbox) or KMS provider name. */
      readonly keyName: string;
      /** Length of the `k8s:enc:…:` prefix including the key name and its colon. */
      readonly prefixLength: number;
    }
  | {
      /** `k8s:enc:` followed by something kube-apiserver does not write. */
      readonly state: 'unrecognised-envelope';
      readonly prefix: string;
    };

const PROTOBUF_MAGIC = [0x6b, 0x38, 0x73, 0x00];
const CBOR_SELF_DESCRIBED = [0xd9, 0xd9, 0xf7];
const ENC = 'k8s:enc:';
const ENVELOPE = /^k8s:enc:(aescbc|aesgcm|secretbox|kms):(v1|v2):([^:]*):/;

function startsWith(value: Uint8Array, bytes: readonly number[]): boolean {
  if (value.length < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (value[i] !== bytes[i]) return false;
  return true;
}

/** The encoding of an unencrypted value (also used on decrypted plaintext). */
export function plainEncodingOf(value: Uint8Array): PlainEncoding {
  if (startsWith(value, PROTOBUF_MAGIC)) return 'protobuf';
  if (startsWith(value, CBOR_SELF_DESCRIBED)) return 'cbor';
  let i = 0;
  while (i < value.length && (value[i] === 0x20 || value[i] === 0x0a || value[i] === 0x0d || value[i] === 0x09)) i++;
  if (value[i] === 0x7b) return 'json';
  return 'unknown';
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];
const ESCAPED = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/**
 * Whether `value` is one JSON text (RFC 8259; whitespace around it allowed), checked over the bytes in one pass: no
 * string is made of it (it may be a decrypted Secret). Bytes from 0x80 up are taken as they come, as Go's decoder
 * takes invalid UTF-8. Nesting is an explicit stack, so any depth is one loop.
 */
export function isJsonText(v: Uint8Array): boolean {
  const n = v.length;
  let i = 0;
  const ws = (): void => {
    while (i < n && isSpace(v[i])) i++;
  };
  const literal = (word: readonly number[]): boolean => {
    for (const b of word) if (v[i++] !== b) return false;
    return true;
  };
  const string = (): boolean => {
    if (v[i] !== 0x22) return false;
    i++;
    while (i < n) {
      const c = v[i] as number;
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = v[i + 1];
        if (e === 0x75) {
          if (!(isHex(v[i + 2]) && isHex(v[i + 3]) && isHex(v[i + 4]) && isHex(v[i + 5]))) return false;
          i += 6;
        } else if (e !== undefined && ESCAPED.has(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    if (v[i] === 0x2d) i++;
    if (v[i] === 0x30) i++;
    else if (isDigit(v[i])) while (isDigit(v[i])) i++;
    else return false;
    if (v[i] === 0x2e) {
      i++;
      if (!isDigit(v[i])) return false;
      while (isDigit(v[i])) i++;
    }
    if (v[i] === 0x65 || v[i] === 0x45) {
      i++;
      if (v[i] === 0x2b || v[i] === 0x2d) i++;
      if (!isDigit(v[i])) return false;
      while (isDigit(v[i])) i++;
    }
    return true;
  };
  /** A member's name and colon, then whitespace: the value comes next. */
  const member = (): boolean => {
    if (!string()) return false;
    ws();
    if (v[i] !== 0x3a) return false;
    i++;
    ws();
    return true;
  };
  /** The open containers: true for an object, false for an array. */
  const open: boolean[] = [];
  ws();
  for (;;) {
    // A value starts at i.
    const c = v[i];
    if (c === 0x7b || c === 0x5b) {
      i++;
      ws();
      if (v[i] !== (c === 0x7b ? 0x7d : 0x5d)) {
        open.push(c === 0x7b);
        if (c === 0x7b && !member()) return false;
        continue;
      }
      i++;
    } else if (c === 0x22) {
      if (!string()) return false;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      if (!literal(c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL)) return false;
    } else if (!number()) return false;
    // After a value: the next member or item, or the end of containers, or of the text.
    for (;;) {
      ws();
      if (open.length === 0) return i === n;
      const inObject = open[open.length - 1] as boolean;
      if (v[i] === 0x2c) {
        i++;
        ws();
        if (inObject && !member()) return false;
        break;
      }
      if (v[i] !== (inObject ? 0x7d : 0x5d)) return false;
      i++;
      open.pop();
    }
  }
}

/** Classify a stored value by its first bytes. */
export function classifyStored(value: Uint8Array): StoredForm {
  const head = asciiHead(value, 300);
  if (!head.startsWith(ENC)) return { state: 'plaintext', encoding: plainEncodingOf(value) };
  const m = ENVELOPE.exec(head);
  if (!m) return { state: 'unrecognised-envelope', prefix: head.slice(0, Math.min(head.length, head.indexOf(':', ENC.length + 1) + 1 || 24)) };
  const provider = m[1] as EncryptingProvider;
  const version = m[2] as 'v1' | 'v2';
  if (version === 'v2' && provider !== 'kms') return { state: 'unrecognised-envelope', prefix: `k8s:enc:${provider}:v2:` };
  return { state: 'encrypted', provider, version, keyName: m[3] ?? '', prefixLength: m[0].length };
}

/** Leading bytes as Latin-1 text, stopping at the first byte that cannot be in a prefix. */
function asciiHead(value: Uint8Array, max: number): string {
  let s = '';
  for (let i = 0; i < value.length && i < max; i++) {
    const c = value[i] as number;
    if (c < 0x20 || c > 0x7e) break;
    s += String.fromCharCode(c);
  }
  return s;
}
