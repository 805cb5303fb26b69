import { readFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignatureRule } from '../../core/image-policy.js';
import { imageGlobMatches, judgeImage, rulesFor, type LoadedRule } from './policy.js';
import { checkSignature, identityMatches, type SignatureCheck, parsePublicKey, parseTrustedRoot, SIGNATURE_ANNOTATION, type SignatureEvidence } from './signatures.js';

describe('image globs', () => {
  it.each([
    ['registry.example.com/acme/**', 'registry.example.com/acme/api', true],
    ['registry.example.com/acme/**', 'registry.example.com/acme/team/api', true],
    ['registry.example.com/acme/**', 'registry.example.com/acmecorp/api', false],
    ['registry.example.com/acme/*', 'registry.example.com/acme/team/api', false],
    ['registry.example.com/acme/*', 'registry.example.com/acme/api', true],
    ['*.dkr.ecr.eu-west-1.amazonaws.com/**', '123.dkr.ecr.eu-west-1.amazonaws.com/app', true],
    ['REGISTRY.example.com/**', 'registry.example.com/app', true],
    ['registry.example.com/App', 'registry.example.com/app', false],
    ['**', 'docker.io/library/nginx', true],
    ['docker.io/library/*', 'docker.io/library/nginx', true],
    ['docker.io/**/nginx', 'docker.io/library/nginx', true],
    ['docker.io/**/nginx', 'docker.io/nginx', true],
    ['docker.io/**/nginx', 'docker.io/library/nginx-x', false],
  ])('%s matches %s: %s', (glob, name, want) => {
    expect(imageGlobMatches(glob, name)).toBe(want);
  });
  it('is linear on many ** (no backtracking blow-up)', () => {
    expect(imageGlobMatches(`${'**/'.repeat(200)}x`, `${'a/'.repeat(2000)}y`)).toBe(false);
  });
  it('identity globs', () => {
    expect(identityMatches('https://github.com/acme/*/.github/workflows/*@refs/heads/main', 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main')).toBe(true);
    expect(identityMatches('https://github.com/acme/*', 'https://github.com/acmecorp/app')).toBe(false);
    expect(identityMatches('a*a', 'a')).toBe(false);
    expect(identityMatches('dev@example.com', 'dev@example.com')).toBe(true);
  });
});

const rule = (over: Partial<SignatureRule> = {}): SignatureRule => ({ name: 'r', images: ['registry.example.com/**'], keys: ['k.pub'], keyless: [], mode: 'enforce', ...over });
const D = `sha256:${'a'.repeat(64)}`;
const NAME = 'registry.example.com/app';

/** A legacy simple-signing signature made with node:crypto, exactly as cosign lays it out. */
function simple(key: Parameters<typeof sign>[2], alg: string | null, digest = D, ref = NAME): SignatureEvidence {
  const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': ref }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }));
  return { kind: 'simple-signing', via: 'legacy-tag', location: 'test', payload, signature: sign(alg, payload, key).toString('base64') };
}

describe('legacy simple-signing verification (node:crypto)', () => {
  for (const [name, pair, alg] of [
    ['ecdsa p-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'sha256'],
    ['ecdsa p-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'sha384'],
    ['ed25519', generateKeyPairSync('ed25519'), null],
    ['rsa 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha256'],
  ] as const) {
    it(`${name}: the right key verifies, another key does not`, () => {
      const trust = { keys: [{ name: 'k.pub', key: pair.publicKey }], keyless: [] };
      expect(checkSignature(simple(pair.privateKey, alg), { digest: D, name: NAME }, trust)).toMatchObject({ ok: true, signer: 'key k.pub' });
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect(checkSignature(simple(other.privateKey, 'sha256'), { digest: D, name: NAME }, trust)).toMatchObject({ ok: false, problem: 'untrusted' });
    });
  }
  it('a trusted signature of another digest or repository is rejected', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const trust = { keys: [{ name: 'k.pub', key: pair.publicKey }], keyless: [] };
    expect(checkSignature(simple(pair.privateKey, 'sha256', `sha256:${'b'.repeat(64)}`), { digest: D, name: NAME }, trust)).toMatchObject({ ok: false, problem: 'digest-mismatch' });
    expect(checkSignature(simple(pair.privateKey, 'sha256', D, 'registry.example.com/other'), { digest: D, name: NAME }, trust)).toMatchObject({ ok: false, problem: 'reference-mismatch' });
    // Docker Hub names compare normalised: index.docker.io/library/x is docker.io/library/x.
    expect(checkSignature(simple(pair.privateKey, 'sha256', D, 'index.docker.io/library/nginx'), { digest: D, name: 'docker.io/library/nginx' }, trust)).toMatchObject({ ok: true });
  });
  it('a malformed bundle is named, not thrown', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = checkSignature({ kind: 'bundle', via: 'referrers-api', location: 'x', bundle: Buffer.from('{"mediaType": 3}') }, { digest: D, name: NAME }, { keys: [{ name: 'k', key: pair.publicKey }], keyless: [] });
    expect(r).toMatchObject({ ok: false, problem: 'malformed' });
  });
  it('parses keys and trusted roots with one-line errors', () => {
    expect(typeof parsePublicKey('not a key')).toBe('string');
    expect(parseTrustedRoot({})).toMatch(/not a Sigstore trusted root/);
    expect(SIGNATURE_ANNOTATION).toBe('dev.cosignproject.cosign/signature');
  });
});

describe('judgeImage', () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const loaded = (r: SignatureRule, error?: string): LoadedRule => ({ rule: r, trust: { keys: [{ name: 'k.pub', key: pair.publicKey }], keyless: [] }, ...(error !== undefined ? { error } : {}) });
  const ev = (signatures: SignatureEvidence[], extra: object = {}) => ({ digest: D, signatures, source: 'https://registry.example.com', ...extra });
  it('allows a verified image, denies an unsigned one, and leaves unreadable ones unknown', () => {
    expect(judgeImage({ name: NAME }, [loaded(rule())], ev([simple(pair.privateKey, 'sha256')])).decision).toBe('allow');
    expect(judgeImage({ name: NAME }, [loaded(rule())], ev([])).decision).toBe('deny');
    expect(judgeImage({ name: NAME }, [loaded(rule())], ev([], { error: 'ECONNREFUSED' })).decision).toBe('unknown');
    expect(judgeImage({ name: NAME }, [loaded(rule(), 'cannot read k.pub')], ev([simple(pair.privateKey, 'sha256')])).decision).toBe('unknown');
    expect(judgeImage({ name: 'ghcr.io/x' }, [loaded(rule())], ev([])).decision).toBe('none');
  });
  it('every covering rule must be satisfied; namespaces scope rules', () => {
    const strict = rule({ name: 'prod', namespaces: ['prod-*'] });
    const rules = [loaded(rule()), { rule: strict, trust: { keys: [], keyless: [] } } as LoadedRule];
    expect(rulesFor(rules, { name: NAME }, 'dev').map((r) => r.rule.name)).toEqual(['r']);
    expect(judgeImage({ name: NAME }, rules, ev([simple(pair.privateKey, 'sha256')]), 'prod-eu').decision).toBe('deny');
    expect(judgeImage({ name: NAME }, rules, ev([simple(pair.privateKey, 'sha256')]), 'dev').decision).toBe('allow');
  });
});

const detail = (c: SignatureCheck): string => (c.ok ? '' : c.detail);

describe('keyless bundles under a user-supplied trusted root (sigstore-js test material)', () => {
  const root = parseTrustedRoot(JSON.parse(readFileSync(new URL('./testdata/trusted_root.json', import.meta.url), 'utf8')));
  const bundle = readFileSync(new URL('./testdata/keyless-dsse.bundle.json', import.meta.url));
  const ev: SignatureEvidence = { kind: 'bundle', via: 'referrers-api', location: 'test', bundle };
  const trust = (identity: string, issuer = 'https://github.com/login/oauth') => ({ keys: [], keyless: [{ identity, issuer }], ...(typeof root === 'string' ? {} : { trustedRoot: root }) });
  it('verifies chain, SCT and transparency log, then requires an image signature over this digest', () => {
    expect(typeof root).not.toBe('string');
    // The certificate, log entry and signature verify; the envelope is not a cosign image signature.
    const r = checkSignature(ev, { digest: D, name: NAME }, trust('brian@dehamer.com'));
    expect(r).toMatchObject({ ok: false, problem: 'digest-mismatch' });
    expect(detail(r)).toMatch(/^signature by brian@dehamer\.com \(issuer https:\/\/github\.com\/login\/oauth\) verifies, but the envelope's payload type is text\/plain/);
    expect(checkSignature(ev, { digest: D, name: NAME }, trust('*@dehamer.com'))).toMatchObject({ problem: 'digest-mismatch' });
  });
  it('rejects another identity, another issuer, a tampered envelope, and a rule without a trusted root', () => {
    const other = checkSignature(ev, { digest: D, name: NAME }, trust('eve@example.com'));
    expect(other).toMatchObject({ ok: false, problem: 'untrusted' });
    expect(detail(other)).toMatch(/signed by brian@dehamer\.com .*which no keyless identity/);
    expect(checkSignature(ev, { digest: D, name: NAME }, trust('brian@dehamer.com', 'https://accounts.google.com'))).toMatchObject({ problem: 'untrusted' });
    const tampered = JSON.parse(bundle.toString('utf8')) as { dsseEnvelope: { payload: string } };
    tampered.dsseEnvelope.payload = Buffer.from('hello, world?').toString('base64');
    const t = checkSignature({ ...ev, bundle: Buffer.from(JSON.stringify(tampered)) }, { digest: D, name: NAME }, trust('brian@dehamer.com'));
    expect(t).toMatchObject({ problem: 'untrusted' });
    expect(detail(t)).toMatch(/does not verify under the trusted root/);
    expect(checkSignature(ev, { digest: D, name: NAME }, { keys: [], keyless: [{ identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' }] })).toMatchObject({ problem: 'untrusted', detail: 'a keyless signature, but the rule trusts keys only' });
  });
});
