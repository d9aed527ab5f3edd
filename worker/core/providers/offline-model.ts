// The model used when no language model is configured. It never pretends to be one: with
// retrieved passages it quotes the sentences that best match the question, each with a
// citation marker [n] (n = the passage's 1-based position in `context`); without passages it
// says what is missing. Output is a pure function of the request, so tests and demos repeat.
import { selectExtracts } from "./extractive";
import { estimateInputTokens, estimateTokens } from "./usage";
import type { FinishReason, GenerateRequest, ModelEvent, ModelProvider } from "./types";

export const OFFLINE_MODEL_ID = "offline";

const NO_CONTEXT =
  "No language model is configured, so I can't compose an answer of my own. " +
  "What I can do is quote the passages from this agent's knowledge that best match your question, with citations. " +
  "Attach a knowledge base with relevant documents, or ask an operator to configure Workers AI or an " +
  "OpenAI-compatible server (LLM_BASE_URL) for generated answers.";

const HEADER = "No language model is configured, so here are the passages from the sources that best match your question:";

function noMatch(count: number): string {
  const which = count === 1 ? "the retrieved passage doesn't" : `none of the ${count} retrieved passages`;
  return (
    `I can only quote sources (no language model is configured), and ${which} match your question ` +
    "closely enough to quote. Try rephrasing it with words the documents use."
  );
}

interface Piece {
  text: string;
  citation?: string;
}

function compose(request: GenerateRequest): Piece[] {
  const context = request.context ?? [];
  if (context.length === 0) return [{ text: NO_CONTEXT }];
  const question = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const extracts = selectExtracts(question, context);
  if (extracts.length === 0) return [{ text: noMatch(context.length) }];
  const pieces: Piece[] = [{ text: HEADER }];
  const cited = new Set<string>();
  for (const e of extracts) {
    const passage = context[e.passageIndex];
    if (!passage) continue;
    const first = !cited.has(passage.id);
    cited.add(passage.id);
    pieces.push({ text: `\n\n"${e.sentence}" [${e.passageIndex + 1}]`, ...(first ? { citation: passage.id } : {}) });
  }
  return pieces;
}

/** Word-sized deltas (each with its leading whitespace), so clients see a normal token stream. */
const deltas = (text: string) => text.match(/\s*\S+/g) ?? [];

export class OfflineModel implements ModelProvider {
  readonly id = OFFLINE_MODEL_ID;
  readonly degraded = true;

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const inputTokens = estimateInputTokens(request.messages, request.context);
    let output = "";
    let reason: FinishReason = "stop";
    outer: for (const piece of compose(request)) {
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
      if (piece.citation) yield { type: "citation", passageId: piece.citation };
    }
    yield { type: "finish", reason, usage: { inputTokens, outputTokens: estimateTokens(output) } };
  }
}
