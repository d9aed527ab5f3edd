// Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each retriever contributes
// 1 / (k + rank) for every hit it ranked, rank starting at 1. It needs no score calibration
// between BM25 and cosine similarity, and k = 60 (the paper's value) damps the difference
// between the first few ranks so that agreement between retrievers outweighs one retriever's
// confidence.
export const RRF_K = 60;

export interface Fused {
  id: string;
  fused: number;
  ranks: Record<string, number>;
}

/** Weighted RRF: a retriever's contributions are multiplied by its weight (default 1). */
export function reciprocalRankFusion(
  lists: Record<string, readonly string[]>,
  k = RRF_K,
  weights: Readonly<Record<string, number>> = {},
): Fused[] {
  const byId = new Map<string, Fused>();
  for (const [name, ids] of Object.entries(lists)) {
    const weight = weights[name] ?? 1;
    ids.forEach((id, i) => {
      const entry = byId.get(id) ?? { id, fused: 0, ranks: {} };
      entry.fused += weight / (k + i + 1);
      entry.ranks[name] = i + 1;
      byId.set(id, entry);
    });
  }
  // Ties (same total) fall back to the best single rank, then the id, so order is deterministic.
  const best = (f: Fused) => Math.min(...Object.values(f.ranks));
  return [...byId.values()].sort((a, b) => b.fused - a.fused || best(a) - best(b) || (a.id < b.id ? -1 : 1));
}
