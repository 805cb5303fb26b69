/**
 * Certification path building: from a certificate up to a trust anchor, through any intermediates
 * of the pool, backtracking over every candidate issuer (cross-signed CAs, re-keyed CAs with the
 * same name). Each step checks the issuer's name, key identifiers, signature (verified by
 * node:crypto), CA flag, keyCertSign usage, validity at `now` and path-length constraints.
 */
import type { CertInfo } from './cert.js';

export type ChainResult =
  | { readonly ok: true; readonly path: readonly CertInfo[] }
  | { readonly ok: false; readonly reason: string };

export interface ChainIndex {
  readonly bySubject: ReadonlyMap<string, readonly CertInfo[]>;
  readonly anchors: ReadonlySet<string>;
}

/** Index a pool of certificates (anchors included) by subject for fast issuer lookup. */
export function chainIndex(pool: readonly CertInfo[], anchors: readonly CertInfo[]): ChainIndex {
  const bySubject = new Map<string, CertInfo[]>();
  const seen = new Set<string>();
  for (const c of [...anchors, ...pool]) {
    if (seen.has(c.sha256)) continue;
    seen.add(c.sha256);
    let list = bySubject.get(c.subject.text);
    if (!list) bySubject.set(c.subject.text, (list = []));
    list.push(c);
  }
  return { bySubject, anchors: new Set(anchors.map((a) => a.sha256)) };
}

const MAX_DEPTH = 10;

function label(c: CertInfo): string {
  return c.subject.cn ?? c.subject.text;
}

function signedBy(cert: CertInfo, issuer: CertInfo): boolean {
  try {
    return cert.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

/** Intermediate CA certificates below position i that count against its pathLenConstraint. */
function pathLenOk(path: readonly CertInfo[]): string | undefined {
  // path[0] is the certificate, path[last] the anchor.
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    if (ca?.pathLength === undefined) continue;
    let below = 0;
    for (let j = 1; j < i; j++) {
      const c = path[j];
      if (c && c.subject.text !== c.issuer.text) below++;
    }
    if (below > ca.pathLength) return `CA "${label(ca)}" allows ${ca.pathLength} intermediate CA(s) below it, the path has ${below}`;
  }
  return undefined;
}

/** Build a path from `cert` to an anchor. */
export function buildChain(cert: CertInfo, index: ChainIndex, now: Date): ChainResult {
  if (index.anchors.has(cert.sha256)) return { ok: true, path: [cert] };
  const reasons: string[] = [];
  const found = walk(cert, index, now, [cert], reasons);
  if (found) return { ok: true, path: found };
  return { ok: false, reason: reasons[0] ?? `issuer "${cert.issuer.text}" not found` };
}

function walk(cert: CertInfo, index: ChainIndex, now: Date, path: CertInfo[], reasons: string[]): CertInfo[] | undefined {
  const candidates = (index.bySubject.get(cert.issuer.text) ?? []).filter((c) => c.sha256 !== cert.sha256 && !path.some((p) => p.sha256 === c.sha256));
  if (candidates.length === 0) {
    if (cert.selfSigned) reasons.push(`"${label(cert)}" is self-signed and not a trusted CA`);
    else reasons.push(`issuer "${cert.issuer.text}" of "${label(cert)}" not found among the CAs and intermediates (intermediate missing?)`);
    return undefined;
  }
  // Anchors first, then by key-identifier match.
  candidates.sort((a, b) => Number(index.anchors.has(b.sha256)) - Number(index.anchors.has(a.sha256)));
  for (const cand of candidates) {
    if (cert.authorityKeyId !== undefined && cand.subjectKeyId !== undefined && cert.authorityKeyId !== cand.subjectKeyId) {
      reasons.push(`"${label(cert)}" names authority key ${cert.authorityKeyId}, but "${label(cand)}" has key ${cand.subjectKeyId}`);
      continue;
    }
    if (!signedBy(cert, cand)) {
      reasons.push(`the signature of "${label(cert)}" does not verify with the key of "${label(cand)}"`);
      continue;
    }
    if (!cand.isCA) {
      reasons.push(`issuer "${label(cand)}" is not a CA (basicConstraints CA:FALSE or absent)`);
      continue;
    }
    if (cand.keyUsage && !cand.keyUsage.includes('keyCertSign')) {
      reasons.push(`issuer "${label(cand)}" lacks the keyCertSign key usage`);
      continue;
    }
    if (now.getTime() > cand.notAfter.getTime()) {
      reasons.push(`issuer "${label(cand)}" expired on ${cand.notAfter.toISOString()}`);
      continue;
    }
    if (now.getTime() < cand.notBefore.getTime()) {
      reasons.push(`issuer "${label(cand)}" is not valid before ${cand.notBefore.toISOString()}`);
      continue;
    }
    const next = [...path, cand];
    if (index.anchors.has(cand.sha256)) {
      const bad = pathLenOk(next);
      if (bad === undefined) return next;
      reasons.push(bad);
      continue;
    }
    if (next.length > MAX_DEPTH) {
      reasons.push(`path longer than ${MAX_DEPTH} certificates`);
      continue;
    }
    const r = walk(cand, index, now, next, reasons);
    if (r) return r;
  }
  return undefined;
}
