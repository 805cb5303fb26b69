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
  /**
   * Issuers by subject and key identifier (`subject \0 SKI`), and those without one by subject: the only candidates
   * for a certificate naming its authority key, so many CAs of one name cost no more than one.
   */
  readonly bySubjectKey: ReadonlyMap<string, readonly CertInfo[]>;
  readonly withoutKey: ReadonlyMap<string, readonly CertInfo[]>;
  /** Position in bySubject's order, to merge the two lists back into it. */
  readonly order: ReadonlyMap<CertInfo, number>;
  readonly anchors: ReadonlySet<string>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Index a pool of certificates (anchors included) by subject, and by subject and key, for fast issuer lookup. */
export function chainIndex(pool: readonly CertInfo[], anchors: readonly CertInfo[]): ChainIndex {
  const bySubject = new Map<string, CertInfo[]>();
  const bySubjectKey = new Map<string, CertInfo[]>();
  const withoutKey = new Map<string, CertInfo[]>();
  const order = new Map<CertInfo, number>();
  const seen = new Set<string>();
  for (const c of [...anchors, ...pool]) {
    if (seen.has(c.sha256)) continue;
    seen.add(c.sha256);
    order.set(c, order.size);
    push(bySubject, c.subject.text, c);
    if (c.subjectKeyId === undefined) push(withoutKey, c.subject.text, c);
    else push(bySubjectKey, `${c.subject.text}\0${c.subjectKeyId}`, c);
  }
  return { bySubject, bySubjectKey, withoutKey, order, anchors: new Set(anchors.map((a) => a.sha256)) };
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
  // First through the issuers whose key can match (the others are skipped by the full walk without a look further,
  // so the path found is the same); only when none leads to an anchor, the full walk, for its first reason.
  const found = walk(cert, index, now, [cert], undefined);
  if (found) return { ok: true, path: found };
  const reasons: string[] = [];
  walk(cert, index, now, [cert], reasons);
  return { ok: false, reason: reasons[0] ?? `issuer "${cert.issuer.text}" not found` };
}

/** The issuers to try for `cert`: all of its issuer's name, or (keyed) only those whose key identifier can match. */
function issuersOf(cert: CertInfo, index: ChainIndex, keyed: boolean): readonly CertInfo[] {
  const all = index.bySubject.get(cert.issuer.text) ?? [];
  if (!keyed || cert.authorityKeyId === undefined || all.length < 2) return all;
  const a = index.bySubjectKey.get(`${cert.issuer.text}\0${cert.authorityKeyId}`) ?? [];
  const b = index.withoutKey.get(cert.issuer.text) ?? [];
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...a, ...b].sort((x, y) => (index.order.get(x) ?? 0) - (index.order.get(y) ?? 0));
}

/** `reasons` undefined: the keyed walk, which records none. */
function walk(cert: CertInfo, index: ChainIndex, now: Date, path: CertInfo[], reasons: string[] | undefined): CertInfo[] | undefined {
  const candidates = issuersOf(cert, index, reasons === undefined).filter((c) => c.sha256 !== cert.sha256 && !path.some((p) => p.sha256 === c.sha256));
  if (candidates.length === 0) {
    if (!reasons) return undefined;
    if (cert.selfSigned) reasons.push(`"${label(cert)}" is self-signed and not a trusted CA`);
    else reasons.push(`issuer "${cert.issuer.text}" of "${label(cert)}" not found among the CAs and intermediates (intermediate missing?)`);
    return undefined;
  }
  // Anchors first, then by key-identifier match.
  candidates.sort((a, b) => Number(index.anchors.has(b.sha256)) - Number(index.anchors.has(a.sha256)));
  for (const cand of candidates) {
    if (cert.authorityKeyId !== undefined && cand.subjectKeyId !== undefined && cert.authorityKeyId !== cand.subjectKeyId) {
      reasons?.push(`"${label(cert)}" names authority key ${cert.authorityKeyId}, but "${label(cand)}" has key ${cand.subjectKeyId}`);
      continue;
    }
    if (!signedBy(cert, cand)) {
      reasons?.push(`the signature of "${label(cert)}" does not verify with the key of "${label(cand)}"`);
      continue;
    }
    if (!cand.isCA) {
      reasons?.push(`issuer "${label(cand)}" is not a CA (basicConstraints CA:FALSE or absent)`);
      continue;
    }
    if (cand.keyUsage && !cand.keyUsage.includes('keyCertSign')) {
      reasons?.push(`issuer "${label(cand)}" lacks the keyCertSign key usage`);
      continue;
    }
    if (now.getTime() > cand.notAfter.getTime()) {
      reasons?.push(`issuer "${label(cand)}" expired on ${cand.notAfter.toISOString()}`);
      continue;
    }
    if (now.getTime() < cand.notBefore.getTime()) {
      reasons?.push(`issuer "${label(cand)}" is not valid before ${cand.notBefore.toISOString()}`);
      continue;
    }
    const next = [...path, cand];
    if (index.anchors.has(cand.sha256)) {
      const bad = pathLenOk(next);
      if (bad === undefined) return next;
      reasons?.push(bad);
      continue;
    }
    if (next.length > MAX_DEPTH) {
      reasons?.push(`path longer than ${MAX_DEPTH} certificates`);
      continue;
    }
    const r = walk(cand, index, now, next, reasons);
    if (r) return r;
  }
  return undefined;
}
