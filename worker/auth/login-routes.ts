// Dashboard sign-in: sign-up (when open), login (sets the session cookie) and logout.
import { audit } from "../audit/audit";
import { ApiError } from "../core/errors";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { toUser, User } from "../users/schemas";
import { createHuman } from "../users/service";
import { personalWorkspaceId } from "../workspaces/service";
import { auditSignIn, checkPassword } from "./credentials";
import { hashPassword } from "./password";
import { revokeFamily } from "./refresh-tokens";
import { LoginRequest, LoginResponse, SignupRequest } from "./schemas";
import { clearSessionCookie, readSessionCookie, revokeSessionByToken, startSession } from "./sessions";

const tags = ["auth"];

export function registerLoginRoutes(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/signup",
      tags,
      security: "none",
      summary: "Create an account with a personal workspace (only when SIGNUP_MODE=open)",
      body: SignupRequest,
      created: [User, "Account created; sign in next"],
      errors: { 409: "Email already registered" },
    }),
    async (c) => {
      if (c.var.config.SIGNUP_MODE !== "open")
        throw new ApiError("FORBIDDEN", "Sign-up is closed; ask a platform administrator for an account");
      const body = c.req.valid("json");
      const { user, workspaceId } = await createHuman(c.var.services.db, {
        email: body.email,
        ...(body.name ? { name: body.name } : {}),
        passwordHash: await hashPassword(body.password, c.var.config.PASSWORD_PEPPER),
      });
      await auditSignIn(c, "auth.signup", user.id, workspaceId, { type: "user", id: user.id });
      return c.json(toUser(user), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/login",
      tags,
      security: "none",
      summary: "Sign in; sets the __Host-lh_session cookie",
      body: LoginRequest,
      ok: [LoginResponse, "Signed in"],
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const db = c.var.services.db;
      const user = await checkPassword(c, email, password, "auth.login");
      // Session fixation defence: whatever session this browser carried ends now.
      const previous = readSessionCookie(c);
      if (previous) await revokeSessionByToken(db, previous);
      const workspaceId = await personalWorkspaceId(db, user.id);
      const sessionId = await startSession(c, user.id, workspaceId);
      await auditSignIn(c, "auth.login", user.id, workspaceId, { type: "session", id: sessionId });
      return c.json({ user: toUser(user), workspace_id: workspaceId }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/logout",
      tags,
      security: "none",
      summary: "Sign out: ends the session (cookie) or the token family (bearer JWT)",
      noContent: "Signed out",
    }),
    async (c) => {
      const p = c.var.principal;
      const cookie = readSessionCookie(c);
      if (cookie) await revokeSessionByToken(c.var.services.db, cookie);
      if (p.kind === "user" && p.via === "jwt") await revokeFamily(c.var.services.db, p.credentialId);
      clearSessionCookie(c);
      if (p.kind === "user")
        await audit(c, {
          action: "auth.logout",
          targetType: p.via === "jwt" ? "token_family" : "session",
          targetId: p.credentialId,
        });
      return c.body(null, 204);
    },
  );
}
