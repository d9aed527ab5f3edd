// The built-in embedder used when Workers AI is not bound: no model, no downloads, fully
// deterministic. A hashing-trick bag of features (stemmed words, word bigrams, character
// trigrams) projected into the same 384 dimensions as @cf/baai/bge-small-en-v1.5, so indexes
// built offline have the shape production expects. It captures lexical overlap, not meaning;
// that is enough for useful offline retrieval.

import { fmix32, fnv1a } from "../hash";
import { contentTerms, normalise } from "./text";
import type { Embedder } from "./types";

export const LOCAL_EMBEDDING_MODEL = "local-hash-v1";
export const LOCAL_EMBEDDING_DIMENSIONS = 384;

// Relative weights: a shared word counts most, a shared phrase adds to it, and shared
// character trigrams give partial credit for morphology and typos ("embeding" ~ "embedding").
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const weights = new Map<string, number>();
  const add = (feature: string, weight: number) => {
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
    weights.set(feature, weight);
  };
  const terms = contentTerms(text);
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i] as string;
    add(`w:${term}`, WORD_WEIGHT);
    if (i > 0) add(`b:${terms[i - 1]} ${term}`, BIGRAM_WEIGHT);
    const padded = `#${term}#`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  }
  // Sublinear TF: a word repeated ten times is more important, not ten times more.
  const out = new Map<string, number>();
  for (const [feature, count] of counts) out.set(feature, (1 + Math.log(count)) * (weights.get(feature) ?? 0));
  return out;
}

export function embedLocal(text: string, dimensions = LOCAL_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  let feats = features(text);
  // Text with no content words (empty, or only stopwords) still needs a unit vector for cosine;
  // fall back to its raw normalised form (for empty text, one fixed direction).
  if (feats.size === 0) feats = new Map([[`raw:${normalise(text).trim()}`, 1]]);
  for (const [feature, weight] of feats) {
    const h = fnv1a(feature);
    // Signed hashing: collisions cancel out on average instead of piling up.
    vector[h % dimensions]! += (fmix32(h) & 1 ? 1 : -1) * weight;
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  // Opposite-signed features can in principle cancel exactly; never divide by that zero.
  return Array.from(vector, (v) => (norm > 0 ? v / norm : 0));
}

export class LocalEmbedder implements Embedder {
  readonly model = LOCAL_EMBEDDING_MODEL;
  readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS;

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => embedLocal(t, this.dimensions));
  }
}
