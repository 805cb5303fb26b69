/**
 * What `kspect netpol matrix -f json` decides pair by pair, counted per namespace pair ("a → b": endpoint pairs, and
 * how many of them are allowed) — the oracle of the HTML report's namespace heatmap and of the Report's network section.
 */
export interface PairCounts {
  pairs: number;
  allowed: number;
}

export function namespacePairCounts(matrixJson: string): Map<string, PairCounts> {
  const matrix = JSON.parse(matrixJson) as { nodes: { type: string; namespace?: string }[]; cells: { source: number; destination: number; verdict: string }[] };
  const counts = new Map<string, PairCounts>();
  for (const c of matrix.cells) {
    const a = matrix.nodes[c.source];
    const b = matrix.nodes[c.destination];
    if (c.source === c.destination || a?.type !== 'endpoint' || b?.type !== 'endpoint') continue;
    const k = `${a.namespace ?? ''} → ${b.namespace ?? ''}`;
    const e = counts.get(k) ?? { pairs: 0, allowed: 0 };
    e.pairs++;
    if (c.verdict === 'allowed') e.allowed++;
    counts.set(k, e);
  }
  return counts;
}
