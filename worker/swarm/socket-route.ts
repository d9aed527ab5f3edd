// GET /api/swarm/runs/:id/events — the run's events over a WebSocket: its history first, then
// live protocol messages until the run ends. Browsers cannot send headers on a WebSocket, so
// the caller brings a 60-second token (?token=, from POST .../socket-token) or the dashboard's
// session cookie (from the dashboard's own origin only: cookies ride along on cross-site
// handshakes); API clients may send their bearer credential. All of it is checked here, before
// the upgrade reaches the run's coordinator (a token's credential against D1 too, so one minted
// before a sign-out or revocation opens nothing). The coordinator records the watcher's
// principal and closes the socket when it loses access (worker/auth/socket-guard.ts).
import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { type SocketPrincipal, socketPrincipal } from "../auth/live-principal";
import { refuseRevoked } from "../auth/socket-guard";
import { verifySocketToken } from "../auth/socket-token";
import { check } from "../core/authorize";
import { swarmRuns } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError, notFound } from "../core/errors";
import { ErrorSchema, jsonResponse, type Router } from "../core/openapi";
import { PERMISSIONS } from "../core/permissions";
import { RunIdParam, RunSocketQuery } from "./schemas";
import { coordinator } from "./service";

/** The header the Worker sets on a verified upgrade to the coordinator: the watcher's SocketPrincipal as JSON. */
export const SWARM_WATCHER_HEADER = "X-Swarm-Watcher";

/** What a watcher's principal must keep passing: the same rule as reading the run over HTTP. */
export const SWARM_SOCKET_RULE = PERMISSIONS["GET /api/swarm/runs/:id"];

/** Who watches the run, and in which workspace. */
async function watcher(c: Context<HonoEnv>, runId: string, token: string | undefined): Promise<SocketPrincipal> {
  if (token) {
    const claims = await verifySocketToken(c.var.config, "run", token, runId);
    if (!claims) throw new ApiError("UNAUTHENTICATED", "Invalid or expired socket token");
    await refuseRevoked(c.env.DB, claims.principal, SWARM_SOCKET_RULE);
    return claims.principal;
  }
  const p = c.var.principal;
  if (p.kind === "anonymous")
    throw new ApiError(
      "UNAUTHENTICATED",
      "A socket token (?token=), a session cookie or a bearer credential is required",
    );
  const denied = check(SWARM_SOCKET_RULE, p);
  if (denied) throw denied;
  if (p.via === "session") {
    const origin = c.req.header("Origin");
    if (!origin || (origin !== c.var.config.PUBLIC_ORIGIN && !c.var.config.CORS_ORIGINS.includes(origin))) {
      throw new ApiError("FORBIDDEN", "Cookie-authenticated sockets must come from the dashboard's origin");
    }
  }
  return socketPrincipal(p);
}

export function registerSwarmSocket(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/swarm/runs/{id}/events",
      tags: ["swarm"],
      summary: "The run's events over WebSocket (swarm protocol v1): history first, then live; heartbeat to ping",
      request: { params: RunIdParam, query: RunSocketQuery },
      responses: {
        101: {
          description:
            "Switching protocols. Closed with 1000 when the run ends, 4401 when the credential that opened it ends (sign-out, revoked key or session, disabled user) and 4403 when its holder may no longer read the run (removed from the workspace, demoted), within a few seconds",
        },
        400: jsonResponse(ErrorSchema, "Not a WebSocket upgrade"),
        401: jsonResponse(ErrorSchema, "No valid token, session or bearer credential"),
        403: jsonResponse(ErrorSchema, "Not permitted"),
        404: jsonResponse(ErrorSchema, "No such run"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      if (c.req.header("Upgrade")?.toLowerCase() !== "websocket")
        throw new ApiError("BAD_REQUEST", "WebSocket upgrade required");
      const principal = await watcher(c, id, c.req.valid("query").token);
      const [row] = await c.var.services.db
        .select({ id: swarmRuns.id })
        .from(swarmRuns)
        .where(and(eq(swarmRuns.id, id), eq(swarmRuns.workspaceId, principal.workspaceId)))
        .limit(1);
      if (!row) throw notFound("Run");
      const headers = new Headers({ Upgrade: "websocket", [SWARM_WATCHER_HEADER]: JSON.stringify(principal) });
      return coordinator(c.env, row.id).fetch(new Request(c.req.url, { headers }));
    },
  );
}
