// A narrowing helper for handlers: the permission table has already let the caller in; this one
// refuses what the table cannot express (keys acting as people). Signed-in callers in general:
// `signedIn` in core/principal.ts.
import type { Context } from "hono";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal, WorkspaceRole } from "../core/principal";
import { signedIn } from "../core/signed-in";

export type HumanPrincipal = AuthenticatedPrincipal & { kind: "user"; via: "session" | "jwt"; role: WorkspaceRole };

/** Account management is done by people, never by API keys. */
export function humanOnly(c: Context<HonoEnv>, what: string): HumanPrincipal {
  const p = signedIn(c.var.principal);
  if (p.kind !== "user" || p.via === "api_key" || p.role === "service")
    throw new ApiError("FORBIDDEN", `API keys cannot ${what}`);
  return { ...p, kind: "user", via: p.via, role: p.role };
}
