// What the conversation's logic (the turn in worker/chat/turn.ts, the D1 mirror beside this
// file) needs from the object's message storage, which is SQLite inside the Agent Durable Object
// (durable-objects/agent-message-store.ts). Defined here so that logic lives in worker/.
import type { ConversationMessage } from "./message-types";

/** Columns the store fills in when the caller leaves them out. */
type Defaulted =
  | "tool_calls"
  | "citations"
  | "tokens_in"
  | "tokens_out"
  | "latency_ms"
  | "model"
  | "degraded"
  | "agent_version"
  | "tool_call_id"
  | "tool_name"
  | "trace_id";

export type NewMessage = Omit<ConversationMessage, "seq" | "created_at" | Defaulted> &
  Partial<Pick<ConversationMessage, Defaulted>>;

export type MessagePatch = Partial<
  Pick<
    ConversationMessage,
    "content" | "status" | "tool_calls" | "citations" | "tokens_in" | "tokens_out" | "latency_ms" | "model" | "degraded"
  >
>;

/** The turn's view: write messages, read the recent ones for the model's history. */
export interface MessageLog {
  append(m: NewMessage): ConversationMessage;
  update(id: string, patch: MessagePatch): void;
  /** The newest messages, oldest first, enough to fill `chars` of history. */
  recent(chars: number): ConversationMessage[];
}

/** The D1 mirror's view: what is not in D1 yet. Every write to the log lands in the outbox. */
export interface MirrorOutbox {
  /** The conversation's D1 row (JSON) until the mirror has written it. */
  pendingOpen(): string | null;
  setPendingOpen(row: string | null): void;
  outbox(limit: number): { message: ConversationMessage; rev: number }[];
  /** Clears outbox entries whose revision is still `rev` (a newer change stays queued). */
  mirrored(done: readonly { id: string; rev: number }[]): void;
}
