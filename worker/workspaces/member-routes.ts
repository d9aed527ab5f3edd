// /api/workspaces/:id/members: who is in a workspace and with which role. Changes are for the
// workspace's admins; the last admin can be neither removed nor demoted. Nobody is added here:
// people join by accepting an invitation (worker/invitations).
import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { audit } from "../audit/audit";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { memberships, users } from "../core/db/schema";
import { PageQuery, page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
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
  // A membership is keyed by its user: the user id breaks ties between equal join times.
  const rows = await newestFirst(
    db.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).$dynamic(),
    { createdAt: memberships.createdAt, id: memberships.userId },
    { cursor, limit },
    eq(memberships.workspaceId, workspaceId),
  );
  return toPage(
    rows.map((r) => ({ ...r, id: r.userId })),
    limit,
    toMember,
  );
}

export function registerMembers(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/workspaces/{id}/members",
      tags,
      summary: "Members of a workspace",
      params: WorkspaceParams,
      query: PageQuery,
      ok: [MemberPage, "Members"],
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await listMembers(c.var.services.db, signedIn(c.var.principal).workspaceId, limit, cursor), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "patch",
      path: "/api/workspaces/{id}/members/{userId}",
      tags,
      summary: "Change a member's role (workspace admin)",
      params: MemberParams,
      body: UpdateMemberRequest,
      ok: [Member, "Updated"],
      errors: { 409: "Last admin or personal owner" },
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
    jsonRoute({
      method: "delete",
      path: "/api/workspaces/{id}/members/{userId}",
      tags,
      summary: "Remove a member (workspace admin); their access here ends on their next request",
      params: MemberParams,
      noContent: "Removed",
      errors: { 409: "Last admin or personal owner" },
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
