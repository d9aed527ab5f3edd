// /api/workspaces/:id/safety-policy: the workspace's default safety policy, which its agents
// override. Every member reads it (with what it resolves to); its admins change it or return
// it to the platform default, and each change is audited with the policy it set.
import { createRoute } from "@hono/zod-openapi";
import { audit } from "../audit/audit";
import { commonErrors, jsonBody, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { WorkspaceParams } from "../workspaces/schemas";
import { resolvePolicy, SafetyPolicy } from "./policy";
import { WorkspacePolicyResponse } from "./schemas";
import { deleteWorkspacePolicy, loadWorkspacePolicy, type StoredPolicy, saveWorkspacePolicy } from "./workspace-policy";

const tags = ["safety"];
const path = "/api/workspaces/{id}/safety-policy";

const toResponse = (s: StoredPolicy): WorkspacePolicyResponse => ({
  policy: s.policy,
  effective: resolvePolicy(s.policy),
  updated_at: s.updatedAt === null ? null : new Date(s.updatedAt).toISOString(),
});

export function registerSafetyPolicy(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path,
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "The workspace's safety policy and what it resolves to over the platform default",
      request: { params: WorkspaceParams },
      responses: { 200: jsonResponse(WorkspacePolicyResponse, "The policy"), ...commonErrors },
    }),
    async (c) => {
      const ttl = c.var.config.DEFINITION_CACHE_TTL_SECONDS;
      const stored = await loadWorkspacePolicy(c.var.services.db, signedIn(c.var.principal).workspaceId, ttl);
      return c.json(toResponse(stored), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path,
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Replace the workspace's safety policy (workspace admin); agents' own policies still override it",
      request: { params: WorkspaceParams, body: jsonBody(SafetyPolicy) },
      responses: { 200: jsonResponse(WorkspacePolicyResponse, "Stored"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const policy = c.req.valid("json");
      const stored = await saveWorkspacePolicy(c.var.services.db, p.workspaceId, policy, p.userId);
      await audit(c, {
        action: "safety_policy.update",
        targetType: "workspace",
        targetId: p.workspaceId,
        detail: { policy },
      });
      return c.json(toResponse(stored), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path,
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Return the workspace to the platform's default safety policy (workspace admin)",
      request: { params: WorkspaceParams },
      responses: { 200: jsonResponse(WorkspacePolicyResponse, "The platform default now applies"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const removed = await deleteWorkspacePolicy(c.var.services.db, p.workspaceId);
      if (removed) await audit(c, { action: "safety_policy.delete", targetType: "workspace", targetId: p.workspaceId });
      return c.json(toResponse({ policy: {}, updatedAt: null }), 200);
    },
  );
}
