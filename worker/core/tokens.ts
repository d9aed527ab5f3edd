// The one token estimate: chunk sizes, embedding limits, usage counts of providers that report
// none (the offline model, upstreams that omit it) and max_tokens checks. No tokenizer ships
// with the Worker (BGE's WordPiece vocabulary alone is ~230 kB), so we count the way subword
// tokenizers behave on English: a run of letters/digits costs one token per 4 characters,
// rounded up ("the" = 1, "aerodynamics" = 3), each punctuation or symbol character costs one, and
// whitespace is free. On English prose this lands within about 15% of BGE/cl100k counts, erring
// high on long technical words — the safe side for a model's input limit.
//
// Two properties the chunker relies on: the estimate is additive across whitespace (the text
// "a b" costs tokens("a ") + tokens("b")), and splitting inside a word never lowers the sum of
// the parts, so a sum of piece estimates is an upper bound for the joined text.
const TOKEN_RUN = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;
const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(TOKEN_RUN)) {
    const run = match[0];
    // A lone symbol is one token; a word run is ceil(length / 4), and at least one.
    tokens += run.length === 1 ? 1 : Math.ceil(run.length / CHARS_PER_TOKEN);
  }
  return tokens;
}
