// Narrowing helpers for handlers: the permission table has already let the caller in; these
// give handlers a typed principal and refuse what the table cannot express (keys acting as people).
import type { Context } from "hono";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal, WorkspaceRole } from "../core/principal";

export function signedIn(c: Context<HonoEnv>): AuthenticatedPrincipal {
  const p = c.get("principal");
  if (p.kind === "anonymous") throw new ApiError("UNAUTHENTICATED", "Authentication required");
  return p;
}

export type HumanPrincipal = AuthenticatedPrincipal & { kind: "user"; via: "session" | "jwt"; role: WorkspaceRole };

/** Account management is done by people, never by API keys. */
export function humanOnly(c: Context<HonoEnv>, what: string): HumanPrincipal {
  const p = signedIn(c);
  if (p.kind !== "user" || p.via === "api_key" || p.role === "service") throw new ApiError("FORBIDDEN", `API keys cannot ${what}`);
  return { ...p, kind: "user", via: p.via, role: p.role };
}
