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
