/**
 * Verifying image signatures, as cosign stores them:
 * - a Sigstore bundle (v0.3, cosign v3's default) attached as an OCI 1.1 referrer — found through the referrers API
 *   or the `sha256-<hex>` referrers tag — holding a DSSE envelope with an in-toto statement whose subject is the
 *   image digest (`https://sigstore.dev/cosign/sign/v1`), or a message signature over the image manifest
 *   (`cosign sign-blob --bundle` of the manifest); verified with `@sigstore/verify`;
 * - the legacy `sha256-<hex>.sig` simple-signing manifests: each layer is a JSON payload naming the image digest and
 *   repository, signed by the annotation `dev.cosignproject.cosign/signature`; verified with node:crypto.
 * A signature counts only when it verifies with a trusted key (or keyless identity under a user-supplied trusted
 * root) AND what it signs is this image's digest. Pure: the evidence is fetched by sources/registry.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { HashAlgorithm, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type Signer, type TrustMaterial } from '@sigstore/verify';
import type { KeylessIdentity } from '../../core/image-policy.js';
import { parseImageRef } from '../../model/image.js';

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';

/** Where a signature was found. */
export type SignatureVia = 'referrers-api' | 'referrers-tag' | 'legacy-tag' | 'layout';

export type SignatureEvidence =
  | { readonly kind: 'bundle'; readonly via: SignatureVia; readonly location: string; readonly bundle: Buffer }
  | { readonly kind: 'simple-signing'; readonly via: SignatureVia; readonly location: string; readonly payload: Buffer; readonly signature: string; readonly certificate?: string };

/** A trusted public key, named for messages (its file name). */
export interface TrustedKey {
  readonly name: string;
  readonly key: KeyObject;
}

/** Keys and keyless identities one rule trusts, with the parsed trusted root for keyless ones. */
export interface TrustSet {
  readonly keys: readonly TrustedKey[];
  readonly keyless: readonly KeylessIdentity[];
  readonly trustedRoot?: TrustedRoot;
}

export type SignatureCheck =
  | { readonly ok: true; readonly signer: string; readonly via: SignatureVia; readonly location: string }
  | { readonly ok: false; readonly problem: 'untrusted' | 'digest-mismatch' | 'reference-mismatch' | 'malformed' | 'unsupported'; readonly detail: string; readonly via: SignatureVia; readonly location: string };

/** Parse a PEM public key (cosign ECDSA, Ed25519, RSA); an error line on failure. */
export function parsePublicKey(pem: string | Buffer): KeyObject | string {
  try {
    const k = createPublicKey(pem);
    if (k.type !== 'public') return 'not a public key';
    return k;
  } catch (e) {
    return `not a PEM public key (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}

/** Parse a Sigstore trusted_root.json document. */
export function parseTrustedRoot(doc: unknown): TrustedRoot | string {
  if (typeof doc !== 'object' || doc === null || typeof (doc as { mediaType?: unknown }).mediaType !== 'string' || !(doc as { mediaType: string }).mediaType.includes('trustedroot')) {
    return 'not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot…)';
  }
  try {
    return TrustedRoot.fromJSON(doc);
  } catch (e) {
    return `not a Sigstore trusted root: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const EMPTY_ROOT = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });

function keyMaterial(key: KeyObject): TrustMaterial {
  return toTrustMaterial(EMPTY_ROOT, () => ({ publicKey: key, validFor: () => true }));
}

/** `*` matches any run of characters; everything else literally. Linear: no regular expression. */
export function identityMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || !value.endsWith(last) || value.length < first.length + last.length) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const mid of parts.slice(1, -1)) {
    const i = value.indexOf(mid, at);
    if (i < 0 || i + mid.length > end) return false;
    at = i + mid.length;
  }
  return true;
}

function hexOf(digest: string): { alg: string; hex: string } {
  const i = digest.indexOf(':');
  return { alg: digest.slice(0, i), hex: digest.slice(i + 1) };
}

function errText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/** What a verified bundle signs must be this image: the in-toto subject digest, or the message digest of the manifest. */
function bundleSubjectProblem(bundle: Bundle, imageDigest: string): string | undefined {
  const { alg, hex } = hexOf(imageDigest);
  const content = bundle.content;
  if (content.$case === 'dsseEnvelope') {
    const env = content.dsseEnvelope;
    if (env.payloadType !== 'application/vnd.in-toto+json') return `the envelope's payload type is ${env.payloadType}, not an in-toto statement`;
    let st: unknown;
    try {
      st = JSON.parse(env.payload.toString('utf8'));
    } catch {
      return 'the signed statement is not JSON';
    }
    const s = st as { predicateType?: unknown; subject?: unknown };
    if (s.predicateType !== COSIGN_SIGN_PREDICATE) return `the signed statement is an attestation (${String(s.predicateType)}), not an image signature`;
    const subjects = Array.isArray(s.subject) ? (s.subject as { digest?: Record<string, unknown> }[]) : [];
    if (subjects.some((x) => x.digest?.[alg] === hex)) return undefined;
    const signed = subjects.map((x) => Object.entries(x.digest ?? {}).map(([a, h]) => `${a}:${String(h)}`).join(',')).join(' ');
    return `it signs ${signed || 'no digest'}, not ${imageDigest}`;
  }
  const md = content.messageSignature.messageDigest;
  const mdAlg = md.algorithm === HashAlgorithm.SHA2_384 ? 'sha384' : md.algorithm === HashAlgorithm.SHA2_512 ? 'sha512' : 'sha256';
  const signed = `${mdAlg}:${md.digest.toString('hex')}`;
  return signed === imageDigest ? undefined : `it signs ${signed}, not ${imageDigest}`;
}

function verifyBundle(ev: Extract<SignatureEvidence, { kind: 'bundle' }>, imageDigest: string, manifest: Buffer | undefined, trust: TrustSet): SignatureCheck {
  const base = { via: ev.via, location: ev.location };
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(JSON.parse(ev.bundle.toString('utf8')));
  } catch (e) {
    return { ok: false, problem: 'malformed', detail: `the bundle does not parse: ${errText(e)}`, ...base };
  }
  const isDsse = bundle.content.$case === 'dsseEnvelope';
  if (!isDsse && !manifest) return { ok: false, problem: 'unsupported', detail: 'a message-signature bundle needs the image manifest, which was not read', ...base };
  if (!isDsse) {
    // A message signature is over content whose digest it names; when that is not this image, it says nothing about it
    // (and its signature cannot be checked without that other content).
    const subject = bundleSubjectProblem(bundle, imageDigest);
    if (subject !== undefined) return { ok: false, problem: 'digest-mismatch', detail: `the bundle ${subject}`, ...base };
  }
  let entity;
  try {
    entity = toSignedEntity(bundle, isDsse ? undefined : manifest);
  } catch (e) {
    return { ok: false, problem: 'malformed', detail: `the bundle is not usable: ${errText(e)}`, ...base };
  }
  const failures: string[] = [];
  if (entity.key.$case === 'public-key') {
    // No transparency log is consulted for key-signed bundles (as `cosign verify --key` with the tlog ignored):
    // the signature and the subject decide.
    const bare = { ...entity, tlogEntries: [], timestamps: [] };
    for (const k of trust.keys) {
      try {
        new Verifier(keyMaterial(k.key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(bare);
      } catch (e) {
        failures.push(`${k.name}: ${errText(e)}`);
        continue;
      }
      const subject = bundleSubjectProblem(bundle, imageDigest);
      if (subject !== undefined) return { ok: false, problem: 'digest-mismatch', detail: `signature by ${k.name} verifies, but ${subject}`, ...base };
      return { ok: true, signer: `key ${k.name}`, ...base };
    }
    return { ok: false, problem: 'untrusted', detail: trust.keys.length === 0 ? 'signed with a key, but the rule trusts keyless identities only' : `no trusted key verifies it (${failures.join('; ')})`, ...base };
  }
  if (!trust.trustedRoot || trust.keyless.length === 0) return { ok: false, problem: 'untrusted', detail: 'a keyless signature, but the rule trusts keys only', ...base };
  let signer: Signer;
  try {
    signer = new Verifier(toTrustMaterial(trust.trustedRoot)).verify(entity);
  } catch (e) {
    return { ok: false, problem: 'untrusted', detail: `the keyless signature does not verify under the trusted root: ${errText(e)}`, ...base };
  }
  const san = signer.identity?.subjectAlternativeName ?? '';
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const match = trust.keyless.find((id) => identityMatches(id.identity, san) && id.issuer === issuer);
  if (!match) return { ok: false, problem: 'untrusted', detail: `signed by ${san} (issuer ${issuer}), which no keyless identity of the rule names`, ...base };
  const subject = bundleSubjectProblem(bundle, imageDigest);
  if (subject !== undefined) return { ok: false, problem: 'digest-mismatch', detail: `signature by ${san} verifies, but ${subject}`, ...base };
  return { ok: true, signer: `${san} (issuer ${issuer})`, ...base };
}

function verifySimpleSigning(ev: Extract<SignatureEvidence, { kind: 'simple-signing' }>, imageDigest: string, imageName: string, trust: TrustSet): SignatureCheck {
  const base = { via: ev.via, location: ev.location };
  if (ev.certificate !== undefined && trust.keys.length === 0) {
    return { ok: false, problem: 'unsupported', detail: 'a legacy keyless signature (certificate annotation); kspect verifies keyless signatures from Sigstore bundles only', ...base };
  }
  const sig = Buffer.from(ev.signature, 'base64');
  const failures: string[] = [];
  for (const k of trust.keys) {
    const algs: (string | null)[] = k.key.asymmetricKeyType === 'ed25519' ? [null] : ['sha256', 'sha384', 'sha512'];
    let verified = false;
    for (const alg of algs) {
      try {
        if (cryptoVerify(alg, ev.payload, k.key, sig)) {
          verified = true;
          break;
        }
      } catch {
        // a key of another kind: try the next
      }
    }
    if (!verified) {
      failures.push(k.name);
      continue;
    }
    let payload: { critical?: { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
    try {
      payload = JSON.parse(ev.payload.toString('utf8')) as typeof payload;
    } catch {
      return { ok: false, problem: 'malformed', detail: `signature by ${k.name} verifies, but its payload is not JSON`, ...base };
    }
    const signedDigest = payload.critical?.image?.['docker-manifest-digest'];
    if (signedDigest !== imageDigest) return { ok: false, problem: 'digest-mismatch', detail: `signature by ${k.name} verifies, but it signs ${String(signedDigest)}, not ${imageDigest}`, ...base };
    const signedRef = payload.critical?.identity?.['docker-reference'];
    const parsed = typeof signedRef === 'string' ? parseImageRef(signedRef) : undefined;
    if (!parsed?.ok || parsed.value.name.toLowerCase() !== imageName.toLowerCase()) {
      return { ok: false, problem: 'reference-mismatch', detail: `signature by ${k.name} verifies, but it was made for ${String(signedRef)}, not ${imageName}`, ...base };
    }
    return { ok: true, signer: `key ${k.name}`, ...base };
  }
  return { ok: false, problem: 'untrusted', detail: trust.keys.length === 0 ? 'a key signature, but the rule trusts keyless identities only' : `no trusted key verifies it (tried ${failures.join(', ')})`, ...base };
}

/** Check one signature of an image (digest and repository name) against a rule's trust set. */
export function checkSignature(ev: SignatureEvidence, image: { readonly digest: string; readonly name: string; readonly manifest?: Buffer }, trust: TrustSet): SignatureCheck {
  return ev.kind === 'bundle' ? verifyBundle(ev, image.digest, image.manifest, trust) : verifySimpleSigning(ev, image.digest, image.name, trust);
}
