// Resolves the caller's Principal from `Authorization: Bearer` (an API key or a JWT) or the
// session cookie, acting in the workspace the path or X-Workspace-Id names, if any. A credential that is presented but invalid is refused with 401 rather than
// treated as anonymous, except a stale cookie on a public route, which must not break it.
import type { MiddlewareHandler } from "hono";
import { endpointPath, ruleFor } from "../core/authorize";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { ANONYMOUS } from "../core/principal";
import { looksLikeApiKey } from "../keys/format";
import { ensureAdmin } from "./bootstrap";
import { assertSameSiteJson, isUnsafeMethod } from "./csrf";
import { principalFromApiKey, principalFromJwt, principalFromSession } from "./resolve";
import { clearSessionCookie, readSessionCookie } from "./sessions";

const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Under /api/workspaces/:id the path names the workspace, so the table judges the role held there. */
const WORKSPACE_PATH = /^\/api\/workspaces\/([^/]+)/;

function requestedWorkspace(path: string, header: string | undefined): string | undefined {
  const raw = WORKSPACE_PATH.exec(path)?.[1] ?? header;
  if (raw === undefined || raw === "") return undefined;
  // Not a workspace id we could have issued, so it cannot be one the caller belongs to.
  if (!WORKSPACE_ID.test(raw)) throw new ApiError("NOT_FOUND", "Workspace not found");
  return raw;
}

export const authenticate: MiddlewareHandler<HonoEnv> = async (c, next) => {
  await ensureAdmin(c.env.DB, c.var.services.db, c.var.config);
  // Only a signed-in caller acts in a workspace; anonymous requests ignore the hint.
  const requested = () => requestedWorkspace(c.req.path, c.req.header("X-Workspace-Id"));
  const authorization = c.req.header("Authorization");

  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new ApiError("UNAUTHENTICATED", "Authorization must be `Bearer <token or API key>`");
    const credential = match[1];
    c.set(
      "principal",
      looksLikeApiKey(credential)
        ? await principalFromApiKey(c, credential, requested())
        : await principalFromJwt(c, credential, requested()),
    );
    return next();
  }

  const cookie = readSessionCookie(c);
  // Browsers attach Origin to cross-site POSTs; refusing foreign ones here also stops login CSRF.
  if (cookie !== undefined || (isUnsafeMethod(c.req.method) && c.req.header("Origin") !== undefined))
    assertSameSiteJson(c);
  if (cookie === undefined) {
    c.set("principal", ANONYMOUS);
    return next();
  }
  const principal = await principalFromSession(c, cookie, requested());
  if (principal) {
    c.set("principal", principal);
    return next();
  }
  clearSessionCookie(c);
  const path = endpointPath(c);
  const rule = path === undefined ? undefined : ruleFor(c.req.method, path);
  // Unknown and unlisted routes answer 404 as they would for anyone.
  if (rule !== undefined && rule.access !== "public")
    throw new ApiError("UNAUTHENTICATED", "Session expired or revoked; sign in again");
  c.set("principal", ANONYMOUS);
  return next();
};
