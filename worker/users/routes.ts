// /api/users: platform administration of accounts. Every use is audited, reads included,
// because this is the one place an administrator reaches beyond their own workspaces.
import type { z } from "@hono/zod-openapi";
import { eq, or } from "drizzle-orm";
import { auditAdminRead } from "../audit/admin-read";
import { audit } from "../audit/audit";
import { hashPassword } from "../auth/password";
import { revokeAllAccess } from "../auth/sessions";
import { users } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { newestPage } from "../core/newest-page";
import { PageQuery, page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { contains } from "../workspaces/service";
import { CreateUserRequest, toUser, UpdateUserRequest, User, UserId, UserListQuery } from "./schemas";
import { createHuman } from "./service";

const tags = ["users"];
export const UserPage = page(User).openapi("UserPage");
export type UserPage = z.infer<typeof UserPage>;

export function registerUsers(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/users",
      tags,
      summary: "List users (platform admin)",
      query: PageQuery.extend(UserListQuery.shape),
      ok: [UserPage, "Users"],
    }),
    async (c) => {
      const { limit, cursor, q, kind } = c.req.valid("query");
      const page = await newestPage(
        c.var.services.db.select().from(users).$dynamic(),
        users,
        { cursor, limit },
        toUser,
        q ? or(contains(users.email, q), contains(users.name, q)) : undefined,
        kind ? eq(users.kind, kind) : undefined,
      );
      await auditAdminRead(c, "admin.users_list", { detail: { q: q ?? null } });
      return c.json(page, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/users",
      tags,
      summary: "Create a user with a personal workspace (platform admin; the way in when SIGNUP_MODE=admin_only)",
      body: CreateUserRequest,
      created: [User, "Created"],
      errors: { 409: "Email already registered" },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { user } = await createHuman(c.var.services.db, {
        email: body.email,
        ...(body.name ? { name: body.name } : {}),
        passwordHash: await hashPassword(body.password, c.var.config.PASSWORD_PEPPER),
        platformAdmin: body.platform_role === "platform_admin",
      });
      await audit(c, {
        action: "user.create",
        workspaceId: null,
        targetType: "user",
        targetId: user.id,
        detail: { platform_role: user.platformRole },
      });
      return c.json(toUser(user), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/users/{id}",
      tags,
      summary: "One user (platform admin)",
      params: UserId,
      ok: [User, "The user"],
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const user = await c.var.services.db.query.users.findFirst({ where: eq(users.id, id) });
      if (!user) throw notFound("User");
      await auditAdminRead(c, "admin.user_read", { targetType: "user", targetId: id });
      return c.json(toUser(user), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "patch",
      path: "/api/users/{id}",
      tags,
      summary:
        "Rename, change platform role, disable or enable a user (platform admin); disabling ends every session, token and API key of theirs at once (keys stay revoked when the user is enabled again)",
      params: UserId,
      body: UpdateUserRequest,
      ok: [User, "Updated"],
      errors: { 409: "Would lock the caller out" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = c.var.services.db;
      const before = await db.query.users.findFirst({ where: eq(users.id, id) });
      if (!before) throw notFound("User");
      if (id === p.userId && (body.disabled === true || body.platform_role === "member")) {
        throw new ApiError("CONFLICT", "You cannot disable or demote yourself; ask another platform admin", {
          details: { reason: "self" },
        });
      }
      const now = Date.now();
      const [after] = await db
        .update(users)
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.platform_role !== undefined ? { platformRole: body.platform_role } : {}),
          ...(body.disabled !== undefined ? { disabledAt: body.disabled ? (before.disabledAt ?? now) : null } : {}),
          updatedAt: now,
        })
        .where(eq(users.id, id))
        .returning();
      if (!after) throw notFound("User");
      const revokedKeys = body.disabled === true ? await revokeAllAccess(db, id) : [];
      for (const event of changes(before, after, revokedKeys)) {
        await audit(c, { ...event, workspaceId: null, targetType: "user", targetId: id });
      }
      return c.json(toUser(after), 200);
    },
  );
}

type UserRow = typeof users.$inferSelect;

/** One audit action per kind of change, so "who disabled whom" is a simple filter. */
function changes(
  before: UserRow,
  after: UserRow,
  revokedKeys: string[],
): { action: string; detail: Record<string, unknown> }[] {
  const out: { action: string; detail: Record<string, unknown> }[] = [];
  if (before.platformRole !== after.platformRole)
    out.push({ action: "user.role_change", detail: { from: before.platformRole, to: after.platformRole } });
  if ((before.disabledAt === null) !== (after.disabledAt === null)) {
    out.push(
      after.disabledAt
        ? { action: "user.disable", detail: { revoked_api_keys: revokedKeys } }
        : { action: "user.enable", detail: {} },
    );
  }
  if (before.name !== after.name) out.push({ action: "user.update", detail: { name: after.name } });
  if (out.length === 0) out.push({ action: "user.update", detail: { unchanged: true } });
  return out;
}
