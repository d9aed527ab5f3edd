// Starting an answer, shared by the chat route and the MCP tool: find the agent the caller
// may use, find or open the caller's conversation, hand the message to that conversation's
// Agent, and audit it. Returns the Agent's event stream.
//
// The first token waits on as little as possible: the agent's definition and the
// conversation's owner usually come from this isolate's caches (worker/core/isolate-cache.ts),
// a new conversation's D1 row is written by its Agent ahead of its messages, and the audit
// record rides with the Agent's first D1 batch of the turn (after the first token). The Agent
// is the authority on who may continue a conversation: it refuses any caller it was not opened by.

import { readSse } from "@hive/shared/sse";
import type { Context } from "hono";
import { findAgentForChat } from "../agents/service";
import { audit, auditRow } from "../audit/audit";
import type { Conversation } from "../conversations/schemas";
import {
  callerOf,
  conversationAgent,
  conversationOwners,
  conversationTitle,
  findConversationOwner,
  toConversation,
  unwrap,
} from "../conversations/service";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import type { AuthenticatedPrincipal } from "../core/principal";
import { callDurableObject } from "../core/trace/rpc";
import type { SafetySurface } from "../safety/events";
import type { ChatEvent } from "./events";
import { traceTurnOutcome } from "./trace-outcome";

export interface StartedChat {
  conversationId: string;
  stream: ReadableStream<Uint8Array>;
}

export async function startChat(
  c: Context<HonoEnv>,
  p: AuthenticatedPrincipal,
  agentId: string,
  message: string,
  existing?: string,
  surface: SafetySurface = "chat",
): Promise<StartedChat> {
  const ttl = c.var.config.DEFINITION_CACHE_TTL_SECONDS;
  const [{ agent, definition }, owner] = await Promise.all([
    findAgentForChat(c.var.services.db, p, agentId, ttl),
    existing ? findConversationOwner(c.var.services.db, p, existing, ttl) : null,
  ]);
  if (owner && owner.agentId !== agent.id)
    throw new ApiError("CONFLICT", "That conversation belongs to another agent", {
      details: { agent_id: owner.agentId },
    });
  const conversationId = existing ?? newId("conv");
  // Written by the Agent with its first D1 batch of the turn, after the first token.
  const audit = auditRow(c, {
    action: "chat.message",
    targetType: "conversation",
    targetId: conversationId,
    detail: { agent_id: agent.id, new_conversation: !existing },
  });
  const stub = conversationAgent(c.env, conversationId);
  const started = unwrap(
    await callDurableObject("ConversationAgent", "chat", (traceparent) =>
      stub.chat({
        caller: callerOf(p),
        conversationId,
        agentId: agent.id,
        agentVersion: agent.currentVersion,
        definition,
        message,
        requestId: c.var.requestId,
        traceparent,
        surface,
        audit,
        ...(existing ? {} : { open: { title: conversationTitle(message) } }),
      }),
    ),
  );
  if (!existing)
    conversationOwners.set(conversationId, { workspaceId: p.workspaceId, userId: p.userId, agentId: agent.id }, ttl);
  return { conversationId, stream: traceTurnOutcome(started.stream) };
}

/**
 * Opens a conversation ahead of its first message (the dashboard does this while the user
 * types): the Agent object is created, bound to the caller and the agent, and the D1 row
 * written, so the first message costs what a continued conversation's does.
 */
export async function openConversation(
  c: Context<HonoEnv>,
  p: AuthenticatedPrincipal,
  agentId: string,
  title: string,
): Promise<Conversation> {
  const ttl = c.var.config.DEFINITION_CACHE_TTL_SECONDS;
  const { agent } = await findAgentForChat(c.var.services.db, p, agentId, ttl);
  const conversationId = newId("conv");
  const opened = unwrap(
    await conversationAgent(c.env, conversationId).openConversation({
      caller: callerOf(p),
      conversationId,
      agentId: agent.id,
      agentVersion: agent.currentVersion,
      title,
    }),
  );
  conversationOwners.set(conversationId, { workspaceId: p.workspaceId, userId: p.userId, agentId: agent.id }, ttl);
  await audit(
    c,
    {
      action: "conversation.open",
      targetType: "conversation",
      targetId: conversationId,
      detail: { agent_id: agent.id },
    },
    { background: true },
  );
  return toConversation(opened.conversation);
}

/** Reads a chat event stream to the end (for callers that answer in one piece). */
export async function collectEvents(stream: ReadableStream<Uint8Array>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const { data } of readSse(stream)) events.push(JSON.parse(data) as ChatEvent);
  return events;
}
