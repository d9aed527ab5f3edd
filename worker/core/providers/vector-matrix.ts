// The in-memory half of the local vector index: every vector of one namespace, L2-normalised,
// packed row by row in one Float32Array, so a cosine query is a single dot-product pass over
// contiguous memory. Rows are kept dense (a delete moves the last row into the hole).

import type { VectorMetadata } from "./types";
import type { MetadataPredicate } from "./vector-filter";

/** At or below this share of non-zero dimensions, a query is scored through its non-zeros only. */
const SPARSE_SHARE = 0.5;

export interface ScoredRow {
  id: string;
  score: number;
  metadata: VectorMetadata | undefined;
}

/** Scales to unit length in place; a zero vector stays zero (it scores 0 against everything). */
export function normaliseInPlace(values: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < values.length; i++) norm += values[i]! * values[i]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < values.length; i++) values[i]! *= inv;
  }
  return values;
}

export class VectorMatrix {
  private data: Float32Array;
  private ids: string[] = [];
  private metadata: (VectorMetadata | undefined)[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    initialCapacity = 64,
  ) {
    this.data = new Float32Array(Math.max(1, initialCapacity) * dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Inserts or replaces; `unit` must already be normalised and of the matrix's dimension. */
  set(id: string, unit: Float32Array, metadata: VectorMetadata | undefined): void {
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimensions > this.data.length) this.grow();
      this.ids.push(id);
      this.metadata.push(metadata);
      this.rowOf.set(id, row);
    } else {
      this.metadata[row] = metadata;
    }
    this.data.set(unit, row * this.dimensions);
  }

  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      const movedId = this.ids[last] as string;
      this.data.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.ids[row] = movedId;
      this.metadata[row] = this.metadata[last];
      this.rowOf.set(movedId, row);
    }
    this.ids.pop();
    this.metadata.pop();
    this.rowOf.delete(id);
    return true;
  }

  /** The `topK` best rows by dot product with `unitQuery`, best first; ties go to the earlier row. */
  search(unitQuery: Float32Array, topK: number, filter?: MetadataPredicate): ScoredRow[] {
    const d = this.dimensions;
    const data = this.data;
    // Only the query's non-zero dimensions can add to a dot product. Skipping the others, in the
    // same order, gives the same sums bit for bit, so a sparse query (the offline embedder's are
    // about a quarter non-zero) costs a fraction of the full pass. Dense ones take it whole.
    const dims: number[] = [];
    for (let i = 0; i < d; i++) if (unitQuery[i] !== 0) dims.push(i);
    const sparse = dims.length <= d * SPARSE_SHARE;
    const nonZero = Int32Array.from(dims);
    const weight = Float32Array.from(dims, (i) => unitQuery[i]!);
    const m = nonZero.length;
    // A small sorted buffer beats a heap for topK <= 100: most rows fail the first comparison.
    const bestRows: number[] = [];
    const bestScores: number[] = [];
    for (let row = 0, n = this.ids.length; row < n; row++) {
      let s = 0;
      const base = row * d;
      if (sparse) for (let k = 0; k < m; k++) s += data[base + nonZero[k]!]! * weight[k]!;
      else for (let i = 0, o = base; i < d; i++, o++) s += data[o]! * unitQuery[i]!;
      if (bestScores.length === topK && s <= bestScores[topK - 1]!) continue;
      // The filter only for a row that would make the list (the same answer, far fewer calls).
      if (filter && !filter(this.metadata[row])) continue;
      let at = bestScores.length;
      while (at > 0 && bestScores[at - 1]! < s) at--;
      bestScores.splice(at, 0, s);
      bestRows.splice(at, 0, row);
      if (bestScores.length > topK) {
        bestScores.pop();
        bestRows.pop();
      }
    }
    return bestRows.map((row, i) => ({
      id: this.ids[row] as string,
      score: bestScores[i] as number,
      metadata: this.metadata[row],
    }));
  }

  private grow(): void {
    // 1.5x rather than 2x: old and new buffers coexist while copying, and a Durable Object has
    // 128 MB; 20k x 384 floats is already 30 MB.
    const rows = Math.ceil((this.data.length / this.dimensions) * 1.5) + 1;
    const next = new Float32Array(rows * this.dimensions);
    next.set(this.data);
    this.data = next;
  }
}
