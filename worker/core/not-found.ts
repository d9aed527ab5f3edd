import type { Context } from "hono";
import type { HonoEnv } from "./env";
import { envelope } from "./errors";
import { allowedMethods } from "./permissions";

/** Paths that belong to the API (/agents/* is the agents SDK's socket route; /agents alone is
 * the dashboard's agents page): never answered with the dashboard. */
const API_PATH = /^\/(api|v1|mcp|health|ready|metrics)(\/|$)|^\/agents\//;

/**
 * 405 with `Allow` when the path exists under another method; a browser navigation to a
 * dashboard route gets the dashboard (index.html; the app routes on the client); anything
 * else gets the 404 envelope. Static files never reach here: the assets layer serves them
 * and passes only unmatched paths on to the Worker.
 */
export async function notFound(c: Context<HonoEnv>) {
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) {
    const res = envelope(c, "METHOD_NOT_ALLOWED", `Method ${c.req.method} is not allowed on ${c.req.path}`, {
      allowed,
    });
    res.headers.set("Allow", allowed.join(", "));
    return res;
  }
  const navigation =
    (c.req.method === "GET" || c.req.method === "HEAD") && (c.req.header("Accept") ?? "").includes("text/html");
  if (navigation && !API_PATH.test(c.req.path) && c.env.ASSETS) {
    // The document comes with the dashboard's headers (web/public/_headers), its CSP included,
    // exactly as `/` does; without them the API's `default-src 'none'` would apply and block it.
    const index = await c.env.ASSETS.fetch(new URL("/", c.req.url));
    if (index.ok) return new Response(index.body, { status: 200, headers: index.headers });
  }
  return envelope(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`);
}
