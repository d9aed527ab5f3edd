// Text analysis shared by the local embedder and the offline model, so "what counts as the
// same word" is decided in one place.

// Function words carry no topical signal; dropping them keeps short texts from matching on "the".
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her " +
    "here hers him his how i if in into is it its itself just me more most my no nor not of off on once only " +
    "or other our ours out over own same she should so some such than that the their theirs them then there " +
    "these they this those through to too under until up very was we were what when where which while who whom " +
    "why will with would you your yours yourself"
  ).split(" "),
);

/** Lower-cased, accents folded, so "Café" and "cafe" are one word. */
export function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** Letter/digit runs of the normalised text. */
export function words(text: string): string[] {
  return normalise(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export const isStopword = (word: string) => STOPWORDS.has(word);

const VOWEL = /[aeiouy]/;
const DOUBLE_CONSONANT = /([b-df-hj-np-tv-xz])\1$/;

function undouble(stem: string): string {
  // "running" -> "runn" -> "run"; l, s and z doubles are usually part of the root ("falls", "buzz").
  return DOUBLE_CONSONANT.test(stem) && !/(ll|ss|zz)$/.test(stem) ? stem.slice(0, -1) : stem;
}

/**
 * A deliberately light suffix stripper (plurals, -ing, -ed): enough to join "indexes"/"index"
 * and "searching"/"searched"/"search" without Porter's over-stemming. Character n-grams in the
 * embedder absorb what this misses.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|[sxz])es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("ing")) {
    const rest = word.slice(0, -3);
    if (rest.length >= 3 && VOWEL.test(rest)) return undouble(rest);
    return word;
  }
  if (word.endsWith("ed")) {
    const rest = word.slice(0, -2);
    if (rest.length >= 3 && VOWEL.test(rest)) return undouble(rest);
    return word;
  }
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Stemmed words without stopwords: the terms that say what a text is about. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!isStopword(w)) out.push(stem(w));
  return out;
}

/** Splits prose into sentences at ., ! or ? followed by whitespace, and at blank or bullet lines. */
export function sentences(text: string): string[] {
  return text
    .split(/\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)|(?<=[.!?]["')\]]?)\s+/u)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 0);
}
