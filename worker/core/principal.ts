// Who is calling. Built by the authentication middleware (worker/auth), read by the
// permission table (core/permissions.ts) and by every handler through `c.var.principal`.
// Role and scope names are part of the API, so they are defined in shared/api-types.
import type { PrincipalRole, Scope } from "@hive/shared/api-types/roles";

export { SCOPES, type Scope, WORKSPACE_ROLES, type WorkspaceRole } from "@hive/shared/api-types/roles";
/** API keys act with the service role, limited by their scopes. */
export type Role = PrincipalRole;

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
