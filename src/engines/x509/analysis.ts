/**
 * The x509 engine's view of a run: the material plus, computed once and on demand, the
 * certification path of each certificate to the trust anchors that apply to it.
 */
import type { CertInfo } from './cert.js';
import { buildChain, chainIndex, type ChainIndex, type ChainResult } from './chain.js';
import type { CertItem, PkiMaterial } from './material.js';

export type ChainScope =
  /** `kspect pki check`: every certificate against --ca, or the CAs found among the inputs. */
  | 'global'
  /** `kspect scan`: only certificates that carry their own anchors (a Secret's ca.crt). */
  | 'local';

export interface PkiAnalysis {
  readonly material: PkiMaterial;
  readonly now: Date;
  readonly scope: ChainScope;
  /** Where the trust anchors came from. */
  readonly anchorSource: 'given' | 'inputs' | 'none';
  readonly anchors: readonly CertInfo[];
  /** The chain of a certificate; undefined when no anchor applies (not evaluated). */
  chainOf(item: CertItem): ChainResult | undefined;
  /** True when `item`'s certificate is one of the anchors. */
  isAnchor(item: CertItem): boolean;
}

export function analyze(material: PkiMaterial, now: Date, scope: ChainScope = 'global'): PkiAnalysis {
  const given = material.anchors.length > 0;
  const anchors = given ? material.anchors : material.certs.filter((c) => c.anchorCandidate).map((c) => c.cert);
  const anchorSet = new Set(anchors.map((a) => a.sha256));
  const pool = material.certs.map((c) => c.cert);
  let globalIndex: ChainIndex | undefined;
  const memo = new Map<CertItem, ChainResult | undefined>();
  const byCert = new Map<string, ChainResult>(); // global scope: the same certificate has the same path
  const localIndexes = new Map<string, ChainIndex>();
  return {
    material,
    now,
    scope,
    anchorSource: given ? 'given' : anchors.length > 0 ? 'inputs' : 'none',
    anchors,
    isAnchor: (item) => anchorSet.has(item.cert.sha256) || (item.localAnchors ?? []).some((a) => a.sha256 === item.cert.sha256),
    chainOf(item) {
      if (memo.has(item)) return memo.get(item);
      let r: ChainResult | undefined;
      if (item.localAnchors && item.localAnchors.length > 0) {
        // One index per set of local anchors (items of one kubeconfig share theirs): never one per item.
        const key = item.localAnchors.map((a) => a.sha256).join(',');
        let index = localIndexes.get(key);
        if (!index) localIndexes.set(key, (index = chainIndex(pool, item.localAnchors)));
        r = buildChain(item.cert, index, now);
      } else if (scope === 'global' && anchors.length > 0) {
        globalIndex ??= chainIndex(pool, anchors);
        r = byCert.get(item.cert.sha256) ?? buildChain(item.cert, globalIndex, now);
        byCert.set(item.cert.sha256, r);
      }
      memo.set(item, r);
      return r;
    },
  };
}
