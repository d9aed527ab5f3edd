// Structure analysis for the chunker: the text becomes a sequence of "atoms" (words in prose,
// whole lines in code blocks and tables, whole heading lines) that exactly tile the text, each
// with the strength of the boundary that follows it. The chunker only ever cuts between atoms,
// preferring the strongest boundary, so structure decides where chunks end.
import { estimateTokens } from "../core/tokens";

/** Boundary strengths, weakest first. */
export const BREAK = {
  /** Inside a word: only for words longer than a chunk. */
  forced: 0,
  /** Between lines of a code block or table that fits in one chunk: cut only to avoid worse. */
  insideBlock: 1,
  /** Between a heading and the text under it. */
  afterHeading: 2,
  /** Between words. */
  word: 3,
  /** End of a sentence or of a line (list item, line of a code block too big for one chunk). */
  sentence: 4,
  /** End of a paragraph, code block or table. */
  block: 5,
  /** Before a heading: a new section starts. */
  section: 6,
} as const;

/** Struct-of-arrays so a 10 MB document (~1.5 M atoms) stays far below the Worker's memory limit. */
export class Atoms {
  length = 0;
  starts = new Int32Array(1024);
  tokens = new Int32Array(1024);
  breaks = new Uint8Array(1024);
  /** Tokens of the code block or table an atom opens, when that block fits in one chunk; else 0. */
  keep = new Int32Array(1024);

  constructor(readonly textLength: number) {}

  end(i: number): number {
    return i + 1 < this.length ? (this.starts[i + 1] as number) : this.textLength;
  }

  push(start: number, tokens: number, brk: number): void {
    if (this.length === this.starts.length) this.grow();
    this.starts[this.length] = start;
    this.tokens[this.length] = tokens;
    this.breaks[this.length] = brk;
    this.keep[this.length] = 0;
    this.length++;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const copy = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.starts = copy(this.starts, (n) => new Int32Array(n));
    this.tokens = copy(this.tokens, (n) => new Int32Array(n));
    this.breaks = copy(this.breaks, (n) => new Uint8Array(n));
    this.keep = copy(this.keep, (n) => new Int32Array(n));
  }
}

type BlockKind = "heading" | "code" | "table" | "para";
interface Block {
  kind: BlockKind;
  start: number;
  end: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}#{1,6}\s+\S/;
const TABLE_ROW = /^\s*\|/;
const BLANK = /^\s*$/;

/** Splits the text into headings, fenced code blocks, tables and paragraphs; blank lines join the block before them. */
export function blocks(text: string): Block[] {
  const out: Block[] = [];
  let fence: string | null = null;
  let prevBlank = false;
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl + 1;
    const line = text.slice(pos, nl === -1 ? text.length : nl);
    const last = out[out.length - 1];
    const fenceMatch = FENCE.exec(line);
    if (fence !== null && last) {
      last.end = end;
      const marker = fenceMatch?.[1] ?? "";
      if (marker[0] === fence[0] && marker.length >= fence.length && BLANK.test(fenceMatch?.[2] ?? "")) fence = null;
    } else if (fenceMatch) {
      fence = fenceMatch[1] ?? "```";
      out.push({ kind: "code", start: pos, end });
      prevBlank = false;
    } else if (BLANK.test(line)) {
      if (last) last.end = end;
      else out.push({ kind: "para", start: pos, end });
      prevBlank = true;
    } else {
      const kind: BlockKind = HEADING.test(line) ? "heading" : TABLE_ROW.test(line) ? "table" : "para";
      if (last && last.kind === kind && kind !== "heading" && !prevBlank) last.end = end;
      else out.push({ kind, start: pos, end });
      prevBlank = false;
    }
    pos = end;
  }
  return out;
}

const WORD_START = /\S+/g;
const SENTENCE_END = /[.!?]["')\]]*\s+$/;

/**
 * Visits the words of [start, end), each with its trailing whitespace (the first also with any
 * leading whitespace), without materialising them: a paragraph may be megabytes long.
 */
function eachWord(
  text: string,
  start: number,
  end: number,
  visit: (from: number, to: number, last: boolean) => void,
): void {
  WORD_START.lastIndex = start;
  const first = WORD_START.exec(text);
  if (!first || first.index >= end) {
    visit(start, end, true);
    return;
  }
  let from = start;
  WORD_START.lastIndex = first.index + first[0].length;
  for (let m = WORD_START.exec(text); m && m.index < end; m = WORD_START.exec(text)) {
    const resume = m.index + m[0].length;
    visit(from, m.index, false);
    from = m.index;
    // `visit` may split an oversized word with this same regex; carry on after this word.
    WORD_START.lastIndex = resume;
  }
  visit(from, end, true);
}

/** Cuts [start, end) into atoms of at most `limit` tokens: at spaces, then (for long words) inside the word. */
function pushSized(
  atoms: Atoms,
  text: string,
  start: number,
  end: number,
  limit: number,
  brkAfter: number,
  wordBreak: number,
): void {
  const tokens = estimateTokens(text.slice(start, end));
  if (tokens <= limit) {
    atoms.push(start, tokens, brkAfter);
    return;
  }
  const words: [number, number][] = [];
  eachWord(text, start, end, (from, to) => void words.push([from, to]));
  if (words.length > 1) {
    words.forEach(([from, to], i) => {
      pushSized(atoms, text, from, to, limit, i + 1 < words.length ? wordBreak : brkAfter, wordBreak);
    });
    return;
  }
  // One word longer than a chunk (a URL, base64, a table row without spaces): cut by characters.
  let from = start;
  while (from < end) {
    let lo = from + 1;
    let hi = end;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (estimateTokens(text.slice(from, mid)) <= limit) lo = mid;
      else hi = mid - 1;
    }
    let to = lo;
    // Never cut between the two halves of a surrogate pair.
    if (to < end && to > from + 1 && /[\uDC00-\uDFFF]/.test(text[to] ?? "")) to--;
    atoms.push(from, estimateTokens(text.slice(from, to)), to === end ? brkAfter : BREAK.forced);
    from = to;
  }
}

/** The atoms of `text` for chunks of at most `limit` tokens. */
export function atomize(text: string, limit: number): Atoms {
  const atoms = new Atoms(text.length);
  const list = blocks(text);
  list.forEach((block, b) => {
    const next = list[b + 1];
    const blockEnd = next?.kind === "heading" ? BREAK.section : BREAK.block;
    if (block.kind === "heading") {
      // Keep a heading with the text under it unless nothing follows in its section.
      const after = next === undefined || next.kind === "heading" ? blockEnd : BREAK.afterHeading;
      pushSized(atoms, text, block.start, block.end, limit, after, BREAK.word);
      return;
    }
    if (block.kind === "code" || block.kind === "table") {
      const tokens = estimateTokens(text.slice(block.start, block.end));
      const fits = tokens <= limit;
      const first = atoms.length;
      for (let from = block.start; from < block.end; ) {
        const nl = text.indexOf("\n", from);
        const to = nl === -1 || nl + 1 > block.end ? block.end : nl + 1;
        const brk = to === block.end ? blockEnd : fits ? BREAK.insideBlock : BREAK.sentence;
        pushSized(atoms, text, from, to, limit, brk, BREAK.word);
        from = to;
      }
      if (fits && atoms.length > first) atoms.keep[first] = tokens;
      return;
    }
    eachWord(text, block.start, block.end, (from, to, last) => {
      const word = text.slice(from, to);
      const brk = last ? blockEnd : SENTENCE_END.test(word) || word.includes("\n") ? BREAK.sentence : BREAK.word;
      pushSized(atoms, text, from, to, limit, brk, BREAK.word);
    });
  });
  return atoms;
}
