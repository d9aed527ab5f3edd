// /api/conversations: the caller's own conversations, their history (read from the
// conversation's Agent, which is authoritative), cancel, tool-call approvals, deletion, and a
// short-lived token for the conversation's WebSocket.

import type { Context } from "hono";
import { findAgentForChat } from "../agents/service";
import { audit } from "../audit/audit";
import { socketPrincipal } from "../auth/live-principal";
import { signSocketToken } from "../auth/socket-token";
import { ChatEvent, SSE_HEADERS } from "../chat/events";
import { traceTurnOutcome } from "../chat/trace-outcome";
import { callerWith } from "../core/caller";
import type { HonoEnv } from "../core/env";
import { redactSecrets } from "../core/logger";
import { page, type Router } from "../core/openapi";
import type { AuthenticatedPrincipal } from "../core/principal";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { callDurableObject } from "../core/trace/rpc";
import { usageTotals } from "../usage/report";
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

/**
 * The id of the caller's own conversation. The owner is enough for cancel and socket tokens (the
 * Agent decides the rest), and a conversation this isolate opened a moment ago is found before its
 * D1 row lands.
 */
const ownConversation = async (c: Context<HonoEnv>, p: AuthenticatedPrincipal, id: string) =>
  (await findConversationOwner(c.var.services.db, p, id, c.var.config.DEFINITION_CACHE_TTL_SECONDS)).id;

const tags = ["conversations"];

export function registerConversations(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/conversations",
      tags,
      summary: "List your conversations, newest first",
      query: ConversationListQuery,
      ok: [ConversationPage, "A page of conversations"],
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
    jsonRoute({
      method: "get",
      path: "/api/conversations/{id}",
      tags,
      summary: "A conversation with its live status, pending approvals and paged history",
      params: ConversationIdParam,
      query: HistoryQuery,
      ok: [ConversationDetail, "The conversation"],
    }),
    async (c) => {
      const { p, db, row } = await callerWith(c, findConversation, c.req.valid("param").id);
      const { limit, cursor } = c.req.valid("query");
      const stub = conversationAgent(c.env, row.id);
      const [snapshot, usage] = await Promise.all([
        stub.snapshot(callerOf(p), row.id, cursor ? Number(cursor) : 0, limit),
        usageTotals(db, p.workspaceId, "conversationId", row.id),
      ]);
      const snap = unwrap(snapshot);
      return c.json(
        {
          ...toConversation(row),
          live_status: snap.status,
          pending_approvals: snap.pending,
          messages: { data: snap.messages, next_cursor: snap.next_cursor },
          usage,
        },
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/conversations/{id}",
      tags,
      summary: "Delete a conversation and everything stored for it",
      params: ConversationIdParam,
      noContent: "Deleted",
    }),
    async (c) => {
      const { p, db, row } = await callerWith(c, findConversation, c.req.valid("param").id);
      const stub = conversationAgent(c.env, row.id);
      const purged = await stub.purge(callerOf(p), row.id);
      // An Agent that never received a message was never bound; there is nothing to purge.
      if ("code" in purged && purged.code !== "NOT_FOUND") unwrap(purged);
      await deleteConversationRow(db, p, row.id);
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
    jsonRoute({
      method: "post",
      path: "/api/conversations/{id}/cancel",
      tags,
      summary: "Stop the answer being generated (or drop pending approvals)",
      params: ConversationIdParam,
      ok: [CancelResult, "Whether anything was cancelled"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const id = await ownConversation(c, p, c.req.valid("param").id);
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
    jsonRoute({
      method: "post",
      path: "/api/conversations/{id}/approvals/{callId}",
      tags,
      summary: "Approve or deny a side-effecting tool call; the continued answer streams as Server-Sent Events",
      params: ApprovalParams,
      body: ApprovalBody,
      stream: [ChatEvent, "tool_result, then the rest of the answer"],
      errors: { 409: "An answer is running" },
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
        await callDurableObject("ConversationAgent", "resolveApproval", (traceparent) =>
          stub.resolveApproval({
            caller: callerOf(p),
            conversationId: row.id,
            agentId: agent.id,
            agentVersion: agent.currentVersion,
            definition,
            requestId: c.var.requestId,
            traceparent,
            callId,
            decision,
            ...(reason ? { reason } : {}),
          }),
        ),
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
      return new Response(traceTurnOutcome(started.stream), { status: 200, headers: SSE_HEADERS });
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/conversations/{id}/socket-token",
      tags,
      summary: "A 60-second token to open the conversation's WebSocket (agents SDK protocol)",
      params: ConversationIdParam,
      ok: [SocketToken, "Token and path"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const id = await ownConversation(c, p, c.req.valid("param").id);
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
