// Token accounting for providers that do not report usage (the offline model, and upstreams
// that omit it). One rule everywhere: a token is about four characters of English, rounded up
// per text, so estimates are comparable across providers and stable across runs.
import type { ChatMessage, ContextPassage } from "./types";

export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

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
