/**
 * Transparency-log checks and the legacy `.sig` format under a user-supplied trusted root, on real Sigstore
 * public-good material: sigstore-js's v0.1 message-signature bundles over `hello, world!` (a Fulcio-certified one
 * and a key-signed one, both with a real Rekor entry and its signed entry timestamp), and the trusted root they chain
 * to (testdata/PROVENANCE.md). No Rekor or Fulcio can run here; the entries are the ones public-good Rekor signed.
 * The legacy cases lay the same signature out as cosign's `.sig` annotations (certificate, `dev.sigstore.cosign/bundle`).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSignature, legacyAsBundle, parsePublicKey, parseTrustedRoot, type SignatureCheck, type SignatureEvidence, type TrustSet } from './signatures.js';

const said = (r: SignatureCheck): string => (r.ok ? `ok: ${r.signer}` : `${r.problem}: ${r.detail}`);

const here = join(import.meta.dirname, 'testdata');
const bundles = JSON.parse(readFileSync(join(here, 'v01-message-signature.bundles.json'), 'utf8')) as Record<string, V01>;
const root = parseTrustedRoot(JSON.parse(readFileSync(join(here, 'trusted_root.json'), 'utf8')));
const rootDoc = JSON.parse(readFileSync(join(here, 'trusted_root.json'), 'utf8')) as { tlogs: unknown[] };
const noLogRoot = parseTrustedRoot({ ...rootDoc, tlogs: [] });
const key = parsePublicKey(readFileSync(join(here, 'v01-public-key.pem')));
if (typeof root === 'string' || typeof noLogRoot === 'string' || typeof key === 'string') throw new Error('test material does not load');

interface V01 {
  verificationMaterial: { x509CertificateChain?: { certificates: { rawBytes: string }[] }; tlogEntries: { logIndex: string; logId: { keyId: string }; integratedTime: string; inclusionPromise: { signedEntryTimestamp: string }; canonicalizedBody: string }[] };
  messageSignature: { signature: string };
}
const KEYED = bundles['V1.MESSAGE_SIGNATURE.WITH_PUBLIC_KEY'] as V01;
const CERTIFIED = bundles['V1.MESSAGE_SIGNATURE.WITH_SIGNING_CERT'] as V01;
/** The signed content stands in for an image manifest: its digest is the "image" digest. */
const ARTIFACT = Buffer.from('hello, world!');
const DIGEST = `sha256:${createHash('sha256').update(ARTIFACT).digest('hex')}`;
const NAME = 'registry.example.com/app';

const keyTrust = (over: Partial<TrustSet> = {}): TrustSet => ({ keys: [{ name: 'k.pub', key }], keyless: [], trustedRoot: root, requireTlog: true, ...over });
const keylessTrust = (identity = 'brian@dehamer.com', issuer = 'https://github.com/login/oauth'): TrustSet => ({ keys: [], keyless: [{ identity, issuer }], trustedRoot: root });

function flip(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[b.length - 3] = (b[b.length - 3] ?? 0) ^ 0x01;
  return b.toString('base64');
}
const bundleEv = (doc: unknown): SignatureEvidence => ({ kind: 'bundle', via: 'referrers-api', location: 'test', bundle: Buffer.from(JSON.stringify(doc)) });
const withoutTlog = (b: V01): V01 => ({ ...b, verificationMaterial: { ...b.verificationMaterial, tlogEntries: [] } });
const badSet = (b: V01): V01 => ({
  ...b,
  verificationMaterial: { ...b.verificationMaterial, tlogEntries: b.verificationMaterial.tlogEntries.map((e) => ({ ...e, inclusionPromise: { signedEntryTimestamp: flip(e.inclusionPromise.signedEntryTimestamp) } })) },
});

/** cosign's `dev.sigstore.cosign/bundle` annotation for a Rekor entry. */
function rekorAnnotation(b: V01, tamper = false): string {
  const e = b.verificationMaterial.tlogEntries[0];
  if (!e) throw new Error('no entry');
  return JSON.stringify({
    SignedEntryTimestamp: tamper ? flip(e.inclusionPromise.signedEntryTimestamp) : e.inclusionPromise.signedEntryTimestamp,
    Payload: { body: e.canonicalizedBody, integratedTime: Number(e.integratedTime), logIndex: Number(e.logIndex), logID: Buffer.from(e.logId.keyId, 'base64').toString('hex') },
  });
}
function pem(b: V01): string {
  const der = b.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes ?? '';
  return new X509Certificate(Buffer.from(der, 'base64')).toString();
}
const legacy = (b: V01, over: Partial<Extract<SignatureEvidence, { kind: 'simple-signing' }>> = {}): SignatureEvidence => ({
  kind: 'simple-signing',
  via: 'legacy-tag',
  location: 'test',
  payload: ARTIFACT,
  signature: b.messageSignature.signature,
  rekorBundle: rekorAnnotation(b),
  ...over,
});
const image = { digest: DIGEST, name: NAME, manifest: ARTIFACT };

describe('key signatures in the transparency log of the trusted root', () => {
  it('verifies the key, the signed entry timestamp and the entry body', () => {
    expect(checkSignature(bundleEv(KEYED), image, keyTrust())).toMatchObject({ ok: true, signer: 'key k.pub, logged in the transparency log' });
  });
  it('rejects a bundle without a log entry when the rule requires one, and accepts it when the rule ignores the log', () => {
    expect(said(checkSignature(bundleEv(withoutTlog(KEYED)), image, keyTrust()))).toMatch(/^untrusted: .*no transparency log entry/);
    expect(checkSignature(bundleEv(withoutTlog(KEYED)), image, keyTrust({ requireTlog: false }))).toMatchObject({ ok: true, signer: 'key k.pub' });
  });
  it('rejects a tampered signed entry timestamp, and a log the trusted root does not name', () => {
    expect(said(checkSignature(bundleEv(badSet(KEYED)), image, keyTrust()))).toMatch(/^untrusted: .*k\.pub: inclusion promise could not be verified/);
    expect(said(checkSignature(bundleEv(KEYED), image, keyTrust({ trustedRoot: noLogRoot })))).toMatch(/^untrusted: .*k\.pub: inclusion promise could not be verified/);
  });
  it('rejects an entry for another signature (the log entry names the signature it logged)', () => {
    const other = { ...KEYED, verificationMaterial: { ...KEYED.verificationMaterial, tlogEntries: CERTIFIED.verificationMaterial.tlogEntries } };
    // Same entry, same signature: still verifies; a logged body of another signature does not.
    expect(checkSignature(bundleEv(other), image, keyTrust())).toMatchObject({ ok: true });
    const body = JSON.parse(Buffer.from(KEYED.verificationMaterial.tlogEntries[0]?.canonicalizedBody ?? '', 'base64').toString('utf8')) as { spec: { signature: { content: string } } };
    body.spec.signature.content = flip(body.spec.signature.content);
    const forged = { ...KEYED, verificationMaterial: { ...KEYED.verificationMaterial, tlogEntries: KEYED.verificationMaterial.tlogEntries.map((e) => ({ ...e, canonicalizedBody: Buffer.from(JSON.stringify(body)).toString('base64') })) } };
    expect(checkSignature(bundleEv(forged), image, keyTrust())).toMatchObject({ ok: false, problem: 'untrusted' });
  });
});

describe('legacy .sig signatures laid out as a v0.1 bundle', () => {
  it('turns the annotations into the bundle they amount to', () => {
    const b = legacyAsBundle(legacy(CERTIFIED, { certificate: pem(CERTIFIED) }) as Extract<SignatureEvidence, { kind: 'simple-signing' }>);
    expect(typeof b).not.toBe('string');
    if (typeof b === 'string') return;
    expect(b.verificationMaterial.tlogEntries[0]?.logIndex).toBe('6757503');
    expect(b.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    expect(legacyAsBundle({ kind: 'simple-signing', via: 'legacy-tag', location: 't', payload: ARTIFACT, signature: 'x', rekorBundle: '{"Payload":{}}' })).toMatch(/lacks SignedEntryTimestamp/);
    expect(legacyAsBundle({ kind: 'simple-signing', via: 'legacy-tag', location: 't', payload: ARTIFACT, signature: 'x', certificate: 'not a cert' })).toMatch(/not a PEM certificate/);
  });
  it('a key signature with its Rekor entry verifies key and log, then judges the payload', () => {
    // The signature and the log check out; `hello, world!` is not a cosign payload, so it is no image signature.
    expect(said(checkSignature(legacy(KEYED), image, keyTrust()))).toMatch(/^malformed: signature by key k\.pub, logged in the transparency log verifies, but its payload is not JSON/);
    expect(checkSignature(legacy(KEYED, { rekorBundle: rekorAnnotation(KEYED, true) }), image, keyTrust())).toMatchObject({ ok: false, problem: 'untrusted' });
    const { rekorBundle: _, ...noEntry } = legacy(KEYED) as Extract<SignatureEvidence, { kind: 'simple-signing' }>;
    expect(said(checkSignature(noEntry, image, keyTrust()))).toMatch(/^untrusted: .*no transparency log entry/);
  });
  it('a keyless signature: chain, SCT and log under the trusted root, then the identity, then the payload', () => {
    const ev = legacy(CERTIFIED, { certificate: pem(CERTIFIED) });
    expect(said(checkSignature(ev, image, keylessTrust()))).toMatch(/^malformed: signature by brian@dehamer\.com \(issuer https:\/\/github\.com\/login\/oauth\) verifies, but its payload is not JSON/);
    expect(said(checkSignature(ev, image, keylessTrust('*@example.com')))).toMatch(/^untrusted: .*which no keyless identity of the rule names/);
    expect(checkSignature(ev, image, keylessTrust('brian@dehamer.com', 'https://accounts.google.com'))).toMatchObject({ ok: false, problem: 'untrusted' });
    // The certificate is valid for ten minutes: only the logged time makes it verifiable.
    const { rekorBundle: _, ...unlogged } = ev as Extract<SignatureEvidence, { kind: 'simple-signing' }>;
    expect(said(checkSignature(unlogged, image, keylessTrust()))).toMatch(/^untrusted: .*does not verify under the trusted root/);
    expect(checkSignature(legacy(CERTIFIED, { certificate: pem(CERTIFIED), rekorBundle: rekorAnnotation(CERTIFIED, true) }), image, keylessTrust())).toMatchObject({ ok: false, problem: 'untrusted' });
    expect(checkSignature(legacy(CERTIFIED, { certificate: pem(CERTIFIED), signature: flip(CERTIFIED.messageSignature.signature) }), image, keylessTrust())).toMatchObject({ ok: false, problem: 'untrusted' });
    // A keyless signature under a rule that trusts keys only.
    expect(checkSignature(ev, image, keyTrust())).toMatchObject({ ok: false, problem: 'untrusted', detail: 'a keyless signature, but the rule trusts keys only' });
  });
});
