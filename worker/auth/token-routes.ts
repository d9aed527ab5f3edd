// Tokens for API clients: a 15-minute JWT plus a rotating refresh token.
import { notFound } from "../core/errors";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { personalWorkspaceId, roleIn } from "../workspaces/service";
import { auditSignIn, checkPassword } from "./credentials";
import { issueTokens, newFamilyId, rotate } from "./refresh-tokens";
import { RefreshRequest, TokenRequest, TokenResponse } from "./schemas";

const tags = ["auth"];

export function registerTokenRoutes(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/token",
      tags,
      security: "none",
      summary: "Exchange email and password for an access token (HS256 JWT, 15 min) and a refresh token",
      body: TokenRequest,
      ok: [TokenResponse, "Tokens"],
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.var.services.db;
      const user = await checkPassword(c, body.email, body.password, "auth.token");
      const workspaceId = body.workspace_id ?? (await personalWorkspaceId(db, user.id));
      if (body.workspace_id && !(await roleIn(db, body.workspace_id, user.id))) throw notFound("Workspace");
      const familyId = newFamilyId();
      const tokens = await issueTokens(c, user.id, workspaceId, familyId);
      await auditSignIn(c, "auth.token", user.id, workspaceId, { type: "token_family", id: familyId });
      return c.json(tokens, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/refresh",
      tags,
      security: "none",
      summary: "Rotate a refresh token; presenting a spent one revokes its whole family",
      body: RefreshRequest,
      ok: [TokenResponse, "New tokens"],
    }),
    async (c) => c.json(await rotate(c, c.req.valid("json").refresh_token), 200),
  );
}
