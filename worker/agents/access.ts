// Who sees and who changes an agent, inside one workspace (the tenant filter is applied by
// every query before these rules): admins everything; everyone else sees workspace-visible
// agents plus their own private ones and changes only their own. API keys act as the user
// they belong to, never wider than that user's own agents.
import { and, eq, isNull, or, type SQL } from "drizzle-orm";
import { agents } from "../core/db/schema";
import type { AuthenticatedPrincipal } from "../core/principal";

/** Rows of this workspace the principal may see, never deleted ones. */
export function visibleAgents(p: AuthenticatedPrincipal): SQL {
  const tenant = and(eq(agents.workspaceId, p.workspaceId), isNull(agents.deletedAt)) as SQL;
  if (p.role === "admin") return tenant;
  return and(tenant, or(eq(agents.visibility, "workspace"), eq(agents.ownerId, p.userId))) as SQL;
}

/** The same rule as `visibleAgents`, for a row already in memory. */
export function isVisibleTo(
  p: AuthenticatedPrincipal,
  agent: { workspaceId: string; deletedAt: number | null; visibility: string; ownerId: string },
): boolean {
  if (agent.workspaceId !== p.workspaceId || agent.deletedAt !== null) return false;
  return p.role === "admin" || agent.visibility === "workspace" || agent.ownerId === p.userId;
}

export function canEditAgent(p: AuthenticatedPrincipal, agent: { ownerId: string; workspaceId: string }): boolean {
  if (agent.workspaceId !== p.workspaceId || p.role === "read_only") return false;
  return p.role === "admin" || agent.ownerId === p.userId;
}
