// GET /api/audit: the workspace's audit trail for its admins and read-only reviewers (and API
// keys with audit:read); platform admins may read across workspaces with ?all=true. There is
// deliberately no route that changes or deletes a row (the database refuses too: migration 0001).
import { eq, getTableColumns, like } from "drizzle-orm";
import { newestFirst, toPage } from "../core/cursor";
import { auditLogs, users } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { matching, within } from "../core/filters";
import { PageQuery, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { auditAdminRead } from "./admin-read";
import { type AuditEntry, AuditPage, AuditQuery } from "./schemas";

type Row = typeof auditLogs.$inferSelect & { actorEmail: string | null; actorName: string | null };

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  workspace_id: r.workspaceId,
  actor_id: r.actorId,
  actor_kind: r.actorKind,
  actor_email: r.actorEmail,
  actor_name: r.actorName,
  action: r.action,
  target_type: r.targetType,
  target_id: r.targetId,
  outcome: r.outcome,
  ip: r.ip,
  request_id: r.requestId,
  trace_id: r.traceId,
  detail: r.detail ?? null,
  created_at: new Date(r.createdAt).toISOString(),
});

export function registerAudit(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/audit",
      tags: ["audit"],
      summary: "Audit log of the current workspace, newest first",
      query: PageQuery.extend(AuditQuery.shape),
      ok: [AuditPage, "Audit entries"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const f = c.req.valid("query");
      if (f.all && !(p.kind === "user" && p.platformAdmin))
        throw new ApiError("FORBIDDEN", "Only platform administrators may read every workspace's audit log");
      const action = f.action?.endsWith(".*")
        ? like(auditLogs.action, `${f.action.slice(0, -1)}%`)
        : f.action
          ? eq(auditLogs.action, f.action)
          : undefined;
      // Who the actor is, in words: the user's email and name (a deleted user's id stays alone).
      const rows = await newestFirst(
        c.var.services.db
          .select({ ...getTableColumns(auditLogs), actorEmail: users.email, actorName: users.name })
          .from(auditLogs)
          .leftJoin(users, eq(users.id, auditLogs.actorId))
          .$dynamic(),
        auditLogs,
        f,
        f.all ? undefined : eq(auditLogs.workspaceId, p.workspaceId),
        action,
        ...matching([
          [auditLogs.actorId, f.actor],
          [auditLogs.outcome, f.outcome],
          [auditLogs.targetId, f.target],
          [auditLogs.targetType, f.target_type],
        ]),
        ...within(auditLogs.createdAt, f.since, f.until),
      );
      if (f.all) await auditAdminRead(c, "admin.audit_read");
      return c.json(toPage(rows, f.limit, toEntry), 200);
    },
  );
}
