// The one check a handler makes that its caller is signed in (the permission table has
// already let the request in; this narrows the type, or answers 401).
import { ApiError } from "./errors";
import type { AuthenticatedPrincipal, Principal } from "./principal";

/** The caller of a route the permission table let in: typed as signed in, or a 401. */
export function signedIn(principal: Principal): AuthenticatedPrincipal {
  if (principal.kind === "anonymous") throw new ApiError("UNAUTHENTICATED", "Authentication required");
  return principal;
}
