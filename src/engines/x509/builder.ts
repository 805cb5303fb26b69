/**
 * Assembles PkiMaterial from blobs, each decoded with the context it came in (reference, origin,
 * role, file mode), and pairs certificates with their private keys.
 */
import type { CertInfo } from './cert.js';
import { decodeBlob } from './material.js';
import type { CertItem, CsrItem, EndpointItem, EndpointProbe, ItemRef, KeyItem, MaterialProblem, Origin, Pair, PkiMaterial, PublicKeyItem } from './material.js';
import { parseCertificate } from './cert.js';
import { isServiceAccountKey, kubeadmCertOf, type Role } from './roles.js';
import { appendAll } from '../../core/arrays.js';

export interface BlobContext {
  readonly ref: ItemRef;
  readonly origin: Origin;
  /** The role of the certificate's slot, when the context says (kubeconfig user: client). */
  readonly role?: Role;
  /** The first certificate sits in a leaf slot (tls.crt, a kubeconfig user, a served chain). */
  readonly leaf?: boolean;
  /** A file path to read kubeadm's layout from. */
  readonly layoutPath?: string;
  readonly mode?: number;
  /** Certificates and keys with the same pair key are a certificate and its key. */
  readonly pairKey?: string;
  readonly anchorCandidate?: boolean;
  /** Host names the leaf is served for. */
  readonly servedHosts?: readonly string[];
  readonly localAnchors?: readonly CertInfo[];
  /** File name for problems (defaults to ref.source.uri). */
  readonly file?: string;
  /** Line of the blob in its file, added to PEM line numbers. */
  readonly line?: number;
}

export interface Added {
  readonly certs: readonly CertItem[];
  readonly keys: readonly KeyItem[];
}

function withIndex(ref: ItemRef, i: number, n: number): ItemRef {
  if (n <= 1) return ref;
  return { ...ref, name: `${ref.name}[${i}]`, path: `${ref.path ?? ''}[${i}]` };
}

export class MaterialBuilder {
  private readonly certs: CertItem[] = [];
  private readonly keys: KeyItem[] = [];
  private readonly publicKeys: PublicKeyItem[] = [];
  private readonly csrs: CsrItem[] = [];
  private readonly endpoints: EndpointItem[] = [];
  private readonly problems: MaterialProblem[] = [];
  private readonly pairKeys = new Map<string, { cert?: CertItem; key?: KeyItem }>();
  private readonly extraPairs: Pair[] = [];

  problem(file: string, message: string, line?: number, ref?: ItemRef): void {
    this.problems.push({ file, message, ...(line !== undefined ? { line } : {}), ...(ref ? { ref } : {}) });
  }

  addBlob(bytes: Uint8Array, ctx: BlobContext): Added {
    const d = decodeBlob(bytes);
    const file = ctx.file ?? ctx.ref.source.uri;
    for (const p of d.problems) {
      const where = ctx.ref.path !== undefined && ctx.origin !== 'file' ? `${ctx.ref.path}: ` : '';
      const line = p.line !== undefined && (ctx.origin === 'file' || ctx.origin === 'bundle') ? p.line + (ctx.line ?? 1) - 1 : ctx.line;
      this.problem(file, `${where}${p.message}`, line, ctx.ref);
    }
    const layout = ctx.layoutPath !== undefined ? kubeadmCertOf(ctx.layoutPath) : undefined;
    const sa = ctx.layoutPath !== undefined ? isServiceAccountKey(ctx.layoutPath) : undefined;
    const certs = d.certs.map((cert, i): CertItem => {
      const slot: Role = i > 0 ? 'ca' : (layout?.role ?? ctx.role ?? (cert.isCA ? 'ca' : 'unknown'));
      return {
        ref: withIndex(ctx.ref, i, d.certs.length),
        cert,
        origin: d.certs.length > 1 && ctx.origin === 'file' ? 'bundle' : ctx.origin,
        role: slot,
        ...(layout && i === 0 ? { kubeadmName: layout.name, ...(layout.ca !== undefined ? { expectedCa: layout.ca } : {}) } : {}),
        index: i,
        slot: i > 0 ? 'ca' : layout ? (layout.role === 'ca' ? 'ca' : 'leaf') : ctx.leaf === true || (ctx.role !== undefined && ctx.role !== 'ca' && ctx.role !== 'unknown') ? 'leaf' : 'any',
        anchorCandidate: (ctx.anchorCandidate ?? true) && cert.isCA && cert.selfSigned,
        ...(ctx.localAnchors ? { localAnchors: ctx.localAnchors } : {}),
        ...(ctx.servedHosts && i === 0 ? { servedHosts: ctx.servedHosts } : {}),
      };
    });
    const keys = d.keys.map(
      (key, i): KeyItem => ({ ref: withIndex(ctx.ref, i, d.keys.length), key, ...(ctx.mode !== undefined ? { mode: ctx.mode } : {}), ...(sa === 'private' ? { serviceAccount: true } : {}) }),
    );
    appendAll(this.certs, certs);
    appendAll(this.keys, keys);
    for (const [i, k] of d.publicKeys.entries()) this.publicKeys.push({ ref: withIndex(ctx.ref, i, d.publicKeys.length), key: k, ...(sa === 'public' ? { serviceAccount: true } : {}) });
    for (const [i, c] of d.csrs.entries()) this.csrs.push({ ref: withIndex(ctx.ref, i, d.csrs.length), csr: c });
    const leaf = certs[0];
    const key = keys[0];
    if (leaf && key) this.extraPairs.push({ cert: leaf, key });
    else if (ctx.pairKey !== undefined && (leaf || key)) {
      let slot = this.pairKeys.get(ctx.pairKey);
      if (!slot) this.pairKeys.set(ctx.pairKey, (slot = {}));
      if (leaf) slot.cert ??= leaf;
      if (key) slot.key ??= key;
    }
    return { certs, keys };
  }

  /** `localAnchors`: the CAs this endpoint's chain is verified against (a probe's --ca), when not the run's. */
  addEndpoint(probe: EndpointProbe, ref: ItemRef, localAnchors?: readonly CertInfo[]): void {
    const chain: CertItem[] = [];
    probe.chain.forEach((der, i) => {
      const r = parseCertificate(der);
      if (!r.ok) {
        this.problem(ref.source.uri, `served certificate ${i}: ${r.error}`);
        return;
      }
      chain.push({
        ref: { ...ref, name: `${ref.name} chain[${i}]`, path: `chain[${i}]` },
        cert: r.value,
        origin: 'endpoint',
        role: i === 0 ? 'server' : 'ca',
        index: i,
        slot: i === 0 ? 'leaf' : 'ca',
        anchorCandidate: false,
        ...(localAnchors && localAnchors.length > 0 ? { localAnchors } : {}),
      });
    });
    appendAll(this.certs, chain);
    this.endpoints.push({ ref, probe, chain });
  }

  build(anchors: readonly CertInfo[] = []): PkiMaterial {
    const pairs: Pair[] = [...this.extraPairs];
    for (const slot of this.pairKeys.values()) if (slot.cert && slot.key) pairs.push({ cert: slot.cert, key: slot.key });
    return {
      certs: this.certs,
      keys: this.keys,
      publicKeys: this.publicKeys,
      csrs: this.csrs,
      pairs,
      endpoints: this.endpoints,
      anchors,
      problems: this.problems,
    };
  }
}
