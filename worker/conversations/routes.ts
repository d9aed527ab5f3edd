// /api/conversations: the caller's own conversations, their history (read from the
// conversation's Agent, which is authoritative), cancel, tool-call approvals, deletion, and a
// short-lived token for the conversation's WebSocket.
import { createRoute } from "@hono/zod-openapi";
import { API_SECURITY } from "../agents/schemas";
import { findAgentForChat } from "../agents/service";
import { audit } from "../audit/audit";
import { socketPrincipal } from "../auth/live-principal";
import { signSocketToken } from "../auth/socket-token";
import { ChatEvent, SSE_HEADERS } from "../chat/events";
import { redactSecrets } from "../core/logger";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, page, type Router } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import {
  ApprovalBody,
  ApprovalParams,
  CancelResult,
  Conversation,
  ConversationDetail,
  ConversationIdParam,
  ConversationListQuery,
  HistoryQuery,
  SocketToken,
} from "./schemas";
import {
  callerOf,
  conversationAgent,
  deleteConversationRow,
  findConversation,
  findConversationOwner,
  listConversations,
  toConversation,
  unwrap,
} from "./service";
import { CONVERSATION_AGENT_SLUG } from "./socket-route";

export const ConversationPage = page(Conversation).openapi("ConversationPage");

const tags = ["conversations"];
const security = API_SECURITY;

export function registerConversations(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/conversations",
      tags,
      security,
      summary: "List your conversations, newest first",
      request: { query: ConversationListQuery },
      responses: { 200: jsonResponse(ConversationPage, "A page of conversations"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, agent_id } = c.req.valid("query");
      return c.json(
        await listConversations(c.var.services.db, signedIn(c.var.principal), limit, cursor, agent_id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/conversations/{id}",
      tags,
      security,
      summary: "A conversation with its live status, pending approvals and paged history",
      request: { params: ConversationIdParam, query: HistoryQuery },
      responses: { 200: jsonResponse(ConversationDetail, "The conversation"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const row = await findConversation(c.var.services.db, p, c.req.valid("param").id);
      const { limit, cursor } = c.req.valid("query");
      const stub = conversationAgent(c.env, row.id);
      const snap = unwrap(await stub.snapshot(callerOf(p), row.id, cursor ? Number(cursor) : 0, limit));
      return c.json(
        {
          ...toConversation(row),
          live_status: snap.status,
          pending_approvals: snap.pending,
          messages: { data: snap.messages, next_cursor: snap.next_cursor },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/conversations/{id}",
      tags,
      security,
      summary: "Delete a conversation and everything stored for it",
      request: { params: ConversationIdParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const row = await findConversation(c.var.services.db, p, c.req.valid("param").id);
      const stub = conversationAgent(c.env, row.id);
      const purged = await stub.purge(callerOf(p), row.id);
      // An Agent that never received a message was never bound; there is nothing to purge.
      if ("code" in purged && purged.code !== "NOT_FOUND") unwrap(purged);
      await deleteConversationRow(c.var.services.db, p, row.id);
      await audit(c, {
        action: "conversation.delete",
        targetType: "conversation",
        targetId: row.id,
        detail: { agent_id: row.agentId },
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/conversations/{id}/cancel",
      tags,
      security,
      summary: "Stop the answer being generated (or drop pending approvals)",
      request: { params: ConversationIdParam },
      responses: { 200: jsonResponse(CancelResult, "Whether anything was cancelled"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      // The owner is enough here (the Agent decides), and a conversation this isolate opened a
      // moment ago can be cancelled before its D1 row lands.
      const { id } = await findConversationOwner(
        c.var.services.db,
        p,
        c.req.valid("param").id,
        c.var.config.DEFINITION_CACHE_TTL_SECONDS,
      );
      const result = unwrap(await conversationAgent(c.env, id).cancel(callerOf(p), id));
      await audit(c, {
        action: "conversation.cancel",
        targetType: "conversation",
        targetId: id,
        detail: { cancelled: result.cancelled },
      });
      return c.json({ cancelled: result.cancelled, status: result.status }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/conversations/{id}/approvals/{callId}",
      tags,
      security,
      summary: "Approve or deny a side-effecting tool call; the continued answer streams as Server-Sent Events",
      request: { params: ApprovalParams, body: jsonBody(ApprovalBody) },
      responses: {
        200: {
          content: { "text/event-stream": { schema: ChatEvent } },
          description: "tool_result, then the rest of the answer",
        },
        409: jsonResponse(ErrorSchema, "An answer is running"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const { id, callId } = c.req.valid("param");
      const { decision, reason } = c.req.valid("json");
      const row = await findConversation(db, p, id);
      const { agent, definition } = await findAgentForChat(
        db,
        p,
        row.agentId,
        c.var.config.DEFINITION_CACHE_TTL_SECONDS,
      );
      const stub = conversationAgent(c.env, row.id);
      const started = unwrap(
        await stub.resolveApproval({
          caller: callerOf(p),
          conversationId: row.id,
          agentId: agent.id,
          agentVersion: agent.currentVersion,
          definition,
          requestId: c.var.requestId,
          callId,
          decision,
          ...(reason ? { reason } : {}),
        }),
      );
      await audit(c, {
        action: decision === "approve" ? "tool_call.approve" : "tool_call.deny",
        targetType: "conversation",
        targetId: row.id,
        detail: {
          call_id: callId,
          tool: started.call.name,
          arguments: redactSecrets(parseArgs(started.call.arguments)),
          ...(reason ? { reason } : {}),
        },
      });
      return new Response(started.stream, { status: 200, headers: SSE_HEADERS });
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/conversations/{id}/socket-token",
      tags,
      security,
      summary: "A 60-second token to open the conversation's WebSocket (agents SDK protocol)",
      request: { params: ConversationIdParam },
      responses: { 200: jsonResponse(SocketToken, "Token and path"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id } = await findConversationOwner(
        c.var.services.db,
        p,
        c.req.valid("param").id,
        c.var.config.DEFINITION_CACHE_TTL_SECONDS,
      );
      const { token, expiresAt } = await signSocketToken(c.var.config, "conversation", socketPrincipal(p), id);
      await audit(c, { action: "conversation.socket_token", targetType: "conversation", targetId: id });
      return c.json(
        {
          token,
          expires_at: new Date(expiresAt).toISOString(),
          url: `/agents/${CONVERSATION_AGENT_SLUG}/${id}?token=${encodeURIComponent(token)}`,
          agent: CONVERSATION_AGENT_SLUG,
          name: id,
        },
        200,
      );
    },
  );
}

/** A call's arguments as stored (JSON text from the model); kept as text when they are not JSON. */
function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
