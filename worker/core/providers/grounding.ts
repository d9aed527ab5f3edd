// How retrieved passages reach a language model, and how its citations come back, so every
// provider numbers sources the same way the offline model does: [n] is the n-th passage.
import type { ChatMessage, ContextPassage, ModelEvent } from "./types";

export function groundMessages(messages: ChatMessage[], context: ContextPassage[] | undefined): ChatMessage[] {
  if (!context?.length) return messages;
  const sources = context.map((p, i) => `[${i + 1}]${p.source ? ` (${p.source})` : ""} ${p.text}`).join("\n\n");
  const grounding: ChatMessage = {
    role: "system",
    content:
      "Answer from the sources below when they are relevant, and cite each fact with the source's marker, " +
      "like [1]. If the sources do not contain the answer, say so.\n\nSources:\n\n" +
      sources,
  };
  // After the agent's own system prompt, so its instructions keep priority.
  const firstNonSystem = messages.findIndex((m) => m.role !== "system");
  const at = firstNonSystem === -1 ? messages.length : firstNonSystem;
  return [...messages.slice(0, at), grounding, ...messages.slice(at)];
}

/** Citation events for every passage the text cites with a valid [n] marker, in order of first use. */
export function citationEvents(text: string, context: ContextPassage[] | undefined): ModelEvent[] {
  if (!context?.length) return [];
  const events: ModelEvent[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const passage = context[Number(match[1]) - 1];
    if (passage && !seen.has(passage.id)) {
      seen.add(passage.id);
      events.push({ type: "citation", passageId: passage.id });
    }
  }
  return events;
}
