// A stored conversation message, as the Agent Durable Object keeps it (one SQLite row each) and
// as the API returns it. Shared by the Durable Object, the routes and the D1 mirror.

import type * as api from "@hive/shared/api-types";
import { MESSAGE_STATUSES, type MessageStatus } from "@hive/shared/api-types/conversations";
import { z } from "@hono/zod-openapi";
import { AnswerCitation } from "../chat/citations";
import type { ChatEvent, FinishReason } from "../chat/events";
import type { ChatMessage, ToolCall } from "../core/providers/types";
import type { Expect, Same } from "../core/same-type";

/** Lifecycle of a message: see MESSAGE_STATUSES in shared/api-types/conversations.ts. */
export type { MessageStatus };

export const StoredToolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

export const ConversationMessage = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    role: z.enum(["user", "assistant", "tool"]),
    content: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    tool_calls: z.array(StoredToolCall).nullable(),
    tool_call_id: z.string().nullable(),
    tool_name: z.string().nullable(),
    citations: z
      .array(AnswerCitation)
      .nullable()
      .openapi({ description: "Sources the message cites (assistant) or returned (knowledge_search results)" }),
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    latency_ms: z.number().int().nullable(),
    model: z.string().nullable(),
    degraded: z.boolean(),
    agent_version: z.number().int().nullable(),
    trace_id: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "The trace of the turn that wrote the message (GET /api/traces/:id)" }),
    created_at: z.string(),
  })
  .openapi("ConversationMessage");

export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const PendingApproval = z
  .object({ call_id: z.string(), name: z.string(), arguments: z.string(), message_id: z.string() })
  .openapi("PendingApproval");
export type PendingApproval = z.infer<typeof PendingApproval>;

/** Stored messages → what a model reads. Failed answers with nothing said are left out. */
export function toChatMessages(messages: readonly ConversationMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === "assistant") {
      const toolCalls: ToolCall[] = m.tool_calls ?? [];
      if (!m.content && toolCalls.length === 0) continue;
      out.push({ role: "assistant", content: m.content, ...(toolCalls.length ? { toolCalls } : {}) });
    } else if (m.role === "tool") {
      out.push({ role: "tool", content: m.content, toolCallId: m.tool_call_id ?? "" });
    } else if (m.status !== "blocked") {
      out.push({ role: "user", content: m.content });
    }
  }
  return out;
}

export const HISTORY_CHAR_BUDGET = 200_000;

/**
 * The most recent messages that fit the budget, starting at a user message so a tool result
 * is never separated from the assistant call that asked for it.
 */
export function recentHistory(messages: readonly ConversationMessage[]): ConversationMessage[] {
  let chars = 0;
  let start = messages.length;
  for (let i = messages.length - 1; i >= 0; i--) {
    chars += (messages[i] as ConversationMessage).content.length;
    if (chars > HISTORY_CHAR_BUDGET) break;
    if ((messages[i] as ConversationMessage).role === "user") start = i;
  }
  if (start === messages.length) {
    // Even the current exchange is over budget: keep it whole rather than orphan a tool result.
    start = Math.max(
      0,
      messages.findLastIndex((m) => m.role === "user"),
    );
  }
  return messages.slice(start);
}

// The types clients import from shared/api-types are exactly what is stored and streamed. The
// chat stream's schemas (worker/chat) are checked here, beside the messages that carry them.
type _Checks = [
  Expect<Same<ConversationMessage, api.ConversationMessage>>,
  Expect<Same<PendingApproval, api.PendingApproval>>,
  Expect<Same<z.output<typeof AnswerCitation>, api.AnswerCitation>>,
  Expect<Same<ChatEvent, api.ChatEvent>>,
  Expect<Same<FinishReason, api.FinishReason>>,
];
