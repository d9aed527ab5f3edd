// /api/invitations: the signed-in person's own invitations, matched by their account's email,
// and their answer to each. Accepting is what makes someone a member; it is a person's choice,
// so API keys can neither list nor answer invitations. The audit row goes to the inviting
// workspace, where its admins read it.
import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { audit } from "../audit/audit";
import { humanOnly } from "../auth/guards";
import { newestFirst, toPage } from "../core/cursor";
import { invitations } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { notFound } from "../core/errors";
import { PageQuery, page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { normalizeEmail } from "../users/service";
import { InvitationParams, MyInvitation } from "./schemas";
import { answerInvitation, myInvitationsQuery, statusIs, toMyInvitation } from "./service";

const tags = ["invitations"];
export const MyInvitationPage = page(MyInvitation).openapi("MyInvitationPage");
export type MyInvitationPage = z.infer<typeof MyInvitationPage>;

async function answer(c: Context<HonoEnv>, id: string, choice: "accepted" | "declined"): Promise<MyInvitation> {
  const p = humanOnly(c, "answer invitations");
  const db = c.var.services.db;
  const row = await answerInvitation(db, id, p, choice);
  await audit(c, {
    action: choice === "accepted" ? "invitation.accept" : "invitation.decline",
    workspaceId: row.workspaceId,
    targetType: "invitation",
    targetId: row.id,
    detail: { email: row.email, role: row.role },
  });
  const shown = await myInvitationsQuery(db).where(eq(invitations.id, row.id)).get();
  if (!shown) throw notFound("Invitation");
  return toMyInvitation(shown, Date.now());
}

export function registerInvitationInbox(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/invitations",
      tags,
      summary: "My pending invitations, newest first",
      query: PageQuery,
      ok: [MyInvitationPage, "Pending invitations"],
    }),
    async (c) => {
      const p = humanOnly(c, "read invitations");
      const { limit, cursor } = c.req.valid("query");
      const now = Date.now();
      const rows = await newestFirst(
        myInvitationsQuery(c.var.services.db).$dynamic(),
        invitations,
        { cursor, limit },
        eq(invitations.email, normalizeEmail(p.email)),
        statusIs("pending", now),
      );
      const flat = rows.map((r) => ({ ...r, id: r.invitation.id, createdAt: r.invitation.createdAt }));
      return c.json(
        toPage(flat, limit, (r) => toMyInvitation(r, now)),
        200,
      );
    },
  );

  for (const [verb, choice] of [
    ["accept", "accepted"],
    ["decline", "declined"],
  ] as const) {
    app.openapi(
      jsonRoute({
        method: "post",
        path: `/api/invitations/{id}/${verb}`,
        tags,
        summary: verb === "accept" ? "Accept an invitation: join its workspace with its role" : "Decline an invitation",
        params: InvitationParams,
        ok: [MyInvitation, choice === "accepted" ? "Accepted" : "Declined"],
        errors: { 409: "Expired, revoked or already answered" },
      }),
      async (c) => c.json(await answer(c, c.req.valid("param").id, choice), 200),
    );
  }
}
