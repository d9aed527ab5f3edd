// Deny-by-default authorization: the matched route must be in the permission table and the
// principal must satisfy its rule. Runs after authentication, before any handler.
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { HonoEnv } from "./env";
import { ApiError } from "./errors";
import { log } from "./logger";
import { permissionTable, type Rule } from "./permissions";
import type { Principal } from "./principal";

/** The endpoint's registered path, or undefined when only middleware matched (a 404/405). */
export function endpointPath(c: Parameters<typeof matchedRoutes>[0]): string | undefined {
  const routes = matchedRoutes(c);
  const last = routes[routes.length - 1];
  if (!last || (last.method === "ALL" && last.path.endsWith("*"))) return undefined;
  return last.path;
}

export function ruleFor(method: string, path: string): Rule | undefined {
  const m = method === "HEAD" ? "GET" : method;
  return permissionTable[`${m} ${path}`] ?? permissionTable[`ALL ${path}`];
}

/** Returns null when allowed, else the error to throw. */
export function check(rule: Rule, principal: Principal): ApiError | null {
  if (rule.access === "public") return null;
  if (principal.kind === "anonymous") return new ApiError("UNAUTHENTICATED", "Authentication required");
  if (rule.access === "authenticated") return null;
  if (rule.access === "platform_admin") {
    return principal.platformAdmin && principal.kind === "user"
      ? null
      : new ApiError("FORBIDDEN", "Platform administrators only");
  }
  if (!rule.roles.includes(principal.role)) {
    return new ApiError("FORBIDDEN", `The ${principal.role} role may not do this`);
  }
  if (
    principal.role === "service" &&
    rule.scope &&
    !principal.scopes.includes(rule.scope) &&
    !principal.scopes.includes("admin")
  ) {
    return new ApiError("FORBIDDEN", `This API key lacks the ${rule.scope} scope`, {
      details: { required_scope: rule.scope },
    });
  }
  return null;
}

export type DenialHook = (
  c: Parameters<MiddlewareHandler<HonoEnv>>[0],
  route: string,
  error: ApiError,
) => Promise<void>;

export function authorize(onDenied?: DenialHook): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const path = endpointPath(c);
    if (path === undefined) return next();
    const rule = ruleFor(c.req.method, path);
    const route = `${c.req.method} ${path}`;
    if (!rule) {
      // A registered route missing from the table is unreachable by design.
      log(c, "warn", "route_not_in_permission_table", { route });
      throw new ApiError("NOT_FOUND", "Route not found");
    }
    const denied = check(rule, c.get("principal"));
    if (denied) {
      if (onDenied) await onDenied(c, route, denied);
      throw denied;
    }
    await next();
  };
}
