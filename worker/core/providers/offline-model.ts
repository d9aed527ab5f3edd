// The model used when no language model is configured, or when the configured ones failed. It
// never pretends to be one: with retrieved passages it quotes the sentences that best match the
// question, each with a citation marker [n] (n = the passage's 1-based position in `context`);
// without passages it says which of those happened and why there is nothing to quote (no
// knowledge base, nothing found, nothing close enough), and what to try. Output is a pure
// function of the request, so tests and demos repeat.

import { estimateTokens } from "../tokens";
import { questionOf, selectExtracts } from "./extractive";
import { continuationSentence, type FallbackReason, fallbackSentence } from "./fallback";
import { contentTerms } from "./text";
import type { Ballot, FinishReason, GenerateRequest, ModelEvent, ModelProvider } from "./types";
import { estimateInputTokens } from "./usage";

export const OFFLINE_MODEL_ID = "offline";

/** Why the offline model is answering (fallback.ts), and what would get a generated answer instead. */
interface Why {
  reason: string;
  advice: string;
}

function whyOf(request: GenerateRequest, alone: FallbackReason): Why {
  const failed = request.failedBefore ?? [];
  const cut = request.continueFrom !== undefined ? failed.findLast((f) => f.switched_at !== undefined) : undefined;
  if (cut) return { reason: continuationSentence(cut), advice: "ask again once the model is back" };
  const advice = failed.length
    ? "ask again once the model is back, or ask an operator to check it"
    : alone === "inference_off"
      ? "ask again once an operator turns model calls back on"
      : "ask an operator to configure Workers AI or an OpenAI-compatible server (LLM_BASE_URL) for generated answers";
  return { reason: fallbackSentence(failed, alone), advice };
}

function nothingToQuote(request: GenerateRequest, { reason, advice }: Why): string {
  switch (request.contextNote) {
    case "no_knowledge_base":
      return (
        `${reason} This agent has no knowledge base attached, so there is nothing to quote. ` +
        `Attach a knowledge base with relevant documents to the agent, or ${advice}.`
      );
    case "search_failed":
      return `${reason} Searching this agent's knowledge bases failed just now, so there is nothing to quote; try again in a moment.`;
    case "no_results":
      return (
        `${reason} I searched this agent's knowledge bases and found no passage for your question. ` +
        "Try the words the documents use, or check that the documents have finished indexing."
      );
    default:
      return (
        `${reason} No passages were given to quote from, so I can't answer. ` +
        `Ask through an agent with a knowledge base, or ${advice}.`
      );
  }
}

function header(why: Why): string {
  return `${why.reason} Here are the passages that best match your question:`;
}

function noMatch(why: Why, count: number): string {
  const which = count === 1 ? "the retrieved passage doesn't" : `none of the ${count} retrieved passages`;
  return (
    `${why.reason} I searched this agent's knowledge, but ${which} match your question closely enough to quote. ` +
    "Try rephrasing it with words the documents use."
  );
}

/**
 * A ballot answered without judging prose: the option whose key terms the agent's retrieved
 * passages back the most (share of its distinct content terms found in them; then more terms
 * found; then the lower label). With no passages every option scores 0 and the first wins.
 */
function vote(request: GenerateRequest, ballot: Ballot, why: Why): Piece[] {
  const sourceTerms = new Set((request.context ?? []).flatMap((p) => contentTerms(p.text)));
  const scored = ballot.options.map((o) => {
    const terms = new Set(contentTerms(o.text));
    const found = [...terms].filter((t) => sourceTerms.has(t)).length;
    return { option: o, found, total: terms.size, share: terms.size ? found / terms.size : 0 };
  });
  scored.sort((a, b) => b.share - a.share || b.found - a.found || a.option.label - b.option.label);
  const best = scored[0];
  if (!best) return [{ text: nothingToQuote(request, why) }];
  const reason =
    best.found > 0
      ? `option ${best.option.label} is the one this agent's sources support best (${best.found} of its ${best.total} key terms appear in the retrieved passages).`
      : `none of the options is supported by this agent's sources, so by the documented rule the first listed option, ${best.option.label}, gets the vote.`;
  return [{ text: `${why.reason} Choosing deterministically: ${reason}\n\n${ballot.keyword}: ${best.option.label}` }];
}

interface Piece {
  text: string;
  citation?: { passageId: string; quote: string };
}

function compose(request: GenerateRequest, why: Why): Piece[] {
  if (request.ballot?.options.length) return vote(request, request.ballot, why);
  const context = request.context ?? [];
  if (context.length === 0) return [{ text: nothingToQuote(request, why) }];
  const extracts = selectExtracts(questionOf(request.messages), context);
  if (extracts.length === 0) return [{ text: noMatch(why, context.length) }];
  const pieces: Piece[] = [{ text: header(why) }];
  const cited = new Set<string>();
  for (const e of extracts) {
    const passage = context[e.passageIndex];
    if (!passage) continue;
    const first = !cited.has(passage.id);
    cited.add(passage.id);
    pieces.push({
      text: `\n\n"${e.sentence}" [${e.passageIndex + 1}]`,
      ...(first ? { citation: { passageId: passage.id, quote: e.sentence } } : {}),
    });
  }
  return pieces;
}

/** Word-sized deltas (each with its leading whitespace), so clients see a normal token stream. */
const deltas = (text: string) => text.match(/\s*\S+/g) ?? [];

export class OfflineModel implements ModelProvider {
  readonly id = OFFLINE_MODEL_ID;
  readonly degraded = true;
  readonly callsTools = false;

  /** `inference_off`: built because model calls are switched off, not because none is configured. */
  constructor(readonly degradedReason: Extract<FallbackReason, "no_model" | "inference_off"> = "no_model") {}

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const inputTokens = estimateInputTokens(request.messages, request.context);
    let output = "";
    let reason: FinishReason = "stop";
    // Taking over a cut answer: a new paragraph after what was already sent.
    const pieces = compose(request, whyOf(request, this.degradedReason));
    if (request.continueFrom && pieces[0]) pieces[0] = { ...pieces[0], text: `\n\n${pieces[0].text}` };
    outer: for (const piece of pieces) {
      for (const delta of deltas(piece.text)) {
        if (request.signal?.aborted) {
          reason = "cancelled";
          break outer;
        }
        if (request.maxTokens !== undefined && estimateTokens(output + delta) > request.maxTokens) {
          reason = "length";
          break outer;
        }
        output += delta;
        yield { type: "text", delta };
      }
      if (piece.citation) yield { type: "citation", ...piece.citation };
    }
    yield { type: "finish", reason, usage: { inputTokens, outputTokens: estimateTokens(output) } };
  }
}
