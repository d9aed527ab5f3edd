// The snippet shown with a hit: the window of the chunk with the most query-term matches, and
// where those matches are inside it. Matching uses the same normalising and stemming as the
// offline embedder, so "layers" highlights for "layer". Offsets, not markup: the client decides
// how to render a highlight, and no HTML from a document is ever produced here.
import { normalise, stem } from "../../core/providers/text";

export const SNIPPET_CHARS = 240;

export interface Snippet {
  text: string;
  /** Offset of the snippet in the document text. */
  start_offset: number;
  highlights: { start: number; end: number }[];
}

export function makeSnippet(
  content: string,
  contentOffset: number,
  terms: ReadonlySet<string>,
  width = SNIPPET_CHARS,
): Snippet {
  const matches: { start: number; end: number }[] = [];
  for (const m of content.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (terms.has(stem(normalise(m[0])))) matches.push({ start: m.index, end: m.index + m[0].length });
  }
  let from = 0;
  if (content.length > width && matches.length > 0) {
    // Slide a window over the matches; keep the start that covers the most of them.
    const starts = matches.map((m) => m.start);
    const ends = matches.map((m) => m.end);
    let best = 0;
    let j = 0;
    starts.forEach((start, i) => {
      while (j < ends.length && (ends[j] as number) - start <= width) j++;
      if (j - i > best) [best, from] = [j - i, start];
    });
    // A little context before the first match, starting at a word.
    from = Math.max(0, from - 40);
    const space = content.lastIndexOf(" ", from);
    if (from > 0 && space >= 0 && from - space < 20) from = space + 1;
    from = Math.min(from, Math.max(0, content.length - width));
  }
  let to = Math.min(content.length, from + width);
  if (to < content.length) {
    const space = content.lastIndexOf(" ", to);
    if (space > from + width / 2) to = space;
  }
  const raw = content.slice(from, to);
  // Collapse whitespace for display, remapping highlight offsets through the collapse.
  let text = "";
  const map: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (/\s/.test(ch)) {
      if (text.length === 0 || text.endsWith(" ")) continue;
      map[i] = text.length;
      text += " ";
    } else {
      map[i] = text.length;
      text += ch;
    }
  }
  const highlights = matches
    .filter((m) => m.start >= from && m.end <= to)
    .map((m) => ({ start: map[m.start - from] ?? 0, end: (map[m.end - from - 1] ?? 0) + 1 }));
  return { text: text.trimEnd(), start_offset: contentOffset + from, highlights };
}

export const snippetTerms = (terms: readonly string[]) => new Set(terms.map((t) => stem(t)));
