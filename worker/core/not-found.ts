import type { Context } from "hono";
import type { HonoEnv } from "./env";
import { envelope } from "./errors";
import { allowedMethods } from "./permissions";

/** Paths that belong to the API (/agents/* is the agents SDK's socket route; /agents alone is
 * the dashboard's agents page): never answered with the dashboard. */
const API_PATH = /^\/(api|v1|mcp|health|ready|metrics)(\/|$)|^\/agents\//;

/** Same-origin scripts, styles, images and API calls; nothing embedded, nothing inline. */
const DASHBOARD_CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * 405 with `Allow` when the path exists under another method; a browser navigation to a
 * dashboard route gets the dashboard (index.html; the app routes on the client); anything
 * else gets the 404 envelope. Static files never reach here: the assets layer serves them
 * and passes only unmatched paths on to the Worker.
 */
export async function notFound(c: Context<HonoEnv>) {
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) {
    const res = envelope(c, "METHOD_NOT_ALLOWED", `Method ${c.req.method} is not allowed on ${c.req.path}`, { allowed });
    res.headers.set("Allow", allowed.join(", "));
    return res;
  }
  const navigation = (c.req.method === "GET" || c.req.method === "HEAD") && (c.req.header("Accept") ?? "").includes("text/html");
  if (navigation && !API_PATH.test(c.req.path) && c.env.ASSETS) {
    const index = await c.env.ASSETS.fetch(new URL("/", c.req.url));
    if (index.ok) {
      // The dashboard's own policy: the API's default (default-src 'none', added by the secure
      // headers middleware to answers without one) would block the app's scripts and styles.
      const headers = new Headers(index.headers);
      headers.set("Content-Security-Policy", DASHBOARD_CSP);
      return new Response(index.body, { status: 200, headers });
    }
  }
  return envelope(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`);
}
