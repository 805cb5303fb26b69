import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertInfo } from './cert.js';
import { buildChain, chainIndex } from './chain.js';
import { generateKeyPair, issueCertificate, type CertSpec, type IssueEnv, type Signer } from './issue.js';

const env: IssueEnv = { crypto: webcrypto, now: new Date('2026-06-01T00:00:00Z') };
const NOW = env.now;
const D = (s: string) => new Date(`${s}T00:00:00Z`);

async function make(cn: string, spec: Partial<CertSpec>, signer?: Signer): Promise<Signer> {
  const keys = await generateKeyPair('ecdsa-p256', env);
  const issued = await issueCertificate({ subject: { cn }, role: 'ca', notBefore: D('2026-01-01'), notAfter: D('2030-01-01'), ...spec }, keys.publicKey, signer ?? { selfKey: keys.privateKey }, env);
  return { cert: issued.cert, key: keys.privateKey };
}

let root: Signer, mid: Signer, mid2: Signer, leaf: CertInfo, leaf2: CertInfo, cross: Signer, root2: Signer, expiredMid: Signer, leafOfExpired: CertInfo, notCa: Signer, leafOfNotCa: CertInfo, pathLenRoot: Signer, a: Signer, b: Signer, deep: CertInfo;

beforeAll(async () => {
  root = await make('root', {});
  mid = await make('mid', {}, root);
  mid2 = await make('mid2', {}, mid);
  leaf = (await make('leaf', { role: 'server' }, mid2)).cert;
  // A second root cross-signs "mid": same name and key as mid? No: a CA named "mid" with another key, signed by root2.
  root2 = await make('root2', {});
  cross = await make('mid', {}, root2);
  leaf2 = (await make('leaf2', { role: 'server' }, mid)).cert;
  expiredMid = await make('old-mid', { notAfter: D('2026-03-01') }, root);
  leafOfExpired = (await make('leaf3', { role: 'server' }, expiredMid)).cert;
  notCa = await make('not-a-ca', { role: 'server' }, root);
  leafOfNotCa = (await make('leaf4', { role: 'server', omitKeyIds: true }, notCa)).cert;
  pathLenRoot = await make('plroot', { pathLength: 0 });
  a = await make('a', {}, pathLenRoot);
  b = await make('b', {}, a);
  deep = (await make('deep', { role: 'server' }, b)).cert;
}, 60_000);

describe('certification path building', () => {
  it('through two intermediates to the anchor', () => {
    const r = buildChain(leaf, chainIndex([mid.cert, mid2.cert], [root.cert]), NOW);
    expect(r.ok && r.path.map((c) => c.subject.cn)).toEqual(['leaf', 'mid2', 'mid', 'root']);
  });

  it('reports the missing intermediate', () => {
    const r = buildChain(leaf, chainIndex([mid2.cert], [root.cert]), NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('issuer "CN=mid" of "mid2" not found among the CAs and intermediates (intermediate missing?)');
  });

  it('backtracks: a same-named CA with another key is tried and skipped', () => {
    // "mid" from root2 comes first in the pool; the leaf's AKI and signature point to the real "mid".
    const r = buildChain(leaf2, chainIndex([cross.cert, mid.cert], [root.cert, root2.cert]), NOW);
    expect(r.ok && r.path.map((c) => c.issuer.cn)).toEqual(['mid', 'root', 'root']);
  });

  it('many CAs of one name: the one with the leaf’s key is found, and a failure still names the first mismatch', async () => {
    const others: CertInfo[] = [];
    for (let i = 0; i < 4; i++) others.push((await make('mid', {}, root)).cert);
    const r = buildChain(leaf2, chainIndex([...others, mid.cert], [root.cert]), NOW);
    expect(r.ok && r.path.map((c) => c.sha256)).toEqual([leaf2.sha256, mid.cert.sha256, root.cert.sha256]);
    const miss = buildChain(leaf2, chainIndex(others, [root.cert]), NOW);
    expect(miss.ok).toBe(false);
    if (!miss.ok) expect(miss.reason).toBe(`"leaf2" names authority key ${leaf2.authorityKeyId ?? ''}, but "mid" has key ${others[0]?.subjectKeyId ?? ''}`);
  });

  it('refuses a wrong anchor', () => {
    const r = buildChain(leaf2, chainIndex([mid.cert], [root2.cert]), NOW);
    expect(r.ok).toBe(false);
  });

  it('refuses an expired intermediate', () => {
    const r = buildChain(leafOfExpired, chainIndex([expiredMid.cert], [root.cert]), NOW);
    expect(!r.ok && r.reason).toBe('issuer "old-mid" expired on 2026-03-01T00:00:00.000Z');
  });

  it('refuses an issuer that is not a CA', () => {
    const r = buildChain(leafOfNotCa, chainIndex([notCa.cert], [root.cert]), NOW);
    expect(!r.ok && r.reason).toBe('issuer "not-a-ca" is not a CA (basicConstraints CA:FALSE or absent)');
  });

  it('enforces pathLenConstraint', () => {
    const r = buildChain(deep, chainIndex([a.cert, b.cert], [pathLenRoot.cert]), NOW);
    expect(!r.ok && r.reason).toBe('CA "plroot" allows 0 intermediate CA(s) below it, the path has 2');
  });

  it('an anchor is its own path; a self-signed certificate that is not an anchor fails', () => {
    expect(buildChain(root.cert, chainIndex([], [root.cert]), NOW).ok).toBe(true);
    const r = buildChain(root2.cert, chainIndex([], [root.cert]), NOW);
    expect(!r.ok && r.reason).toBe('"root2" is self-signed and not a trusted CA');
  });
});
