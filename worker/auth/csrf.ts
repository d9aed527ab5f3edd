// Cross-site request forgery defence for cookie-authenticated requests (OWASP ASVS V3.5):
// SameSite=Lax already keeps the cookie off cross-site POSTs; on top of that every
// state-changing request must come from an allowed origin and carry JSON, which a plain HTML
// form cannot send and a cross-origin script cannot send without a CORS preflight.
import type { Context } from "hono";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

export const isUnsafeMethod = (method: string) => UNSAFE.has(method.toUpperCase());

function requestOrigin(c: Context<HonoEnv>): string | null {
  const origin = c.req.header("Origin");
  if (origin) return origin;
  const referer = c.req.header("Referer");
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

export function allowedOrigins(c: Context<HonoEnv>): Set<string> {
  const { PUBLIC_ORIGIN, CORS_ORIGINS } = c.var.config;
  return new Set([PUBLIC_ORIGIN, ...CORS_ORIGINS, new URL(c.req.url).origin]);
}

/** Throws 403 unless a state-changing request is same-origin (or allow-listed) JSON. */
export function assertSameSiteJson(c: Context<HonoEnv>): void {
  if (!isUnsafeMethod(c.req.method)) return;
  const origin = requestOrigin(c);
  if (!origin || !allowedOrigins(c).has(origin)) {
    throw new ApiError("FORBIDDEN", "Cross-site request refused: Origin is missing or not allowed", {
      details: { reason: "origin" },
    });
  }
  if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
    throw new ApiError("FORBIDDEN", "Cross-site request refused: send Content-Type: application/json", {
      details: { reason: "content_type" },
    });
  }
}
