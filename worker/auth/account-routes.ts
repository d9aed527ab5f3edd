// The signed-in caller's own account: who am I, password change, my sessions, and which
// workspace my dashboard session acts in.
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { audit } from "../audit/audit";
import { memberships, sessions, users, workspaces } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { iso, toUser } from "../users/schemas";
import { getWorkspace, roleIn, toWorkspace } from "../workspaces/service";
import { checkPassword } from "./credentials";
import { humanOnly } from "./guards";
import { hashPassword } from "./password";
import {
  MeResponse,
  OkResponse,
  PasswordChangeRequest,
  SessionList,
  SessionParams,
  SwitchWorkspaceRequest,
} from "./schemas";
import { revokeAllCredentials, startSession } from "./sessions";

const tags = ["auth"];

export function registerAccountRoutes(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/auth/me",
      tags,
      summary: "The caller, its current workspace and role, and its memberships",
      ok: [MeResponse, "The caller"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const [user, workspace, mine] = await Promise.all([
        db.query.users.findFirst({ where: eq(users.id, p.userId) }),
        getWorkspace(db, p.workspaceId),
        db
          .select({
            workspace_id: workspaces.id,
            name: workspaces.name,
            slug: workspaces.slug,
            personal: workspaces.personal,
            role: memberships.role,
          })
          .from(memberships)
          .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
          .where(eq(memberships.userId, p.userId))
          .orderBy(desc(workspaces.personal), workspaces.name),
      ]);
      if (!user) throw notFound("User");
      // A key sees only the one workspace it is bound to.
      const visible = p.via === "api_key" ? mine.filter((m) => m.workspace_id === p.workspaceId) : mine;
      return c.json(
        {
          user: toUser(user),
          workspace: toWorkspace(workspace, p.role === "service" ? null : p.role),
          role: p.role,
          via: p.via,
          scopes: [...p.scopes],
          memberships: visible,
        },
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/auth/password",
      tags,
      summary: "Change my password; ends every session and token, then starts a fresh session for a cookie caller",
      body: PasswordChangeRequest,
      ok: [OkResponse, "Changed"],
    }),
    async (c) => {
      const p = humanOnly(c, "change passwords");
      const body = c.req.valid("json");
      const db = c.var.services.db;
      try {
        await checkPassword(c, p.email, body.current_password, "auth.password_change");
      } catch (err) {
        if (!(err instanceof ApiError && err.code === "UNAUTHENTICATED")) throw err;
        throw new ApiError("VALIDATION_ERROR", "Current password is incorrect", {
          details: { fields: [{ path: "current_password", message: "is incorrect", code: "custom" }] },
        });
      }
      const now = Date.now();
      await db
        .update(users)
        .set({
          passwordHash: await hashPassword(body.new_password, c.var.config.PASSWORD_PEPPER),
          passwordChangedAt: now,
          updatedAt: now,
        })
        .where(eq(users.id, p.userId));
      await revokeAllCredentials(db, p.userId);
      if (p.via === "session") await startSession(c, p.userId, p.workspaceId);
      await audit(c, { action: "auth.password_change", targetType: "user", targetId: p.userId });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/auth/sessions",
      tags,
      summary: "My active dashboard sessions",
      ok: [SessionList, "Sessions"],
    }),
    async (c) => {
      const p = humanOnly(c, "list sessions");
      const rows = await c.var.services.db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, p.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, Date.now())))
        .orderBy(desc(sessions.createdAt))
        .limit(100);
      const data = rows.map((s) => ({
        id: s.id,
        current: p.via === "session" && p.credentialId === s.id,
        workspace_id: s.workspaceId,
        ip: s.ip,
        user_agent: s.userAgent,
        created_at: new Date(s.createdAt).toISOString(),
        expires_at: iso(s.expiresAt) ?? "",
      }));
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/auth/sessions/{id}",
      tags,
      summary: "End one of my sessions",
      params: SessionParams,
      noContent: "Ended",
    }),
    async (c) => {
      const p = humanOnly(c, "end sessions");
      const { id } = c.req.valid("param");
      // Scoped to the caller: another user's session id is indistinguishable from a missing one.
      const ended = await c.var.services.db
        .update(sessions)
        .set({ revokedAt: Date.now() })
        .where(and(eq(sessions.id, id), eq(sessions.userId, p.userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      if (ended.length === 0) throw notFound("Session");
      await audit(c, { action: "auth.session_revoke", targetType: "session", targetId: id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path: "/api/auth/workspace",
      tags,
      summary:
        "Set the workspace my dashboard session acts in (API clients send X-Workspace-Id or request a token for it)",
      body: SwitchWorkspaceRequest,
      ok: [OkResponse, "Switched"],
    }),
    async (c) => {
      const p = humanOnly(c, "switch workspaces");
      const { workspace_id } = c.req.valid("json");
      if (p.via !== "session")
        throw new ApiError(
          "BAD_REQUEST",
          "Only dashboard sessions keep a current workspace; send X-Workspace-Id or request a token for the workspace",
        );
      const db = c.var.services.db;
      if (!(await roleIn(db, workspace_id, p.userId))) throw notFound("Workspace");
      await db.update(sessions).set({ workspaceId: workspace_id }).where(eq(sessions.id, p.credentialId));
      await audit(c, {
        action: "auth.workspace_switch",
        workspaceId: workspace_id,
        targetType: "workspace",
        targetId: workspace_id,
      });
      return c.json({ ok: true as const }, 200);
    },
  );
}
