// /api/admin/workspaces: the platform administrator's view across tenants. Platform admins
// have no implicit access to workspace contents; this listing is their only window, and every
// use is audited.
import { auditAdminRead } from "../audit/admin-read";
import { workspaces } from "../core/db/schema";
import { newestPage } from "../core/newest-page";
import { PageQuery, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { listMembers, MemberPage } from "./member-routes";
import { WorkspacePage } from "./routes";
import { AdminWorkspaceQuery, WorkspaceParams } from "./schemas";
import { contains, getWorkspace, toWorkspace } from "./service";

const tags = ["admin"];

export function registerWorkspaceAdmin(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/admin/workspaces",
      tags,
      summary: "Every workspace (platform admin)",
      query: PageQuery.extend(AdminWorkspaceQuery.shape),
      ok: [WorkspacePage, "Workspaces"],
    }),
    async (c) => {
      const { limit, cursor, q } = c.req.valid("query");
      const page = await newestPage(
        c.var.services.db.select().from(workspaces).$dynamic(),
        workspaces,
        { cursor, limit },
        (w) => toWorkspace(w, null),
        q ? contains(workspaces.name, q) : undefined,
      );
      await auditAdminRead(c, "admin.workspaces_list", { detail: { q: q ?? null } });
      return c.json(page, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/admin/workspaces/{id}/members",
      tags,
      summary: "Members of any workspace (platform admin)",
      params: WorkspaceParams,
      query: PageQuery,
      ok: [MemberPage, "Members"],
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const db = c.var.services.db;
      await getWorkspace(db, id);
      await auditAdminRead(c, "admin.members_list", { workspaceId: id, targetType: "workspace", targetId: id });
      return c.json(await listMembers(db, id, limit, cursor), 200);
    },
  );
}
