// Which scopes a key may carry: never more than its owner's role in the workspace allows, so
// a key cannot be used to climb above the person who made it.
import { SCOPES, type Scope, type WorkspaceRole } from "../core/principal";

const READ_SCOPES: readonly Scope[] = ["agents:read", "knowledge:read", "audit:read"];

/** Workspace audit is for admins and read-only reviewers (see the permission table). */
const BY_ROLE: Record<WorkspaceRole, readonly Scope[]> = {
  admin: SCOPES,
  user: SCOPES.filter((s) => s !== "admin" && s !== "audit:read"),
  read_only: READ_SCOPES,
};

export const scopesForRole = (role: WorkspaceRole): readonly Scope[] => BY_ROLE[role];

const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/**
 * The scopes a key acts with right now. A person's key is capped by their current role (a
 * demotion shrinks their keys at once); a service account's key carries what its workspace
 * admin granted.
 */
export function effectiveScopes(
  stored: readonly string[],
  owner: { kind: "human" | "service"; role: WorkspaceRole },
): Scope[] {
  const valid = stored.filter(isScope);
  if (owner.kind === "service") return valid;
  const allowed = scopesForRole(owner.role);
  return valid.filter((s) => allowed.includes(s));
}
