// The playground's transcript as data: user messages and answers, where an answer is the text
// and tool calls of one turn in the order they happened (a tool loop interleaves them). Built
// from live chat events (applyEvent) or from stored history (fromHistory), so a reopened
// conversation looks like the one that streamed.
import {
  type AnswerCitation,
  type AnswerFallback,
  type ChatEvent,
  type ConversationMessage,
  citationOf,
  type PendingApproval,
} from "@hive/shared/api-client";

type GuardEvent = Extract<ChatEvent, { type: "guard" }>;
/** What the chat stream may carry. */
export type StreamEvent = ChatEvent;
export type GuardView = Omit<GuardEvent, "type">;

export type ToolResultStatus = "ok" | "error" | "denied" | "cancelled";

export interface ToolPart {
  kind: "tool";
  callId: string;
  name: string;
  arguments: string;
  result: { status: ToolResultStatus; content: string } | null;
  /** waiting: needs a person's decision; sent: decided, waiting for the result. */
  approval: "waiting" | "sent" | null;
}

export interface TextPart {
  kind: "text";
  text: string;
}

export interface UsageView {
  tokensIn: number;
  tokensOut: number;
  latencyMs: number | null;
  model: string;
}

export type AnswerState =
  | "streaming"
  | "done"
  | "cancelled"
  | "awaiting_approval"
  | "length"
  | "step_limit"
  | "blocked"
  | "error"
  | "interrupted";

export interface AnswerEntry {
  kind: "answer";
  key: string;
  parts: (TextPart | ToolPart)[];
  /** The sources the answer cites, in order of first citation (each numbered by its `marker`). */
  citations: AnswerCitation[];
  usage: UsageView[];
  degraded: boolean;
  /** Why it is degraded, when the live stream said (stored answers keep only the flag). */
  fallback: AnswerFallback | null;
  /** What the safety guard did during the turn, in order. */
  guards: GuardView[];
  state: AnswerState;
  error: string | null;
  agentVersion: number | null;
  /** The stored turn's trace, when one was kept (its waterfall is at /traces/:id). */
  traceId: string | null;
}

export interface UserEntry {
  kind: "user";
  key: string;
  text: string;
}

export type Entry = UserEntry | AnswerEntry;

let counter = 0;
export const entryKey = () => `e${++counter}`;

export const emptyAnswer = (): AnswerEntry => ({
  kind: "answer",
  key: entryKey(),
  parts: [],
  citations: [],
  usage: [],
  degraded: false,
  fallback: null,
  guards: [],
  state: "streaming",
  error: null,
  agentVersion: null,
  traceId: null,
});

const FINISHED: Record<Extract<StreamEvent, { type: "done" }>["reason"], AnswerState> = {
  stop: "done",
  blocked: "blocked",
  cancelled: "cancelled",
  awaiting_approval: "awaiting_approval",
  length: "length",
  step_limit: "step_limit",
};

function appendText(parts: AnswerEntry["parts"], delta: string): AnswerEntry["parts"] {
  const last = parts[parts.length - 1];
  if (last?.kind === "text") return [...parts.slice(0, -1), { kind: "text", text: last.text + delta }];
  return [...parts, { kind: "text", text: delta }];
}

const updateTool = (parts: AnswerEntry["parts"], callId: string, patch: Partial<ToolPart>) =>
  parts.map((p) => (p.kind === "tool" && p.callId === callId ? { ...p, ...patch } : p));

const addCitation = (a: AnswerEntry, c: AnswerCitation): AnswerEntry =>
  a.citations.some((known) => known.passage_id === c.passage_id) ? a : { ...a, citations: [...a.citations, c] };

/** The answer after one event. */
export function applyToAnswer(a: AnswerEntry, event: StreamEvent): AnswerEntry {
  switch (event.type) {
    case "start":
      return { ...a, state: "streaming", error: null, agentVersion: event.agent_version };
    case "token":
      return { ...a, parts: appendText(a.parts, event.delta) };
    case "tool_call":
      return {
        ...a,
        parts: [
          ...a.parts,
          {
            kind: "tool",
            callId: event.call_id,
            name: event.name,
            arguments: event.arguments,
            result: null,
            approval: null,
          },
        ],
      };
    case "approval_required":
      return { ...a, parts: updateTool(a.parts, event.call_id, { approval: "waiting" }) };
    case "tool_result":
      return {
        ...a,
        parts: updateTool(a.parts, event.call_id, {
          result: { status: event.status, content: event.content },
          approval: null,
        }),
      };
    case "citation":
      return addCitation(a, citationOf(event));
    case "usage":
      return {
        ...a,
        degraded: a.degraded || event.degraded,
        fallback: a.fallback ?? event.fallback ?? null,
        usage: [
          ...a.usage,
          { tokensIn: event.tokens_in, tokensOut: event.tokens_out, latencyMs: event.latency_ms, model: event.model },
        ],
      };
    // The answer's citations name the passages it used; what else was retrieved is for evaluations.
    case "retrieval":
      return a;
    case "guard": {
      const { type: _type, ...guard } = event;
      return { ...a, guards: [...a.guards, guard] };
    }
    case "done":
      return { ...a, state: FINISHED[event.reason], degraded: a.degraded || event.degraded };
    case "error":
      return { ...a, state: "error", error: event.message };
  }
}

/** Applies an event to the last answer (the one streaming, or the one an approval resumed). */
export function applyEvent(entries: Entry[], event: StreamEvent): Entry[] {
  const i = entries.findLastIndex((e) => e.kind === "answer");
  const answer = entries[i];
  if (answer?.kind !== "answer") return entries;
  return [...entries.slice(0, i), applyToAnswer(answer, event), ...entries.slice(i + 1)];
}

/** Patches the last answer, e.g. to record a failure the stream itself could not report. */
export function patchLastAnswer(entries: Entry[], patch: (a: AnswerEntry) => AnswerEntry): Entry[] {
  const i = entries.findLastIndex((e) => e.kind === "answer");
  const answer = entries[i];
  return answer?.kind === "answer" ? [...entries.slice(0, i), patch(answer), ...entries.slice(i + 1)] : entries;
}

/** After Stop while tool calls waited for approval: the API dropped them. */
export const dropPending = (a: AnswerEntry): AnswerEntry => ({
  ...a,
  state: "cancelled",
  parts: a.parts.map((p) =>
    p.kind === "tool" && p.approval
      ? { ...p, approval: null, result: { status: "cancelled", content: "Dropped: the answer was stopped." } }
      : p,
  ),
});

const STORED_STATE: Partial<Record<ConversationMessage["status"], AnswerState>> = {
  complete: "done",
  streaming: "streaming",
  cancelled: "cancelled",
  error: "error",
  interrupted: "interrupted",
  blocked: "blocked",
};

const RESULT_STATUS: Partial<Record<ConversationMessage["status"], ToolResultStatus>> = {
  ok: "ok",
  error: "error",
  denied: "denied",
  cancelled: "cancelled",
  complete: "ok",
};

/** Stored messages (oldest first) and the approvals still pending, as a transcript. */
export function fromHistory(messages: readonly ConversationMessage[], pending: readonly PendingApproval[]): Entry[] {
  const entries: Entry[] = [];
  const current = (): AnswerEntry => {
    const last = entries[entries.length - 1];
    if (last?.kind === "answer") return last;
    const fresh = { ...emptyAnswer(), state: "done" as AnswerState };
    entries.push(fresh);
    return fresh;
  };
  const replace = (a: AnswerEntry) => (entries[entries.length - 1] = a);
  for (const m of messages) {
    if (m.role === "user") {
      entries.push({ kind: "user", key: entryKey(), text: m.content });
    } else if (m.role === "assistant") {
      let a = current();
      // Steps of one tool loop are stored as separate messages; consecutive texts read as paragraphs.
      if (m.content)
        a = { ...a, parts: appendText(a.parts, a.parts.at(-1)?.kind === "text" ? `\n\n${m.content}` : m.content) };
      for (const call of m.tool_calls ?? []) {
        a = {
          ...a,
          parts: [
            ...a.parts,
            { kind: "tool", callId: call.id, name: call.name, arguments: call.arguments, result: null, approval: null },
          ],
        };
      }
      for (const c of m.citations ?? []) a = addCitation(a, c);
      if (m.model)
        a = {
          ...a,
          usage: [
            ...a.usage,
            { tokensIn: m.tokens_in, tokensOut: m.tokens_out, latencyMs: m.latency_ms, model: m.model },
          ],
        };
      replace({
        ...a,
        degraded: a.degraded || m.degraded,
        state: STORED_STATE[m.status] ?? "done",
        agentVersion: m.agent_version ?? a.agentVersion,
        traceId: m.trace_id ?? a.traceId,
      });
    } else if (m.tool_call_id) {
      const a = current();
      replace({
        ...a,
        parts: updateTool(a.parts, m.tool_call_id, {
          result: { status: RESULT_STATUS[m.status] ?? "ok", content: m.content },
        }),
      });
    }
  }
  if (pending.length) {
    const a = current();
    let parts = a.parts;
    for (const p of pending) parts = updateTool(parts, p.call_id, { approval: "waiting" });
    replace({ ...a, parts, state: "awaiting_approval" });
  }
  return entries;
}
