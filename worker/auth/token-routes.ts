// Tokens for API clients: a 15-minute JWT plus a rotating refresh token.
import { createRoute } from "@hono/zod-openapi";
import { audit } from "../audit/audit";
import { notFound } from "../core/errors";
import { commonErrors, jsonBody, jsonResponse, type Router } from "../core/openapi";
import { personalWorkspaceId, roleIn } from "../workspaces/service";
import { checkPassword } from "./credentials";
import { issueTokens, newFamilyId, rotate } from "./refresh-tokens";
import { RefreshRequest, TokenRequest, TokenResponse } from "./schemas";

const tags = ["auth"];

export function registerTokenRoutes(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/auth/token",
      tags,
      summary: "Exchange email and password for an access token (HS256 JWT, 15 min) and a refresh token",
      request: { body: jsonBody(TokenRequest) },
      responses: { 200: jsonResponse(TokenResponse, "Tokens"), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.var.services.db;
      const user = await checkPassword(c, body.email, body.password, "auth.token");
      const workspaceId = body.workspace_id ?? (await personalWorkspaceId(db, user.id));
      if (body.workspace_id && !(await roleIn(db, body.workspace_id, user.id))) throw notFound("Workspace");
      const familyId = newFamilyId();
      const tokens = await issueTokens(c, user.id, workspaceId, familyId);
      await audit(c, {
        action: "auth.token",
        workspaceId,
        actor: { id: user.id, kind: "user" },
        targetType: "token_family",
        targetId: familyId,
      });
      return c.json(tokens, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/auth/refresh",
      tags,
      summary: "Rotate a refresh token; presenting a spent one revokes its whole family",
      request: { body: jsonBody(RefreshRequest) },
      responses: { 200: jsonResponse(TokenResponse, "New tokens"), ...commonErrors },
    }),
    async (c) => c.json(await rotate(c, c.req.valid("json").refresh_token), 200),
  );
}
