// Free text to an FTS5 MATCH expression that cannot be anything but a list of terms. Only runs
// of letters and digits survive, each wrapped in double quotes (so AND, NEAR, column filters,
// `*`, `^`, `:` and unbalanced quotes are just text) and OR-ed, which is what BM25 ranking
// wants: documents matching more, rarer terms score higher.
import { isStopword, normalise } from "../../core/providers/text";

/** More terms than this add time, not precision. */
export const MAX_QUERY_TERMS = 32;

export function queryTerms(text: string): string[] {
  const words = normalise(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words)];
  const content = unique.filter((w) => !isStopword(w));
  // A query made only of stopwords ("to be or not to be") still means something.
  return (content.length > 0 ? content : unique).slice(0, MAX_QUERY_TERMS);
}

/** null when the text holds no searchable term (only punctuation, say). */
export function ftsQuery(text: string): string | null {
  const terms = queryTerms(text);
  return terms.length === 0 ? null : terms.map((t) => `"${t}"`).join(" OR ");
}
