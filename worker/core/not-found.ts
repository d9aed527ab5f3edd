import type { Context } from "hono";
import type { HonoEnv } from "./env";
import { envelope } from "./errors";
import { allowedMethods } from "./permissions";

/** 405 with `Allow` when the path exists under another method, else the 404 envelope. */
export function notFound(c: Context<HonoEnv>) {
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0 && !allowed.includes(c.req.method)) {
    const res = envelope(c, "METHOD_NOT_ALLOWED", `Method ${c.req.method} is not allowed on ${c.req.path}`, { allowed });
    res.headers.set("Allow", allowed.join(", "));
    return res;
  }
  return envelope(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`);
}
