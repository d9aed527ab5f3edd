// /api/workspaces/:id/members: who is in a workspace and with which role. Changes are for the
// workspace's admins; the last admin can be neither removed nor demoted. Nobody is added here:
// people join by accepting an invitation (worker/invitations).
import { createRoute, type z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { audit } from "../audit/audit";
import { afterCursor, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { memberships, users } from "../core/db/schema";
import {
  commonErrors,
  ErrorSchema,
  jsonBody,
  jsonResponse,
  PageQuery,
  page,
  type Router,
  SIGNED_IN_SECURITY,
} from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { Member, MemberParams, UpdateMemberRequest, WorkspaceParams } from "./schemas";
import { changeRole, getMember, getWorkspace, memberColumns, removeMember, toMember } from "./service";

const tags = ["workspaces"];
export const MemberPage = page(Member).openapi("MemberPage");
export type MemberPage = z.infer<typeof MemberPage>;

/** Members of a workspace, newest first; shared with the platform-admin listing. */
export async function listMembers(
  db: Database,
  workspaceId: string,
  limit: number,
  cursor: string | undefined,
): Promise<MemberPage> {
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(memberships.workspaceId, workspaceId), afterCursor(cursor, memberships.createdAt, memberships.userId)),
    )
    .orderBy(desc(memberships.createdAt), desc(memberships.userId))
    .limit(limit + 1);
  return toPage(
    rows.map((r) => ({ ...r, id: r.userId })),
    limit,
    toMember,
  );
}

export function registerMembers(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/workspaces/{id}/members",
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Members of a workspace",
      request: { params: WorkspaceParams, query: PageQuery },
      responses: { 200: jsonResponse(MemberPage, "Members"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await listMembers(c.var.services.db, signedIn(c.var.principal).workspaceId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/workspaces/{id}/members/{userId}",
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Change a member's role (workspace admin)",
      request: { params: MemberParams, body: jsonBody(UpdateMemberRequest) },
      responses: {
        200: jsonResponse(Member, "Updated"),
        409: jsonResponse(ErrorSchema, "Last admin or personal owner"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { userId } = c.req.valid("param");
      const { role } = c.req.valid("json");
      const db = c.var.services.db;
      const before = await getMember(db, p.workspaceId, userId);
      const after = await changeRole(db, await getWorkspace(db, p.workspaceId), userId, role);
      await audit(c, {
        action: "member.role_change",
        targetType: "user",
        targetId: userId,
        detail: { from: before.role, to: after.role },
      });
      return c.json(toMember(after), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/workspaces/{id}/members/{userId}",
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Remove a member (workspace admin); their access here ends on their next request",
      request: { params: MemberParams },
      responses: {
        204: { description: "Removed" },
        409: jsonResponse(ErrorSchema, "Last admin or personal owner"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { userId } = c.req.valid("param");
      const db = c.var.services.db;
      await removeMember(db, await getWorkspace(db, p.workspaceId), userId);
      await audit(c, { action: "member.remove", targetType: "user", targetId: userId });
      return c.body(null, 204);
    },
  );
}
