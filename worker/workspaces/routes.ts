// /api/workspaces: the tenants. Under /api/workspaces/:id the authentication middleware has
// already made :id the request's workspace (404 unless the caller is a member), so the
// permission table judges the caller's role there and handlers read it from the principal.
import type { z } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import { audit } from "../audit/audit";
import { auditStatement } from "../audit/statement";
import { humanOnly } from "../auth/guards";
import { newestFirst, toPage } from "../core/cursor";
import { memberships, users, workspaces } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { PageQuery, page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { slugFor } from "../users/service";
import { CreateWorkspaceRequest, UpdateWorkspaceRequest, Workspace, WorkspaceParams } from "./schemas";
import { getWorkspace, toWorkspace } from "./service";

const tags = ["workspaces"];
export const WorkspacePage = page(Workspace).openapi("WorkspacePage");
export type WorkspacePage = z.infer<typeof WorkspacePage>;

export function registerWorkspaces(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/workspaces",
      tags,
      summary: "Workspaces I belong to (an API key sees its own)",
      query: PageQuery,
      ok: [WorkspacePage, "Workspaces"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { limit, cursor } = c.req.valid("query");
      const rows = await newestFirst(
        c.var.services.db
          .select({ workspace: workspaces, role: memberships.role })
          .from(memberships)
          .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
          .$dynamic(),
        workspaces,
        { cursor, limit },
        eq(memberships.userId, p.userId),
        p.via === "api_key" ? eq(workspaces.id, p.workspaceId) : undefined,
      );
      const flat = rows.map((r) => ({ ...r, id: r.workspace.id, createdAt: r.workspace.createdAt }));
      return c.json(
        toPage(flat, limit, (r) => toWorkspace(r.workspace, p.via === "api_key" ? null : r.role)),
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/workspaces",
      tags,
      summary: "Create a workspace; I become its admin",
      body: CreateWorkspaceRequest,
      created: [Workspace, "Created"],
    }),
    async (c) => {
      const p = humanOnly(c, "create workspaces");
      const { name } = c.req.valid("json");
      const db = c.var.services.db;
      const id = newId("ws");
      const now = Date.now();
      const [created] = await db.batch([
        db
          .insert(workspaces)
          .values({ id, name, slug: slugFor(name), personal: false, ownerId: p.userId, createdAt: now, updatedAt: now })
          .returning(),
        db.insert(memberships).values({ workspaceId: id, userId: p.userId, role: "admin", createdAt: now }),
        // In the same batch: a D1 failure leaves neither the workspace nor a workspace without its audit row.
        auditStatement(c, {
          action: "workspace.create",
          workspaceId: id,
          targetType: "workspace",
          targetId: id,
          detail: { name },
        }),
      ]);
      const row = created[0];
      if (!row) throw new Error("workspace insert returned no row");
      return c.json(toWorkspace(row, "admin"), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/workspaces/{id}",
      tags,
      summary: "One of my workspaces",
      params: WorkspaceParams,
      ok: [Workspace, "The workspace"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const workspace = await getWorkspace(c.var.services.db, p.workspaceId);
      return c.json(toWorkspace(workspace, p.role === "service" ? null : p.role), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "patch",
      path: "/api/workspaces/{id}",
      tags,
      summary: "Rename a workspace (workspace admin)",
      params: WorkspaceParams,
      body: UpdateWorkspaceRequest,
      ok: [Workspace, "Renamed"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { name } = c.req.valid("json");
      const [row] = await c.var.services.db
        .update(workspaces)
        .set({ name, updatedAt: Date.now() })
        .where(eq(workspaces.id, p.workspaceId))
        .returning();
      if (!row) throw new ApiError("NOT_FOUND", "Workspace not found");
      await audit(c, { action: "workspace.update", targetType: "workspace", targetId: row.id, detail: { name } });
      return c.json(toWorkspace(row, p.role === "service" ? null : p.role), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/workspaces/{id}",
      tags,
      summary: "Delete a workspace and everything in it (workspace admin; personal workspaces cannot be deleted)",
      params: WorkspaceParams,
      noContent: "Deleted",
      errors: { 409: "Personal workspace" },
    }),
    async (c) => {
      // Destroying a tenant is a person's decision, never an automation's.
      const p = humanOnly(c, "delete workspaces");
      const db = c.var.services.db;
      const workspace = await getWorkspace(db, p.workspaceId);
      if (workspace.personal)
        throw new ApiError("CONFLICT", "A personal workspace cannot be deleted", { details: { reason: "personal" } });
      // Service accounts live only to act in this workspace: disable them with it.
      const serviceAccounts = db
        .select({ id: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.workspaceId, workspace.id), eq(users.kind, "service")));
      const now = Date.now();
      await db.batch([
        db.update(users).set({ disabledAt: now, updatedAt: now }).where(inArray(users.id, serviceAccounts)),
        db.delete(workspaces).where(eq(workspaces.id, workspace.id)),
      ]);
      await audit(c, {
        action: "workspace.delete",
        targetType: "workspace",
        targetId: workspace.id,
        detail: { name: workspace.name },
      });
      return c.body(null, 204);
    },
  );
}
