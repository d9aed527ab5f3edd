// Who is calling. Built by the authentication middleware (worker/auth), read by the
// permission table (core/permissions.ts) and by every handler through `c.var.principal`.
import { ApiError } from "./errors";

export const WORKSPACE_ROLES = ["admin", "user", "read_only"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
/** API keys act with the service role, limited by their scopes. */
export type Role = WorkspaceRole | "service";

export const SCOPES = [
  "agents:read",
  "agents:write",
  "chat",
  "knowledge:read",
  "knowledge:write",
  "swarm",
  "safety",
  "audit:read",
  "admin",
] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  | { kind: "anonymous" }
  | {
      kind: "user" | "api_key";
      userId: string;
      email: string;
      /** The workspace this request acts in (session's current one, token claim, or the key's). */
      workspaceId: string;
      role: Role;
      platformAdmin: boolean;
      scopes: readonly Scope[];
      /** Session id, JWT refresh family id (`fam`) or API key id: what to revoke. */
      credentialId: string;
      via: "session" | "jwt" | "api_key";
    };

export type AuthenticatedPrincipal = Exclude<Principal, { kind: "anonymous" }>;
export const ANONYMOUS: Principal = { kind: "anonymous" };

/** The caller of a route the permission table let in: typed as signed in, or a 401. */
export function signedIn(principal: Principal): AuthenticatedPrincipal {
  if (principal.kind === "anonymous") throw new ApiError("UNAUTHENTICATED", "Authentication required");
  return principal;
}
