// What an agent did for one case, read from its turn's chat events (the same stream a chat
// client gets): the answer, whether the safety policy blocked it, the documents the turn
// retrieved in rank order and those the answer cited, the tool calls, tokens and latency.
import type { ChatEvent } from "../chat/events";
import type { Observation } from "./scorers";

export interface TurnObservation extends Observation {
  tokens_in: number;
  tokens_out: number;
  /** The passages the turn retrieved (ids, rank order), for the faithfulness judge. */
  passages: string[];
  /** The turn failed (model error, or the stream ended without `done`). */
  error: string | null;
}

const pushDoc = (docs: Observation["retrieved"], id: string, name: string) => {
  if (!docs.some((d) => d.id === id)) docs.push({ id, name });
};

function parseArguments(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An observation of nothing yet: no answer, nothing retrieved or called. */
export const emptyObservation = (latencyMs = 0): TurnObservation => ({
  output: "",
  blocked: false,
  retrieved: [],
  cited: [],
  tool_calls: [],
  latency_ms: latencyMs,
  tokens: 0,
  cost: 0,
  tokens_in: 0,
  tokens_out: 0,
  passages: [],
  error: null,
});

/** Folds the events of one or more turns (a replayed conversation) into one observation. */
export function observe(events: readonly ChatEvent[], latencyMs: number): TurnObservation {
  const seen = emptyObservation(latencyMs);
  let ended = false;
  for (const e of events) {
    switch (e.type) {
      case "start":
        // Only the last turn's answer is scored.
        seen.output = "";
        ended = false;
        break;
      case "token":
        seen.output += e.delta;
        break;
      case "retrieval":
        for (const p of e.passages) {
          pushDoc(seen.retrieved, p.document_id, p.document_name);
          if (!seen.passages.includes(p.passage_id)) seen.passages.push(p.passage_id);
        }
        break;
      case "citation":
        pushDoc(seen.cited, e.document_id, e.document_name);
        if (!seen.passages.includes(e.passage_id)) seen.passages.push(e.passage_id);
        // A tool's results are cited as they arrive: what was cited was retrieved.
        pushDoc(seen.retrieved, e.document_id, e.document_name);
        break;
      case "tool_call":
        seen.tool_calls.push({ name: e.name, arguments: parseArguments(e.arguments) });
        break;
      case "usage":
        seen.tokens_in += e.tokens_in;
        seen.tokens_out += e.tokens_out;
        break;
      case "done":
        ended = true;
        if (e.reason === "blocked") seen.blocked = true;
        break;
      case "guard":
        if (e.action === "block" && (e.stage === "input" || e.stage === "output")) seen.blocked = true;
        break;
      case "error":
        ended = true;
        seen.error = `${e.code}: ${e.message}`;
        break;
    }
  }
  if (!ended && !seen.error) seen.error = "the answer ended without finishing";
  seen.tokens = seen.tokens_in + seen.tokens_out;
  return seen;
}
