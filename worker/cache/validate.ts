// A cacheable read is checked against its own route's path and query schemas (the ones in the
// OpenAPI registry, so there is no second copy) before the cache is consulted: a request that
// would fail validation never reaches KV, and is answered 400 by the route's validator.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { HonoEnv } from "../core/env";

type Registry = OpenAPIHono<HonoEnv>["openAPIRegistry"];
interface Schema {
  safeParse(value: unknown): { success: boolean };
}
interface RequestSchemas {
  params?: Schema;
  query?: Schema;
}

/** "/api/agents/{id}" (OpenAPI) → "/api/agents/:id" (Hono), as zod-openapi registers it. */
const honoPath = (path: string) => path.replaceAll(/\/{(.+?)}/g, "/:$1");

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path parameters of `path` matched against the pattern `route` (same segment count, by construction). */
function paramsOf(route: string, path: string): Record<string, string> {
  const names = route.split("/");
  const values = path.split("/");
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(":")) params[name.slice(1)] = decode(values[i] ?? "");
  });
  return params;
}

/** The query as Hono's validator sees it: one value stays a string, repeated keys become arrays. */
function queryOf(c: Context<HonoEnv>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0] as string] : [k, v])),
  );
}

/** Builds, once, a check per "GET /hono/path" from the routes registered on `app`. */
export function requestValidator(app: { openAPIRegistry: Registry }): (c: Context<HonoEnv>, route: string) => boolean {
  let byRoute: Map<string, RequestSchemas> | undefined;
  return (c, route) => {
    byRoute ??= new Map(
      app.openAPIRegistry.definitions.flatMap((d) =>
        d.type === "route"
          ? [
              [
                `${d.route.method.toUpperCase()} ${honoPath(d.route.path)}`,
                { params: d.route.request?.params, query: d.route.request?.query },
              ] as const,
            ]
          : [],
      ),
    );
    const schemas = byRoute.get(`GET ${route}`);
    if (!schemas) return false;
    if (schemas.params && !schemas.params.safeParse(paramsOf(route, c.req.path)).success) return false;
    return !schemas.query || schemas.query.safeParse(queryOf(c)).success;
  };
}
