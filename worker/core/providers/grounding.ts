// How retrieved passages reach a language model, and how its citations come back, so every
// provider numbers sources the same way the offline model does: [n] is the n-th passage. A
// citation carries the passage's document and the quoted text with its range in that document.
import type { ChatMessage, Citation, ContextPassage, ModelEvent, PassageOrigin } from "./types";

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

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Longest snippet a citation carries when the quote is not known (the passage's opening). */
const SNIPPET_CHARS = 300;

/**
 * Where `quote` sits in the passage, as offsets in the document: quotes are whitespace-folded
 * and may be cut short with "…", so the search allows any run of whitespace between words.
 */
function locate(passage: ContextPassage & { origin: PassageOrigin }, quote: string): Citation["snippet"] | null {
  const words = quote.replace(/…$/u, "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const match = new RegExp(words.map(escapeRegex).join("\\s+"), "u").exec(passage.text);
  if (!match) return null;
  const start = passage.origin.start_offset + match.index;
  return { text: quote, start_offset: start, end_offset: start + match[0].length };
}

/** The citation of a knowledge passage under marker [n]; null for passages with no document (nothing to link). */
export function citationFor(
  passage: ContextPassage,
  marker: number,
  quote?: string | Citation["snippet"],
): Citation | null {
  const origin = passage.origin;
  if (!origin) return null;
  const located = typeof quote === "string" ? locate({ ...passage, origin }, quote) : quote;
  const cut = passage.text.length > SNIPPET_CHARS ? passage.text.slice(0, SNIPPET_CHARS - 1).trimEnd() : passage.text;
  const opening = {
    text: cut.length < passage.text.length ? `${cut}…` : cut,
    start_offset: origin.start_offset,
    end_offset: origin.start_offset + cut.length,
  };
  const snippet = located ?? opening;
  return {
    passage_id: passage.id,
    marker,
    document_id: origin.document_id,
    document_name: origin.document_name,
    knowledge_base_id: origin.knowledge_base_id,
    ...(origin.source_url ? { source_url: origin.source_url } : {}),
    snippet,
  };
}
