// GET /agents/conversation-agent/:conversationId — the agents SDK's WebSocket route, so
// `useAgent({ agent: "conversation-agent", name, query: { token } })` and AgentClient connect.
// Browsers cannot send an Authorization header on a WebSocket, so the caller brings a
// 60-second token from POST /api/conversations/:id/socket-token, or (dashboard) the session
// cookie, which is exchanged here for such a token. A token's credential is checked against
// D1 here (one minted before a sign-out or revocation opens nothing); the Agent checks the
// token again, records the principal on the connection, and closes the socket when that
// principal loses access (worker/auth/socket-guard.ts).
// Only the conversation Agent is routable: routeAgentRequest would otherwise reach every
// Durable Object binding (rate limiter, vector index, ...) by URL.
import { createRoute, z } from "@hono/zod-openapi";
import { routeAgentRequest } from "agents";
import type { Context } from "hono";
import { socketPrincipal } from "../auth/live-principal";
import { refuseRevoked } from "../auth/socket-guard";
import { signSocketToken, verifySocketToken } from "../auth/socket-token";
import type { HonoEnv } from "../core/env";
import { ApiError, notFound } from "../core/errors";
import { ErrorSchema, jsonResponse, type Router } from "../core/openapi";
import { PERMISSIONS } from "../core/permissions";
import { findConversation } from "./service";

export const CONVERSATION_AGENT_SLUG = "conversation-agent" as const;
/** What a conversation socket's principal must keep passing: the rule that mints its tokens. */
export const CONVERSATION_SOCKET_RULE = PERMISSIONS["POST /api/conversations/:id/socket-token"];

const routable = new WeakMap<Env, { CONVERSATION_AGENT: Env["CONVERSATION_AGENT"] }>();
const onlyConversations = (env: Env) => {
  let e = routable.get(env);
  if (!e) routable.set(env, (e = { CONVERSATION_AGENT: env.CONVERSATION_AGENT }));
  return e;
};

/** The token to hand the Agent: the one supplied, or one minted for a cookie-authenticated owner. */
async function socketToken(c: Context<HonoEnv>, conversationId: string, supplied: string | undefined): Promise<string> {
  if (supplied) {
    const claims = await verifySocketToken(c.var.config, "conversation", supplied, conversationId);
    if (!claims) throw new ApiError("UNAUTHENTICATED", "Invalid or expired socket token");
    await refuseRevoked(c.env.DB, claims.principal, CONVERSATION_SOCKET_RULE);
    return supplied;
  }
  const p = c.var.principal;
  if (p.kind !== "user" || p.via !== "session")
    throw new ApiError("UNAUTHENTICATED", "A socket token (?token=) or a session cookie is required");
  // Cookies ride along on cross-site WebSocket handshakes; only our own pages may use them.
  const origin = c.req.header("Origin");
  if (!origin || (origin !== c.var.config.PUBLIC_ORIGIN && !c.var.config.CORS_ORIGINS.includes(origin))) {
    throw new ApiError("FORBIDDEN", "Cookie-authenticated sockets must come from the dashboard's origin");
  }
  // The owner check happens here for cookies; a token already names its user and conversation.
  await findConversation(c.var.services.db, p, conversationId);
  return (await signSocketToken(c.var.config, "conversation", socketPrincipal(p), conversationId)).token;
}

export function registerConversationSocket(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/agents/{agent}/{name}",
      tags: ["conversations"],
      summary: "The conversation's Agent over WebSocket (agents SDK protocol; read-only: state and chat events)",
      request: {
        params: z.object({
          agent: z
            .string()
            .max(64)
            .openapi({ param: { name: "agent", in: "path" }, example: CONVERSATION_AGENT_SLUG }),
          name: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "name", in: "path" }, example: "conv_3kT9aZ" }),
        }),
        query: z.object({
          token: z
            .string()
            .max(2048)
            .optional()
            .openapi({ param: { name: "token", in: "query" } }),
        }),
      },
      responses: {
        101: {
          description:
            "Switching protocols. Closed with 4401 when the credential that opened it ends (sign-out, revoked key or session, disabled user) and 4403 when its holder may no longer see the conversation (removed from the workspace, demoted), within a few seconds",
        },
        400: jsonResponse(ErrorSchema, "Not a WebSocket upgrade"),
        401: jsonResponse(ErrorSchema, "No valid token or session, or the token's credential has ended"),
        403: jsonResponse(ErrorSchema, "Cookie from a foreign origin, or the token's holder may no longer open it"),
        404: jsonResponse(ErrorSchema, "No such agent or conversation"),
      },
    }),
    async (c) => {
      const { agent, name } = c.req.valid("param");
      if (agent !== CONVERSATION_AGENT_SLUG) throw notFound("Agent class");
      if (c.req.header("Upgrade")?.toLowerCase() !== "websocket")
        throw new ApiError("BAD_REQUEST", "WebSocket upgrade required");
      const token = await socketToken(c, name, c.req.valid("query").token);
      const url = new URL(c.req.url);
      url.searchParams.set("token", token);
      const res = await routeAgentRequest(new Request(url, c.req.raw), onlyConversations(c.env));
      if (!res) throw notFound("Agent");
      return res;
    },
  );
}
