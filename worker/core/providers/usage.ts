// Input-token accounting for providers that do not report usage (the offline model, and
// upstreams that omit it), counted with the one estimate in core/tokens.ts so usage, chunk sizes
// and limits agree, and estimates are comparable across providers and stable across runs.
import { estimateTokens } from "../tokens";
import type { ChatMessage, ContextPassage } from "./types";

/** Everything the model reads: message contents, tool-call arguments and grounding passages. */
export function estimateInputTokens(messages: ChatMessage[], context: ContextPassage[] = []): number {
  let total = 0;
  for (const m of messages) {
    total += estimateTokens(m.content);
    for (const call of m.toolCalls ?? []) total += estimateTokens(call.name) + estimateTokens(call.arguments);
  }
  for (const p of context) total += estimateTokens(p.text);
  return total;
}
