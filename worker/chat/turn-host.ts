// What a turn borrows from the conversation's Agent Durable Object (durable-objects/
// agent-conversation.ts), which stays a host: its state, its message storage, its sockets and
// its D1 mirror. The turns themselves (turn.ts for chat, swarm-turn.ts for a swarm step) and the
// bookkeeping they share live here, in worker/.
import type { BatchItem } from "drizzle-orm/batch";
import type { ConversationState, TurnContext } from "../conversations/agent-rpc";
import type { FirstMirrorHold } from "../conversations/first-mirror";
import type { MessageLog } from "../conversations/message-log";
import type { PendingApproval } from "../conversations/message-types";
import type { MirroredStatus } from "../conversations/mirror";
import { getConfig } from "../core/config";
import { newId } from "../core/ids";
import type { ToolContext } from "../tools/types";
import type { ModelCallResult } from "./model-call";
import type { ToolOutcome } from "./tool-calls";

export interface TurnHost {
  readonly env: Env;
  readonly state: ConversationState;
  update(patch: Partial<ConversationState>): void;
  readonly messages: MessageLog;
  /** The turn in flight, so cancel() and purge() can stop it. */
  controller: AbortController | null;
  /** Sends a frame to the conversation's WebSocket watchers. */
  broadcast(message: string): void;
  /** Keeps the object alive for work that outlives the RPC call. */
  waitUntil(work: Promise<unknown>): void;
  /** The object's key-value storage, for what a conversation keeps between turns (its safety placeholders). */
  readonly storage: DurableObjectStorage;
  readonly hold: FirstMirrorHold;
  /**
   * Queues a D1 sync of unsent messages (and the status, `also`, and the message's audit row if
   * it has not gone yet); resolves when this one is done.
   */
  mirror(status?: MirroredStatus, agentVersion?: number, also?: readonly BatchItem<"sqlite">[]): Promise<void>;
}

/** How a finished model call is stored: the assistant message's fields, for chat and swarm turns alike. */
export const answerRecord = (r: ModelCallResult) => ({
  content: r.content,
  status:
    r.outcome === "error" || r.outcome === "cancelled" || r.outcome === "blocked" ? r.outcome : ("complete" as const),
  tool_calls: r.toolCalls.length ? r.toolCalls : null,
  citations: r.citations.length ? r.citations : null,
  tokens_in: r.usage.inputTokens,
  tokens_out: r.usage.outputTokens,
  latency_ms: r.latencyMs,
  model: r.model,
  degraded: r.degraded,
});

export function toolContext(host: TurnHost, input: TurnContext): Omit<ToolContext, "signal"> {
  return {
    env: host.env,
    config: getConfig(host.env),
    workspaceId: input.caller.workspaceId,
    agentId: input.agentId,
    knowledgeBaseIds: input.definition.knowledge_base_ids,
    fetch: (req: RequestInfo | URL, init?: RequestInit) => fetch(req, init),
  };
}

export function storeTool(host: TurnHost, o: ToolOutcome, agentVersion: number): void {
  host.messages.append({
    id: newId("msg"),
    role: "tool",
    content: o.content,
    status: o.status,
    tool_call_id: o.call.id,
    tool_name: o.call.name,
    citations: o.citations.length ? o.citations : null,
    agent_version: agentVersion,
  });
  void host.mirror();
}

/** Pending calls that will never run get a result, so the model's history stays well-formed. */
export function dropPending(host: TurnHost, pending: readonly PendingApproval[]): void {
  for (const p of pending) {
    host.messages.append({
      id: newId("msg"),
      role: "tool",
      content: "The conversation was cancelled before this call was approved.",
      status: "cancelled",
      tool_call_id: p.call_id,
      tool_name: p.name,
    });
  }
}
