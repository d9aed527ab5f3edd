// Conversations: request and response schemas of /api/conversations and of the chat route,
// shared (as types) with the dashboard and the CLI.

import type * as api from "@hive/shared/api-types/conversations";
import { CONVERSATION_STATUSES, MAX_MESSAGE_CHARS } from "@hive/shared/api-types/conversations";
import { z } from "@hono/zod-openapi";
import { hasControlCharacters } from "../core/names";
import { inQuery, PageQuery, page } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { UsageTotals } from "../usage/schemas";
import { ConversationMessage, PendingApproval } from "./message-types";

export { MAX_MESSAGE_CHARS };

const ConversationId = z.string().min(1).max(64).openapi({ example: "conv_3kT9aZ" });

export const ChatBody = z
  .object({
    message: z.string().trim().min(1, "must not be empty").max(MAX_MESSAGE_CHARS),
    conversation_id: ConversationId.optional().openapi({
      description: "Continue this conversation; omit to start a new one",
    }),
  })
  .strict()
  .openapi("ChatRequest");
export type ChatBody = z.infer<typeof ChatBody>;

export const OpenConversationBody = z
  .object({
    title: z
      .string()
      .trim()
      .max(80)
      .refine((v) => !hasControlCharacters(v), "must not contain control characters")
      .optional()
      .openapi({ description: "Omit to name the conversation after its first message" }),
  })
  .strict()
  .openapi("OpenConversationRequest");

export const Conversation = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    agent_version: z.number().int().openapi({ description: "The agent version the latest answer ran with" }),
    title: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Conversation");
export type Conversation = z.infer<typeof Conversation>;

export const ConversationDetail = Conversation.extend({
  live_status: z
    .enum(["idle", "running", "awaiting_approval"])
    .openapi({ description: "From the conversation's Agent, authoritative" }),
  pending_approvals: z.array(PendingApproval),
  messages: page(ConversationMessage),
  usage: UsageTotals.optional(),
}).openapi("ConversationDetail");
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const ConversationIdParam = z.object({ id: ConversationId.openapi({ param: { name: "id", in: "path" } }) });

export const ApprovalParams = ConversationIdParam.extend({
  callId: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "callId", in: "path" } }),
});

export const ApprovalBody = z
  .object({
    decision: z.enum(["approve", "deny"]),
    reason: z.string().max(500).optional().openapi({ description: "Shown to the model when denying" }),
  })
  .strict()
  .openapi("ApprovalDecision");
export type ApprovalBody = z.infer<typeof ApprovalBody>;

export const ConversationListQuery = PageQuery.extend({
  agent_id: z.string().max(64).optional().openapi(inQuery("agent_id")),
});

/** Messages are paged oldest first; the cursor is the last seq seen. */
export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi(inQuery("limit")),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "not a cursor this API issued")
    .optional()
    .openapi(inQuery("cursor")),
});

export const CancelResult = z.object({ cancelled: z.boolean(), status: z.string() }).openapi("CancelResult");
export type CancelResult = z.infer<typeof CancelResult>;

export const SocketToken = z
  .object({
    token: z.string(),
    expires_at: z.string(),
    url: z.string().openapi({
      description: "Path to open with the agents SDK client (useAgent / AgentClient)",
      example: "/agents/conversation-agent/conv_3kT9aZ?token=...",
    }),
    agent: z.literal("conversation-agent"),
    name: z.string(),
  })
  .openapi("SocketToken");
export type SocketToken = z.infer<typeof SocketToken>;

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<ChatBody, api.ChatBody>>,
  Expect<Same<Conversation, api.Conversation>>,
  Expect<Same<ConversationDetail, api.ConversationDetail>>,
  Expect<Same<ApprovalBody, api.ApprovalBody>>,
  Expect<Same<CancelResult, api.CancelResult>>,
];
