/**
 * Test helpers for PKI checks that need files or endpoints (not manifests): build material in memory
 * with the issuing engine and evaluate one check on it.
 */
import { webcrypto } from 'node:crypto';
import { analyze } from '../../engines/x509/analysis.js';
import { MaterialBuilder } from '../../engines/x509/builder.js';
import { generateKeyPair, issueCertificate, privateKeyPem, type CertSpec, type IssueEnv, type KeyAlgorithm, type Signer } from '../../engines/x509/issue.js';
import type { EndpointProbe } from '../../engines/x509/material.js';
import type { PkiCheck } from './pki-check.js';

export const NOW = new Date('2026-06-01T00:00:00Z');
export const ENV: IssueEnv = { crypto: webcrypto, now: NOW };

export async function makeCa(cn: string): Promise<{ pem: string; signer: Signer; keyPem: string }> {
  const keys = await generateKeyPair('ecdsa-p256', ENV);
  const issued = await issueCertificate({ subject: { cn }, role: 'ca', notBefore: new Date('2026-01-01'), notAfter: new Date('2035-12-31') }, keys.publicKey, { selfKey: keys.privateKey }, ENV);
  return { pem: issued.certPem, signer: { cert: issued.cert, key: keys.privateKey }, keyPem: await privateKeyPem(keys.privateKey, ENV) };
}

export async function makeLeaf(signer: Signer, spec: Partial<CertSpec> & { subject: CertSpec['subject'] }, alg: KeyAlgorithm = 'ecdsa-p256'): Promise<{ pem: string; keyPem: string; der: Uint8Array }> {
  const keys = await generateKeyPair(alg, ENV);
  const issued = await issueCertificate({ role: 'server', notBefore: new Date('2026-05-01'), notAfter: new Date('2027-04-01'), ...spec }, keys.publicKey, signer, ENV);
  return { pem: issued.certPem, keyPem: await privateKeyPem(keys.privateKey, ENV), der: issued.cert.der };
}

export interface FileSpec {
  readonly path: string;
  readonly text: string;
  readonly mode?: number;
}

/** Files as `kspect pki check DIR` would read them from a pki folder. */
export function filesMaterial(files: readonly FileSpec[], endpoints: readonly EndpointProbe[] = []): MaterialBuilder {
  const b = new MaterialBuilder();
  for (const f of files) {
    b.addBlob(new TextEncoder().encode(f.text), {
      ref: { source: { type: 'file', uri: f.path }, name: f.path },
      origin: 'file',
      layoutPath: f.path,
      mode: f.mode ?? 0o600,
      pairKey: `file:${f.path.replace(/\.(crt|key|pem)$/, '')}`,
    });
  }
  for (const e of endpoints) b.addEndpoint(e, { source: { type: 'endpoint', uri: `${e.host}:${e.port}` }, name: `${e.host}:${e.port}` });
  return b;
}

/** Evaluate a check; returns `messageId name` lines (and `skip: …` lines), sorted. */
export function evaluate<M extends string, O>(check: PkiCheck<M, O>, b: MaterialBuilder, options?: Partial<O>): string[] {
  const defaults = check.meta.options?.defaults;
  const a = analyze(b.build(), NOW, 'global');
  return check
    .evaluate(a, { ...(defaults as O), ...options })
    .map((o) => ('skip' in o ? `skip: ${o.skip}` : `${o.messageId} ${o.ref.name}`))
    .sort();
}

export function probe(host: string, over: Partial<EndpointProbe> = {}): EndpointProbe {
  return {
    host,
    port: 443,
    protocols: { TLSv1: { accepted: false }, 'TLSv1.1': { accepted: false }, 'TLSv1.2': { accepted: true }, 'TLSv1.3': { accepted: true } },
    ciphers: [{ version: 'TLSv1.2', name: 'ECDHE-ECDSA-AES128-GCM-SHA256' }],
    chain: [],
    ...over,
  };
}
