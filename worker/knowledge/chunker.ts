// Structure-aware recursive splitting. The text is cut into atoms (atoms.ts) whose boundaries
// carry a strength: section > block > sentence/line > word > inside a word. Each chunk takes as
// many atoms as fit in `size` tokens and ends at the strongest boundary that leaves it at least
// half full, so chunks end at headings and paragraph ends where they can, at sentence ends
// otherwise, and mid-sentence only when a sentence is longer than a chunk. Fenced code blocks
// and tables are cut only between lines, and not at all when they fit in one chunk.
//
// Chunks tile the text exactly: chunk i+1 starts at or before chunk i's end (the overlap, at
// most `overlap` tokens of whole words) and `content` is `text.slice(start, end)`, so the
// offsets cite the stored document text and no character is lost. There is no overlap across a
// section boundary: a new section starts clean.
import { type Atoms, atomize, BREAK } from "./atoms";

export interface ChunkOptions {
  /** Maximum tokens per chunk (estimateTokens). */
  size: number;
  /** Maximum tokens a chunk repeats from the end of the previous one; less than `size`. */
  overlap: number;
}

export interface TextChunk {
  seq: number;
  start: number;
  end: number;
  tokens: number;
  content: string;
}

/** A chunk should be at least this full before we prefer a weaker boundary further on. */
const MIN_FILL = 0.5;

function prefixSums(atoms: Atoms): Float64Array {
  const prefix = new Float64Array(atoms.length + 1);
  for (let i = 0; i < atoms.length; i++) prefix[i + 1] = (prefix[i] as number) + (atoms.tokens[i] as number);
  return prefix;
}

/**
 * Where the chunk starting at atom `from` ends (exclusive atom index), among ends in
 * (after, limit]: the strongest boundary once the chunk is half full, if that is a sentence end
 * or better; otherwise a stronger boundary earlier on (a paragraph end before a code block that
 * would not fit, rather than a cut through the code block).
 */
function chooseEnd(
  atoms: Atoms,
  prefix: Float64Array,
  from: number,
  after: number,
  limit: number,
  size: number,
): number {
  let eligible = -1;
  let eligibleBrk = -1;
  let early = -1;
  let earlyBrk = -1;
  for (let end = after + 1; end <= limit; end++) {
    const brk = atoms.breaks[end - 1] as number;
    const fill = ((prefix[end] as number) - (prefix[from] as number)) / size;
    if (fill >= MIN_FILL) {
      if (brk >= eligibleBrk) [eligible, eligibleBrk] = [end, brk];
    } else if (brk >= earlyBrk) [early, earlyBrk] = [end, brk];
  }
  if (eligible !== -1 && eligibleBrk >= BREAK.sentence) return eligible;
  if (early !== -1 && earlyBrk > eligibleBrk) return early;
  return eligible !== -1 ? eligible : early;
}

/** Tokens that must fit with the first atom of the next chunk: a whole code block or table when it fits. */
const keepWith = (atoms: Atoms, i: number) => Math.max(atoms.tokens[i] as number, atoms.keep[i] as number);

export function chunkText(text: string, options: ChunkOptions): TextChunk[] {
  const { size, overlap } = options;
  if (!(size >= 1) || !(overlap >= 0) || overlap >= size)
    throw new RangeError("chunk overlap must be at least 0 and less than the chunk size");
  if (text.length === 0) return [];
  const atoms = atomize(text, size);
  const prefix = prefixSums(atoms);
  const n = atoms.length;
  const chunks: TextChunk[] = [];
  const emit = (from: number, to: number) => {
    const start = atoms.starts[from] as number;
    const end = atoms.end(to - 1);
    chunks.push({
      seq: chunks.length,
      start,
      end,
      tokens: (prefix[to] as number) - (prefix[from] as number),
      content: text.slice(start, end),
    });
  };

  let from = 0;
  /** Atoms before this index are in an earlier chunk; each chunk must take at least one more. */
  let covered = 0;
  while (covered < n) {
    let limit = covered;
    while (limit < n && (prefix[limit + 1] as number) - (prefix[from] as number) <= size) limit++;
    if (limit === n) {
      emit(from, n);
      break;
    }
    const to = chooseEnd(atoms, prefix, from, covered, limit, size);
    emit(from, to);
    const previous = from;
    covered = from = to;
    if (overlap > 0 && (atoms.breaks[to - 1] as number) < BREAK.section) {
      // Step back over whole atoms while the repeated tail fits the overlap and still leaves
      // room for what comes next (a whole code block or table when it would fit on its own).
      const budget = Math.min(overlap, size - keepWith(atoms, to));
      while (from - 1 > previous && (prefix[to] as number) - (prefix[from - 1] as number) <= budget) from--;
    }
  }
  return chunks;
}
