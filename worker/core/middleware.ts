// The request pipeline shared by every route, in order: request id, access log, config,
// secure headers, CORS, body limit, services. Authentication and authorization follow
// (worker/auth and core/authorize).
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { endpointPath } from "./authorize";
import { type Config, ConfigError, getConfig } from "./config";
import type { HonoEnv } from "./env";
import { ApiError, envelope } from "./errors";
import { randomString } from "./ids";
import { log, writeLog } from "./logger";
import type { RouteKey } from "./permissions";
import { developmentFallbacks, isLoopbackHost } from "./secret-policy";
import { createServices } from "./services";

export const withRequestId = requestId({
  headerName: "X-Request-Id",
  limitLength: 128,
  generator: () => `req_${randomString(20)}`,
});

/** Told of every finished request (worker/metrics counts them); app.ts passes it in, so core needs no feature. */
export type RequestObserver = (c: Context<HonoEnv>, route: string | null, status: number, durationMs: number) => void;

/** One JSON line per request: method, route pattern, status, duration, request id, user. */
export const accessLog =
  (observe: RequestObserver): MiddlewareHandler<HonoEnv> =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const principal = c.get("principal");
    const route = endpointPath(c) ?? null;
    const durationMs = performance.now() - started;
    observe(c, route, c.res.status, durationMs);
    log(c, c.res.status >= 500 ? "error" : "info", "request", {
      method: c.req.method,
      route,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(durationMs * 100) / 100,
      user: principal && principal.kind !== "anonymous" ? principal.userId : null,
      workspace: principal && principal.kind !== "anonymous" ? principal.workspaceId : null,
    });
  };

/** 503: the operator sees one log line per problem (never a secret); the client only the keys. */
function misconfigured(c: Context<HonoEnv>, problems: { key: string; message: string }[]) {
  for (const { key, message } of problems)
    writeLog("error", "invalid_configuration", { key, message, request_id: c.get("requestId") });
  return envelope(c, "UNAVAILABLE", "Service misconfigured", { keys: [...new Set(problems.map((p) => p.key))] });
}

export const withConfig: MiddlewareHandler<HonoEnv> = async (c, next) => {
  let config: Config;
  try {
    config = getConfig(c.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return misconfigured(c, err.problems);
  }
  // Development's fallback secrets are public: only this machine may use them (secret-policy.ts).
  const fallbacks = developmentFallbacks(config);
  if (fallbacks.length > 0 && !isLoopbackHost(new URL(c.req.url).hostname)) {
    return misconfigured(
      c,
      fallbacks.map((p) => ({
        key: p.key,
        message: `${p.message}; ${config.ENVIRONMENT} answers loopback hosts only`,
      })),
    );
  }
  c.set("config", config);
  await next();
};

export const withSecureHeaders = secureHeaders({
  // API answers are JSON; the docs page and the dashboard fallback carry their own, wider,
  // policies, which `overwrite: false` keeps (Hono's default replaces them). Dashboard documents
  // get these same headers from web/public/_headers (test/worker/dashboard.security.test.ts).
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  overwrite: false,
  xFrameOptions: "DENY",
  crossOriginResourcePolicy: "same-origin",
  referrerPolicy: "strict-origin-when-cross-origin",
});

export const withCors: MiddlewareHandler<HonoEnv> = (c, next) =>
  cors({
    origin: (origin) => (c.var.config.CORS_ORIGINS.includes(origin) ? origin : null),
    credentials: true,
    allowHeaders: [
      "Authorization",
      "Content-Type",
      "X-Request-Id",
      "X-Workspace-Id",
      "Idempotency-Key",
      "traceparent",
      "tracestate",
    ],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: [
      "X-Request-Id",
      "X-Trace-Id",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "Retry-After",
      "X-Cache",
      "Idempotent-Replayed",
    ],
    maxAge: 600,
  })(c, next);

/** Routes allowed a body larger than MAX_BODY_BYTES (uploads), keyed "METHOD /path" like the permission table. */
const routeBodyLimits = new Map<string, (config: Config) => number>();

export function setRouteBodyLimit(route: RouteKey, limit: (config: Config) => number): void {
  routeBodyLimits.set(route, limit);
}

export const withBodyLimit: MiddlewareHandler<HonoEnv> = (c, next) => {
  const path = endpointPath(c);
  const custom = path === undefined ? undefined : routeBodyLimits.get(`${c.req.method} ${path}`);
  const maxSize = custom ? custom(c.var.config) : c.var.config.MAX_BODY_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxSize} bytes`, {
        details: { limit_bytes: maxSize },
      });
    },
  })(c, next);
};

export const withServices: MiddlewareHandler<HonoEnv> = async (c, next) => {
  c.set("services", createServices(c.env, c.var.config));
  await next();
};
