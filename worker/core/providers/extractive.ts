// Extractive answering for the offline model: choose the context sentences that share the most
// informative terms with the question, covering the top-ranked passages first. Pure functions, so the choice is deterministic and testable.
import { contentTerms, sentences } from "./text";
import type { ChatMessage, ContextPassage } from "./types";

export interface Extract {
  /** 0-based index of the passage in the request's context; citation markers are this + 1. */
  passageIndex: number;
  sentence: string;
  score: number;
}

const MAX_SENTENCES = 3;
/** The leading passages (the search's best) each quoted when they match the question at all. */
const COVERED_PASSAGES = 3;
// Sentences scoring far below the best one add noise, not support.
const RELATIVE_CUTOFF = 0.35;
const MAX_SENTENCE_CHARS = 400;

/** A question this short ("and at Mach 2?") leans on the one before it. */
const FOLLOW_UP_TERMS = 3;

/**
 * What the user is asking, for retrieval and for choosing what to quote: the last user message,
 * with the previous one in front when the last is a short follow-up.
 */
export function questionOf(messages: readonly ChatMessage[]): string {
  const users = messages.filter((m) => m.role === "user");
  const last = users.at(-1)?.content ?? "";
  const previous = users.at(-2)?.content;
  return previous && contentTerms(last).length < FOLLOW_UP_TERMS ? `${previous}\n${last}` : last;
}

interface Candidate extends Extract {
  order: number;
  terms: Set<string>;
}

export function selectExtracts(question: string, context: ContextPassage[]): Extract[] {
  const queryTerms = new Set(contentTerms(question));
  if (queryTerms.size === 0) return [];
  const candidates: Candidate[] = [];
  context.forEach((passage, passageIndex) => {
    for (const sentence of sentences(passage.text)) {
      candidates.push({
        passageIndex,
        sentence,
        score: 0,
        order: candidates.length,
        terms: new Set(contentTerms(sentence)),
      });
    }
  });
  // Inverse sentence frequency: a term found in every sentence says little about any of them.
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) if (queryTerms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  for (const c of candidates) {
    for (const t of c.terms) if (queryTerms.has(t)) c.score += Math.log(1 + candidates.length / (df.get(t) ?? 1));
  }
  const ranked = candidates
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.sentence.length - b.sentence.length || a.order - b.order);
  const best = ranked[0]?.score ?? 0;
  const chosen: Extract[] = [];
  const seen = new Set<string>();
  const take = (c: Candidate) => {
    // The same sentence in two passages (overlapping chunks) is quoted once.
    if (chosen.length === MAX_SENTENCES || seen.has(c.sentence)) return;
    seen.add(c.sentence);
    const sentence =
      c.sentence.length > MAX_SENTENCE_CHARS ? `${c.sentence.slice(0, MAX_SENTENCE_CHARS - 1).trimEnd()}…` : c.sentence;
    chosen.push({ passageIndex: c.passageIndex, sentence, score: c.score });
  };
  // Context comes best first: each of the top passages that matches at all is quoted by its best
  // sentence, so the answer never drops a passage the search ranked highest...
  for (let i = 0; i < COVERED_PASSAGES; i++) {
    const top = ranked.find((c) => c.passageIndex === i);
    if (top) take(top);
  }
  // ...and what is left goes to the best sentences anywhere, if they score close to the best.
  for (const c of ranked) {
    if (chosen.length === MAX_SENTENCES || c.score < best * RELATIVE_CUTOFF) break;
    take(c);
  }
  return chosen;
}
