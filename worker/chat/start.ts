// Starting an answer, shared by the chat route and the MCP tool: find the agent the caller
// may use, find or open the caller's conversation, hand the message to that conversation's
// Agent, and audit it. Returns the Agent's event stream.
import type { Context } from "hono";
import { findAgentForChat } from "../agents/service";
import { audit } from "../audit/audit";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { readSseData } from "../core/providers/sse";
import { callerOf, conversationAgent, createConversation, findConversation, unwrap } from "../conversations/service";
import type { ChatEvent } from "./events";

export interface StartedChat {
  conversationId: string;
  stream: ReadableStream<Uint8Array>;
}

export async function startChat(c: Context<HonoEnv>, p: AuthenticatedPrincipal, agentId: string, message: string, existing?: string): Promise<StartedChat> {
  const db = c.var.services.db;
  const { agent, definition } = await findAgentForChat(db, p, agentId);
  let conversationId = existing;
  if (conversationId) {
    const conversation = await findConversation(db, p, conversationId);
    if (conversation.agentId !== agent.id) throw new ApiError("CONFLICT", "That conversation belongs to another agent", { details: { agent_id: conversation.agentId } });
  } else {
    conversationId = (await createConversation(db, p, agent.id, agent.currentVersion, message)).id;
  }
  const stub = await conversationAgent(c.env, conversationId);
  // The audit write and the Agent's start run side by side: the first token waits for neither twice.
  const [started] = await Promise.all([
    stub.chat({ caller: callerOf(p), conversationId, agentId: agent.id, agentVersion: agent.currentVersion, definition, message, requestId: c.var.requestId }),
    audit(c, { action: "chat.message", targetType: "conversation", targetId: conversationId, detail: { agent_id: agent.id, new_conversation: !existing } }),
  ]);
  return { conversationId, stream: unwrap(started).stream };
}

/** Reads a chat event stream to the end (for callers that answer in one piece). */
export async function collectEvents(stream: ReadableStream<Uint8Array>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const data of readSseData(stream)) events.push(JSON.parse(data) as ChatEvent);
  return events;
}
