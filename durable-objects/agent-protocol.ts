// What the Worker and the conversation's Agent Durable Object say to each other over RPC.
// Failures come back as values (an error thrown across RPC keeps only its message).
import type { AgentDefinition } from "../worker/agents/schemas";
import type { ConversationMessage, PendingApproval } from "../worker/conversations/message-types";

export type ConversationStatus = "idle" | "running" | "awaiting_approval";

/** Persisted by the agents SDK in the object's SQLite and synced to WebSocket clients. */
export interface ConversationState {
  conversationId: string | null;
  workspaceId: string | null;
  userId: string | null;
  agentId: string | null;
  status: ConversationStatus;
  pending: PendingApproval[];
  /** The answer in progress or waiting for approvals. */
  turn: { firstMessageId: string; agentVersion: number; stepsUsed: number; degraded: boolean } | null;
  updatedAt: number;
}

export interface Caller {
  workspaceId: string;
  userId: string;
}

/** Everything a turn needs that lives in D1: the Worker loads it, the object never trusts the client. */
export interface TurnContext {
  caller: Caller;
  conversationId: string;
  agentId: string;
  agentVersion: number;
  definition: AgentDefinition;
  requestId: string;
}

export interface ChatInput extends TurnContext {
  message: string;
  /** Set when this message opens the conversation: the object binds to the caller and writes
   * the conversation's D1 row. Without it the conversation must already be the caller's. */
  open?: { title: string };
}

export interface ApprovalInput extends TurnContext {
  callId: string;
  decision: "approve" | "deny";
  reason?: string;
}

export type RpcFailure = { ok: false; code: "CONFLICT" | "NOT_FOUND"; message: string; details?: Record<string, unknown> };
export type StreamResult = { ok: true; stream: ReadableStream<Uint8Array> } | RpcFailure;

export interface Snapshot {
  status: ConversationStatus;
  pending: PendingApproval[];
  messages: ConversationMessage[];
  next_cursor: string | null;
}
