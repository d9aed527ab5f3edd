// /api/conversations and the chat request: the caller's conversations with an agent, their
// stored messages, approvals of tool calls and cancel.
import type { AnswerCitation } from "./chat";
import type { Page } from "./page";

export const MAX_MESSAGE_CHARS = 32_000;

/** `blocked`: the safety policy stopped the latest turn (its input, or its answer while streaming). */
export const CONVERSATION_STATUSES = ["idle", "running", "awaiting_approval", "cancelled", "error", "blocked"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * Lifecycle of a message. Assistant: streaming → complete | cancelled | error | interrupted
 * (the object was evicted mid-answer) | blocked (the safety policy stopped it: it holds what was
 * sent and a notice). User: complete | blocked (never shown to the model). Tool results: ok |
 * error | denied | cancelled.
 */
export const MESSAGE_STATUSES = [
  "complete",
  "streaming",
  "cancelled",
  "error",
  "interrupted",
  "ok",
  "denied",
  "blocked",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface ChatBody {
  message: string;
  /** Continue this conversation; omit to start a new one. */
  conversation_id?: string;
}

export interface ApprovalBody {
  decision: "approve" | "deny";
  reason?: string;
}

export interface Conversation {
  id: string;
  agent_id: string;
  /** The agent version the latest answer ran with. */
  agent_version: number;
  title: string;
  status: ConversationStatus;
  created_at: string;
  updated_at: string;
}
export type ConversationPage = Page<Conversation>;

export interface ConversationMessage {
  id: string;
  seq: number;
  role: "user" | "assistant" | "tool";
  content: string;
  status: MessageStatus;
  tool_calls: { id: string; name: string; arguments: string }[] | null;
  tool_call_id: string | null;
  tool_name: string | null;
  /** Sources the message cites (assistant) or returned (knowledge_search results). */
  citations: AnswerCitation[] | null;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number | null;
  model: string | null;
  degraded: boolean;
  agent_version: number | null;
  /** The trace of the turn that wrote the message, once traces are written (GET /api/traces/:id). */
  trace_id?: string | null;
  created_at: string;
}

export interface PendingApproval {
  call_id: string;
  name: string;
  arguments: string;
  message_id: string;
}

export interface ConversationDetail extends Conversation {
  live_status: "idle" | "running" | "awaiting_approval";
  pending_approvals: PendingApproval[];
  messages: Page<ConversationMessage>;
}

export interface CancelResult {
  cancelled: boolean;
  status: string;
}
