/**
 * Verifying image signatures, as cosign stores them:
 * - a Sigstore bundle (v0.3, cosign v3's default) attached as an OCI 1.1 referrer — found through the referrers API
 *   or the `sha256-<hex>` referrers tag — holding a DSSE envelope with an in-toto statement whose subject is the
 *   image digest (`https://sigstore.dev/cosign/sign/v1`), or a message signature over the image manifest
 *   (`cosign sign-blob --bundle` of the manifest); verified with `@sigstore/verify`;
 * - the legacy `sha256-<hex>.sig` simple-signing manifests: each layer is a JSON payload naming the image digest and
 *   repository, signed by the annotation `dev.cosignproject.cosign/signature`; with a key alone it is verified with
 *   node:crypto. A legacy signature with a Fulcio certificate (`dev.sigstore.cosign/certificate`) or one whose rule
 *   requires the transparency log is laid out as the v0.1 Sigstore bundle it is — message signature over the payload,
 *   the Rekor entry and its signed entry timestamp from `dev.sigstore.cosign/bundle` — and verified like a bundle.
 * A signature counts only when it verifies with a trusted key (or keyless identity under a user-supplied trusted
 * root) AND what it signs is this image's digest. When the rule has a trusted root, key signatures must also be in
 * one of its transparency logs (as `cosign verify --key` does; `transparencyLog: ignored` is its
 * `--insecure-ignore-tlog`); keyless ones always must (their certificate is only valid at the logged time).
 * Pure: the evidence is fetched by sources/registry.
 */
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import type * as SigstoreBundle from '@sigstore/bundle';
import type { Bundle } from '@sigstore/bundle';
import type * as SigstoreSpecs from '@sigstore/protobuf-specs';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type * as SigstoreVerify from '@sigstore/verify';
import type { SignedEntity, Signer, TrustMaterial } from '@sigstore/verify';
import { lazyModule } from '../lazy.js';
import type { KeylessIdentity } from '../../core/image-policy.js';
import { parseImageRef } from '../../model/image.js';

// Loaded on first use (../lazy.ts): a scan that verifies no signature never loads sigstore.
const sigBundle = lazyModule<typeof SigstoreBundle>('@sigstore/bundle');
const sigSpecs = lazyModule<typeof SigstoreSpecs>('@sigstore/protobuf-specs');
const sigVerify = lazyModule<typeof SigstoreVerify>('@sigstore/verify');

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
/** The Rekor entry of a legacy signature: `{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}`. */
export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
/** The payload type cosign writes into `critical.type` of a simple-signing payload. */
export const COSIGN_PAYLOAD_TYPE = 'cosign container image signature';

/** Where a signature was found. */
export type SignatureVia = 'referrers-api' | 'referrers-tag' | 'legacy-tag' | 'layout';

export type SignatureEvidence =
  | { readonly kind: 'bundle'; readonly via: SignatureVia; readonly location: string; readonly bundle: Buffer }
  | {
      readonly kind: 'simple-signing';
      readonly via: SignatureVia;
      readonly location: string;
      readonly payload: Buffer;
      readonly signature: string;
      /** PEM signing certificate (keyless). */
      readonly certificate?: string;
      /** The `dev.sigstore.cosign/bundle` annotation (JSON text): the Rekor entry with its signed entry timestamp. */
      readonly rekorBundle?: string;
    };

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
  /** Key signatures must be in a transparency log of the trusted root (keyless ones always must). */
  readonly requireTlog?: boolean;
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
    return sigSpecs.TrustedRoot.fromJSON(doc);
  } catch (e) {
    return `not a Sigstore trusted root: ${e instanceof Error ? e.message : String(e)}`;
  }
}

let emptyRoot: TrustedRoot | undefined;
/** A trusted root with nothing in it (for key-only material). */
const EMPTY_ROOT = (): TrustedRoot => (emptyRoot ??= sigSpecs.TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }));

/** One trusted key, with the transparency logs (and timestamp authorities) of the trusted root when given. */
function keyMaterial(key: KeyObject, root?: TrustedRoot): TrustMaterial {
  return sigVerify.toTrustMaterial(root ?? EMPTY_ROOT(), () => ({ publicKey: key, validFor: () => true }));
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
  const mdAlg = md.algorithm === sigSpecs.HashAlgorithm.SHA2_384 ? 'sha384' : md.algorithm === sigSpecs.HashAlgorithm.SHA2_512 ? 'sha512' : 'sha256';
  const signed = `${mdAlg}:${md.digest.toString('hex')}`;
  return signed === imageDigest ? undefined : `it signs ${signed}, not ${imageDigest}`;
}

function verifyBundle(ev: Extract<SignatureEvidence, { kind: 'bundle' }>, imageDigest: string, manifest: Buffer | undefined, trust: TrustSet): SignatureCheck {
  const base = { via: ev.via, location: ev.location };
  let bundle: Bundle;
  try {
    bundle = sigBundle.bundleFromJSON(JSON.parse(ev.bundle.toString('utf8')));
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
    entity = sigVerify.toSignedEntity(bundle, isDsse ? undefined : manifest);
  } catch (e) {
    return { ok: false, problem: 'malformed', detail: `the bundle is not usable: ${errText(e)}`, ...base };
  }
  const signed = verifyEntity(entity, trust);
  if ('problem' in signed) return { ok: false, problem: 'untrusted', detail: signed.problem, ...base };
  const subject = bundleSubjectProblem(bundle, imageDigest);
  if (subject !== undefined) return { ok: false, problem: 'digest-mismatch', detail: `signature by ${signed.signer} verifies, but ${subject}`, ...base };
  return { ok: true, signer: signed.signer, ...base };
}

/**
 * Verify a signed entity (bundle or legacy signature laid out as one) against a rule's trust: a trusted key — with
 * its transparency log entry when the rule requires one — or a keyless certificate chaining to the trusted root's
 * Fulcio CA at a logged time, with a SAN and issuer the rule names. What it signs is checked by the caller.
 */
function verifyEntity(entity: SignedEntity, trust: TrustSet): { readonly signer: string } | { readonly problem: string } {
  if (entity.key.$case === 'public-key') {
    if (trust.keys.length === 0) return { problem: 'signed with a key, but the rule trusts keyless identities only' };
    const tlog = trust.requireTlog === true;
    if (tlog && !trust.trustedRoot) return { problem: 'the rule requires a transparency log entry but has no trusted root' };
    if (tlog && entity.tlogEntries.length === 0) return { problem: 'no transparency log entry, which the rule requires (signed with --tlog-upload=false?)' };
    // Without a trusted root no transparency log can be checked (as `cosign verify --key --insecure-ignore-tlog`):
    // the signature and the subject decide.
    const subject = tlog ? entity : { ...entity, tlogEntries: [], timestamps: [] };
    const failures: string[] = [];
    for (const k of trust.keys) {
      try {
        new sigVerify.Verifier(keyMaterial(k.key, tlog ? trust.trustedRoot : undefined), { tlogThreshold: tlog ? 1 : 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(subject);
      } catch (e) {
        failures.push(`${k.name}: ${errText(e)}`);
        continue;
      }
      return { signer: `key ${k.name}${tlog ? ', logged in the transparency log' : ''}` };
    }
    return { problem: `${tlog ? 'no trusted key verifies it with its transparency log entry' : 'no trusted key verifies it'} (${failures.join('; ')})` };
  }
  if (!trust.trustedRoot || trust.keyless.length === 0) return { problem: 'a keyless signature, but the rule trusts keys only' };
  let signer: Signer;
  try {
    signer = new sigVerify.Verifier(sigVerify.toTrustMaterial(trust.trustedRoot)).verify(entity);
  } catch (e) {
    return { problem: `the keyless signature does not verify under the trusted root: ${errText(e)}` };
  }
  const san = signer.identity?.subjectAlternativeName ?? '';
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const match = trust.keyless.find((id) => identityMatches(id.identity, san) && id.issuer === issuer);
  if (!match) return { problem: `signed by ${san} (issuer ${issuer}), which no keyless identity of the rule names` };
  return { signer: `${san} (issuer ${issuer})` };
}

/** What a simple-signing payload must say: cosign's type, this image's digest, and this repository. */
function simplePayloadProblem(payloadBytes: Buffer, imageDigest: string, imageName: string, signer: string): { problem: 'malformed' | 'digest-mismatch' | 'reference-mismatch'; detail: string } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return { problem: 'malformed', detail: `signature by ${signer} verifies, but its payload is not JSON` };
  }
  const payload = (typeof doc === 'object' && doc !== null ? doc : {}) as { critical?: { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
  if (payload.critical?.type !== COSIGN_PAYLOAD_TYPE) {
    return { problem: 'malformed', detail: `signature by ${signer} verifies, but its payload is not a cosign image signature (critical.type ${payload.critical?.type === undefined ? 'absent' : JSON.stringify(payload.critical.type)})` };
  }
  const signedDigest = payload.critical.image?.['docker-manifest-digest'];
  if (signedDigest !== imageDigest) return { problem: 'digest-mismatch', detail: `signature by ${signer} verifies, but it signs ${String(signedDigest)}, not ${imageDigest}` };
  const signedRef = payload.critical.identity?.['docker-reference'];
  const parsed = typeof signedRef === 'string' ? parseImageRef(signedRef) : undefined;
  if (!parsed?.ok || parsed.value.name.toLowerCase() !== imageName.toLowerCase()) {
    return { problem: 'reference-mismatch', detail: `signature by ${signer} verifies, but it was made for ${String(signedRef)}, not ${imageName}` };
  }
  return undefined;
}

/**
 * A legacy signature as the v0.1 Sigstore bundle it amounts to: a message signature over the payload (SHA-256), the
 * signing certificate or a key hint, and the Rekor entry with its signed entry timestamp (inclusion promise).
 */
export function legacyAsBundle(ev: Extract<SignatureEvidence, { kind: 'simple-signing' }>): Bundle | string {
  const tlogEntries: unknown[] = [];
  if (ev.rekorBundle !== undefined) {
    let rb: unknown;
    try {
      rb = JSON.parse(ev.rekorBundle);
    } catch {
      return 'its Rekor bundle annotation is not JSON';
    }
    const r = rb as { SignedEntryTimestamp?: unknown; Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown } };
    const p = r.Payload;
    if (typeof r.SignedEntryTimestamp !== 'string' || typeof p?.body !== 'string' || typeof p.integratedTime !== 'number' || typeof p.logIndex !== 'number' || typeof p.logID !== 'string' || !/^[0-9a-f]+$/i.test(p.logID)) {
      return 'its Rekor bundle annotation lacks SignedEntryTimestamp or Payload {body, integratedTime, logIndex, logID}';
    }
    let body: { kind?: unknown; apiVersion?: unknown };
    try {
      body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as typeof body;
    } catch {
      return 'the Rekor entry body is not JSON';
    }
    if (typeof body.kind !== 'string' || typeof body.apiVersion !== 'string') return 'the Rekor entry body has no kind and apiVersion';
    tlogEntries.push({
      logIndex: String(p.logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: body.kind, version: body.apiVersion },
      integratedTime: String(p.integratedTime),
      inclusionPromise: { signedEntryTimestamp: r.SignedEntryTimestamp },
      canonicalizedBody: p.body,
    });
  }
  let material: unknown = { publicKey: { hint: '' } };
  if (ev.certificate !== undefined) {
    try {
      material = { x509CertificateChain: { certificates: [{ rawBytes: new X509Certificate(ev.certificate).raw.toString('base64') }] } };
    } catch (e) {
      return `its certificate annotation is not a PEM certificate (${errText(e)})`;
    }
  }
  try {
    return sigBundle.bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: { ...(material as object), tlogEntries, timestampVerificationData: { rfc3161Timestamps: [] } },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(ev.payload).digest('base64') }, signature: ev.signature },
    });
  } catch (e) {
    return `it does not form a Sigstore bundle: ${errText(e)}`;
  }
}

function verifySimpleSigning(ev: Extract<SignatureEvidence, { kind: 'simple-signing' }>, imageDigest: string, imageName: string, trust: TrustSet): SignatureCheck {
  const base = { via: ev.via, location: ev.location };
  if (ev.certificate !== undefined || trust.requireTlog === true) {
    // Keyless, or a key signature whose Rekor entry the rule requires: verified as the bundle it amounts to.
    const bundle = legacyAsBundle(ev);
    if (typeof bundle === 'string') return { ok: false, problem: 'malformed', detail: bundle, ...base };
    if (ev.certificate === undefined && trust.keys.length === 0) return { ok: false, problem: 'untrusted', detail: 'a key signature, but the rule trusts keyless identities only', ...base };
    let entity: SignedEntity;
    try {
      entity = sigVerify.toSignedEntity(bundle, ev.payload);
    } catch (e) {
      return { ok: false, problem: 'malformed', detail: `the signature is not usable: ${errText(e)}`, ...base };
    }
    const signed = verifyEntity(entity, trust);
    if ('problem' in signed) return { ok: false, problem: 'untrusted', detail: signed.problem, ...base };
    const bad = simplePayloadProblem(ev.payload, imageDigest, imageName, signed.signer);
    return bad ? { ok: false, ...bad, ...base } : { ok: true, signer: signed.signer, ...base };
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
    const bad = simplePayloadProblem(ev.payload, imageDigest, imageName, `key ${k.name}`);
    return bad ? { ok: false, ...bad, ...base } : { ok: true, signer: `key ${k.name}`, ...base };
  }
  return { ok: false, problem: 'untrusted', detail: trust.keys.length === 0 ? 'a key signature, but the rule trusts keyless identities only' : `no trusted key verifies it (tried ${failures.join(', ')})`, ...base };
}

/** Check one signature of an image (digest and repository name) against a rule's trust set. */
export function checkSignature(ev: SignatureEvidence, image: { readonly digest: string; readonly name: string; readonly manifest?: Buffer }, trust: TrustSet): SignatureCheck {
  return ev.kind === 'bundle' ? verifyBundle(ev, image.digest, image.manifest, trust) : verifySimpleSigning(ev, image.digest, image.name, trust);
}
