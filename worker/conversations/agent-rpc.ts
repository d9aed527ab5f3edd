// What the Worker and the conversation's Agent Durable Object (durable-objects/agent-conversation.ts)
// say to each other over RPC, and the state that object keeps. Failures come back as values (an
// error thrown across RPC keeps only its message).
import type { AgentDefinition } from "../agents/schemas";
import type { AuditRow } from "../audit/audit";
import type { Ballot, Usage } from "../core/providers/types";
import type { SafetySurface } from "../safety/events";
import type { ConversationMessage, PendingApproval } from "./message-types";

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
  /** "swarm": an agent working in a swarm run; its record is the run's steps in D1, so its
   * messages are kept here only (no D1 conversation). Absent for chat conversations. */
  kind?: "swarm";
  /** Opened ahead of its first message without a title: that message names it. */
  untitled?: boolean;
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
  /** The caller's trace (core/trace/rpc.ts): the object's work is a segment of it. */
  traceparent?: string;
  /** Where the message came from, for the safety events (default: chat). */
  surface?: SafetySurface;
  /** Set when the turn is a case of an evaluation run: its model calls are charged to the run (surface `eval`). */
  evalRunId?: string;
}

export interface ChatInput extends TurnContext {
  message: string;
  /** Set when this message opens the conversation: the object binds to the caller and writes
   * the conversation's D1 row. Without it the conversation must already be the caller's. */
  open?: { title: string };
  /** The audit row for this message, written with the turn's first D1 mirror batch. */
  audit?: AuditRow;
}

/** Opens a conversation before its first message (POST /api/agents/:id/conversations): binds the
 * object to the caller and the agent and writes the D1 row, so the first message finds it ready. */
export interface OpenInput {
  caller: Caller;
  conversationId: string;
  agentId: string;
  agentVersion: number;
  /** Empty: the first message names the conversation. */
  title: string;
}

export interface ApprovalInput extends TurnContext {
  callId: string;
  decision: "approve" | "deny";
  reason?: string;
}

export type RpcFailure = {
  ok: false;
  code: "CONFLICT" | "NOT_FOUND";
  message: string;
  details?: Record<string, unknown>;
};
export type StreamResult = { ok: true; stream: ReadableStream<Uint8Array> } | RpcFailure;
/** An approval's stream, with the call it decided (for the audit trail). */
export type ApprovalResult =
  | { ok: true; stream: ReadableStream<Uint8Array>; call: { name: string; arguments: string } }
  | RpcFailure;

export interface Snapshot {
  status: ConversationStatus;
  pending: PendingApproval[];
  messages: ConversationMessage[];
  next_cursor: string | null;
}

/** One turn of an agent in a swarm run, asked by the run's coordinator. */
export interface SwarmTurnInput extends TurnContext {
  /** The assignment: the only user message the model sees this turn (the strategy puts in it
   * whatever the agent must know from earlier steps). */
  input: string;
  /** Output tokens this turn may use (the agent's limit, lowered by the run's budget). */
  maxTokens: number;
  /** The choice the step asks for (a vote, a route, a winner), for models that answer it from structure. */
  ballot?: Ballot;
}

export type SwarmTurnReply =
  | { ok: true; output: string; usage: Usage; model: string; degraded: boolean }
  | {
      ok: false;
      /** BLOCKED: the safety policy stopped the turn (its input or its answer). */
      code: "CONFLICT" | "NOT_FOUND" | "TURN_FAILED" | "CANCELLED" | "BLOCKED";
      message: string;
      retryable: boolean;
      /** What the failed or cancelled turn spent (reported, else estimated), when it reached a model. */
      usage?: Usage;
    };
