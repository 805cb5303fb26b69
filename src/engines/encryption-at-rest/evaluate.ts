/**
 * What kube-apiserver would make of one value in etcd, given its EncryptionConfiguration: which provider and key
 * wrote it, whether the configured key really decrypts it (aescbc; aesgcm with the etcd key as additional
 * authenticated data; secretbox — XSalsa20-Poly1305 with a 24-byte nonce in front; KMS is recognised only), and
 * whether it was written with the current write provider. Mirrors the apiserver's prefix transformers: providers are
 * tried in order, an error on one with a matching prefix falls through to the next, and a read with any but the
 * first provider is stale. Never returns plaintext.
 */
import { createDecipheriv } from 'node:crypto';
import nacl from 'tweetnacl';
import type { ConfigKey, EncryptionConfig, GroupResource, ProviderConfig } from './config.js';
import { providersFor } from './config.js';
import { classifyStored, isJsonText, plainEncodingOf, type PlainEncoding, type StoredForm } from './format.js';

export type Verdict =
  /** Encrypted with the write provider and key, and (except KMS) proven by decrypting. */
  | 'current'
  /** Readable, but not with the write provider/key: needs a rewrite (e.g. `kubectl replace`) to pick up the new key. */
  | 'stale'
  /** Plaintext while the configuration writes this resource encrypted (or no configuration encrypts it). */
  | 'plaintext'
  /** Plaintext, and the configuration writes it as plaintext too (identity first): not encrypted by policy. */
  | 'plaintext-by-config'
  /** Encrypted with a key (or KMS provider) name the configuration does not have: the API server cannot read it. */
  | 'unknown-key'
  /** A configured key of that name exists but does not decrypt the value (wrong key material or damaged value). */
  | 'undecryptable'
  /** Written by a KMS provider of the configuration: recognised, not verified (kspect does not call KMS plugins). */
  | 'kms-unverified'
  /** No configuration was given: classified by its prefix only. */
  | 'unverified';

export interface Evaluation {
  readonly stored: StoredForm;
  readonly verdict: Verdict;
  /** Encoding of the decrypted value, when kspect decrypted it. */
  readonly decryptedEncoding?: PlainEncoding;
  /** The write provider for this resource under the configuration (`identity` when it writes plaintext). */
  readonly writeProvider?: string;
  /** One line of explanation; never contains the value. */
  readonly detail: string;
}

/** Decrypt an aescbc/aesgcm/secretbox payload; undefined when the key does not open it. */
export function decryptPayload(provider: 'aescbc' | 'aesgcm' | 'secretbox', key: Uint8Array, payload: Uint8Array, authenticatedData: Uint8Array): Uint8Array | undefined {
  try {
    if (provider === 'secretbox') {
      if (key.length !== 32 || payload.length < 24 + 16) return undefined;
      return nacl.secretbox.open(payload.subarray(24), payload.subarray(0, 24), key) ?? undefined;
    }
    const bits = key.length * 8;
    if (provider === 'aescbc') {
      if (payload.length < 32 || payload.length % 16 !== 0) return undefined;
      const d = createDecipheriv(`aes-${bits}-cbc`, key, payload.subarray(0, 16));
      return new Uint8Array(Buffer.concat([d.update(payload.subarray(16)), d.final()]));
    }
    if (payload.length < 12 + 16) return undefined;
    const d = createDecipheriv(`aes-${bits}-gcm` as 'aes-256-gcm', key, payload.subarray(0, 12));
    d.setAAD(authenticatedData);
    d.setAuthTag(payload.subarray(payload.length - 16));
    return new Uint8Array(Buffer.concat([d.update(payload.subarray(12, payload.length - 16)), d.final()]));
  } catch {
    return undefined;
  }
}

function describeProvider(p: ProviderConfig | undefined): string {
  if (!p) return 'identity';
  if (p.type === 'identity') return 'identity';
  if (p.type === 'kms') return `kms ${p.apiVersion} (${p.name})`;
  const first = p.keys[0];
  return `${p.type} (key ${first?.name ?? '?'})`;
}

/**
 * Evaluate a value stored under `etcdKey` for `resource`. Without a configuration, only the stored form is known.
 */
export function evaluateValue(value: Uint8Array, etcdKey: string, resource: GroupResource | undefined, config: EncryptionConfig | undefined): Evaluation {
  const stored = classifyStored(value);
  if (!config || !resource) {
    const verdict = stored.state === 'plaintext' ? 'plaintext' : 'unverified';
    return { stored, verdict, detail: stored.state === 'plaintext' ? `stored in plaintext (${stored.encoding})` : stored.state === 'encrypted' ? `encrypted with ${stored.provider} ${stored.version}, key ${stored.keyName}` : `unrecognised envelope ${stored.prefix}` };
  }
  const providers = providersFor(config, resource) ?? [];
  const write = providers[0];
  const writeProvider = describeProvider(write);
  const aad = new TextEncoder().encode(etcdKey);

  if (stored.state === 'unrecognised-envelope') {
    return { stored, verdict: 'unknown-key', writeProvider, detail: `unrecognised envelope ${stored.prefix}: kube-apiserver has no provider for it` };
  }
  if (stored.state === 'plaintext') {
    const identityAt = providers.findIndex((p) => p.type === 'identity');
    if (providers.length === 0 || identityAt === 0) {
      return { stored, verdict: providers.length === 0 ? 'plaintext' : 'plaintext-by-config', writeProvider, detail: providers.length === 0 ? `stored in plaintext (${stored.encoding}); no rule of the configuration encrypts this resource` : `stored in plaintext (${stored.encoding}); the configuration writes it in plaintext (identity first)` };
    }
    if (identityAt < 0) return { stored, verdict: 'plaintext', writeProvider, detail: `stored in plaintext (${stored.encoding}); the configuration has no identity provider, so kube-apiserver cannot read it` };
    return { stored, verdict: 'plaintext', writeProvider, detail: `stored in plaintext (${stored.encoding}), written before encryption was enabled; rewrite it to encrypt it with ${writeProvider}` };
  }

  // Encrypted: walk providers in order like the prefix transformers, counting each key as its own transformer.
  let index = 0;
  let sawName = false;
  for (const p of providers) {
    if (p.type === 'identity') {
      index++;
      continue;
    }
    if (p.type === 'kms') {
      if (stored.provider === 'kms' && stored.version === p.apiVersion && stored.keyName === p.name) {
        return { stored, verdict: index === 0 ? 'kms-unverified' : 'stale', writeProvider, detail: index === 0 ? `written by KMS ${p.apiVersion} provider ${p.name} (the write provider); not decrypted by kspect` : `written by KMS ${p.apiVersion} provider ${p.name}, which is no longer the write provider (${writeProvider})` };
      }
      index++;
      continue;
    }
    for (const k of p.keys) {
      if (stored.provider === p.type && stored.keyName === k.name) {
        sawName = true;
        const plain = openWith(p.type, k, value.subarray(stored.prefixLength), aad);
        // aescbc authenticates nothing: other key material gives valid padding about once in 256 values, and garbage.
        // kube-apiserver then fails to decode the object; so does kspect: only a stored object's encoding counts, and
        // garbage that starts with `{` (about one in 256 of those) must be JSON throughout.
        const encoding = plain ? plainEncodingOf(plain) : 'unknown';
        if (plain && p.type === 'aescbc' && !decodable(plain, encoding)) plain.fill(0);
        else if (plain) {
          plain.fill(0);
          return index === 0
            ? { stored, verdict: 'current', writeProvider, decryptedEncoding: encoding, detail: `encrypted with ${p.type}, key ${k.name} (the write key); decrypts to ${encoding}` }
            : { stored, verdict: 'stale', writeProvider, decryptedEncoding: encoding, detail: `encrypted with ${p.type}, key ${k.name}, which is no longer the write key (${writeProvider}); decrypts to ${encoding}` };
        }
      }
      index++;
    }
  }
  const what = stored.provider === 'kms' ? `KMS ${stored.version} provider ${stored.keyName}` : `${stored.provider} key ${stored.keyName}`;
  if (sawName) return { stored, verdict: 'undecryptable', writeProvider, detail: `encrypted with ${what}, but the configured key of that name does not decrypt it` };
  return { stored, verdict: 'unknown-key', writeProvider, detail: `encrypted with ${what}, which the configuration does not have for this resource` };
}

/** Whether decrypted bytes are an object kube-apiserver could decode: a known encoding, and JSON that is JSON. */
function decodable(plain: Uint8Array, encoding: PlainEncoding): boolean {
  return encoding !== 'unknown' && (encoding !== 'json' || isJsonText(plain));
}

function openWith(type: 'aescbc' | 'aesgcm' | 'secretbox', k: ConfigKey, payload: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  if (!k.secret) return undefined;
  return decryptPayload(type, k.secret, payload, aad);
}
