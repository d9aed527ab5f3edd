// Starting an answer, shared by the chat route and the MCP tool: find the agent the caller
// may use, find or open the caller's conversation, hand the message to that conversation's
// Agent, and audit it. Returns the Agent's event stream.
import type { Context } from "hono";
import { agentForChatQuery, readAgentForChat } from "../agents/service";
import { audit } from "../audit/audit";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { readSseData } from "../core/providers/sse";
import { callerOf, conversationAgent, conversationQuery, insertConversationFor, readConversation, unwrap } from "../conversations/service";
import type { ChatEvent } from "./events";

export interface StartedChat {
  conversationId: string;
  stream: ReadableStream<Uint8Array>;
}

export async function startChat(c: Context<HonoEnv>, p: AuthenticatedPrincipal, agentId: string, message: string, existing?: string): Promise<StartedChat> {
  const db = c.var.services.db;
  // One D1 round trip either way: the agent lookup travels with the conversation lookup, or with
  // the insert that opens a conversation (which only happens if the agent is visible).
  let found: ReturnType<typeof readAgentForChat>;
  let conversationId: string;
  if (existing) {
    const [agentRows, conversationRows] = await db.batch([agentForChatQuery(db, p, agentId), conversationQuery(db, p, existing)]);
    found = readAgentForChat(agentRows);
    const conversation = readConversation(conversationRows);
    if (conversation.agentId !== agentId) throw new ApiError("CONFLICT", "That conversation belongs to another agent", { details: { agent_id: conversation.agentId } });
    conversationId = conversation.id;
  } else {
    const opened = insertConversationFor(db, p, agentId, message);
    const [agentRows] = await db.batch([agentForChatQuery(db, p, agentId), opened.query]);
    found = readAgentForChat(agentRows);
    conversationId = opened.id;
  }
  const { agent, definition } = found;
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
