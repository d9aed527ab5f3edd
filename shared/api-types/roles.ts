// Who may do what: workspace roles, the principal roles a request can carry, platform roles and
// API key scopes. The Worker's permission table is written in these names.
export const WORKSPACE_ROLES = ["admin", "user", "read_only"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** A request's role: a member's workspace role, or `service` for an API key. */
export type PrincipalRole = WorkspaceRole | "service";

export const PLATFORM_ROLES = ["platform_admin", "member"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const SCOPES = [
  "agents:read",
  "agents:write",
  "chat",
  "knowledge:read",
  "knowledge:write",
  "swarm",
  "evals",
  "safety",
  "audit:read",
  "admin",
] as const;
export type Scope = (typeof SCOPES)[number];
