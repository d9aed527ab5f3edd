// /api/workspaces/:id/safety-policy: the workspace's default safety policy, which its agents
// override. Every member reads it (with what it resolves to); its admins change it or return
// it to the platform default, and each change is audited with the policy it set.
import { audit } from "../audit/audit";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
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
    jsonRoute({
      method: "get",
      path,
      tags,
      summary: "The workspace's safety policy and what it resolves to over the platform default",
      params: WorkspaceParams,
      ok: [WorkspacePolicyResponse, "The policy"],
    }),
    async (c) => {
      const ttl = c.var.config.DEFINITION_CACHE_TTL_SECONDS;
      const stored = await loadWorkspacePolicy(c.var.services.db, signedIn(c.var.principal).workspaceId, ttl);
      return c.json(toResponse(stored), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path,
      tags,
      summary: "Replace the workspace's safety policy (workspace admin); agents' own policies still override it",
      params: WorkspaceParams,
      body: SafetyPolicy,
      ok: [WorkspacePolicyResponse, "Stored"],
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
    jsonRoute({
      method: "delete",
      path,
      tags,
      summary: "Return the workspace to the platform's default safety policy (workspace admin)",
      params: WorkspaceParams,
      ok: [WorkspacePolicyResponse, "The platform default now applies"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const removed = await deleteWorkspacePolicy(c.var.services.db, p.workspaceId);
      if (removed) await audit(c, { action: "safety_policy.delete", targetType: "workspace", targetId: p.workspaceId });
      return c.json(toResponse({ policy: {}, updatedAt: null }), 200);
    },
  );
}
