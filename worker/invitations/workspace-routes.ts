// /api/workspaces/:id/invitations: a workspace's admins invite people by email, see who is
// invited, and revoke what is still pending. Inviting answers the same for an address with an
// account and one without, so it cannot be used to find out who is registered.
import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { audit } from "../audit/audit";
import { invitations } from "../core/db/schema";
import { newestPage } from "../core/newest-page";
import { page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { WorkspaceParams } from "../workspaces/schemas";
import { CreateInvitationRequest, Invitation, InvitationListQuery, WorkspaceInvitationParams } from "./schemas";
import { createInvitation, revokeInvitation, statusIs, toInvitation } from "./service";

const tags = ["invitations"];
export const InvitationPage = page(Invitation).openapi("InvitationPage");
export type InvitationPage = z.infer<typeof InvitationPage>;

export function registerWorkspaceInvitations(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/workspaces/{id}/invitations",
      tags,
      summary: "Invite an email address to this workspace (workspace admin); the person joins only by accepting",
      params: WorkspaceParams,
      body: CreateInvitationRequest,
      created: [Invitation, "Invited"],
      errors: { 409: "Already a member, or already invited" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { email, role } = c.req.valid("json");
      const row = await createInvitation(c.var.services.db, {
        workspaceId: p.workspaceId,
        email,
        role,
        invitedBy: p.userId,
        ttlMs: c.var.config.INVITATION_TTL_HOURS * 3_600_000,
      });
      await audit(c, {
        action: "invitation.create",
        targetType: "invitation",
        targetId: row.id,
        detail: { email: row.email, role },
      });
      return c.json(toInvitation(row, Date.now()), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/workspaces/{id}/invitations",
      tags,
      summary: "Invitations sent from this workspace, newest first (workspace admin)",
      params: WorkspaceParams,
      query: InvitationListQuery,
      ok: [InvitationPage, "Invitations"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { limit, cursor, status } = c.req.valid("query");
      const now = Date.now();
      const page = await newestPage(
        c.var.services.db.select().from(invitations).$dynamic(),
        invitations,
        { cursor, limit },
        (r) => toInvitation(r, now),
        eq(invitations.workspaceId, p.workspaceId),
        status ? statusIs(status, now) : undefined,
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/workspaces/{id}/invitations/{invitationId}",
      tags,
      summary: "Revoke a pending invitation (workspace admin)",
      params: WorkspaceInvitationParams,
      noContent: "Revoked",
      errors: { 409: "Already accepted, declined or revoked" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { invitationId } = c.req.valid("param");
      const row = await revokeInvitation(c.var.services.db, p.workspaceId, invitationId, p.userId);
      await audit(c, {
        action: "invitation.revoke",
        targetType: "invitation",
        targetId: row.id,
        detail: { email: row.email, role: row.role },
      });
      return c.body(null, 204);
    },
  );
}
