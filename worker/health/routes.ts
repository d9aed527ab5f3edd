// Liveness (/health) and readiness (/ready: D1, KV and a Durable Object round trip).
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../core/errors";
import { jsonResponse, ErrorSchema, type Router } from "../core/openapi";
import { checkReadiness } from "./checks";

export const HealthResponse = z
  .object({ status: z.literal("ok"), service: z.literal("liquid-hive"), environment: z.string(), time: z.string() })
  .openapi("Health");

export const ReadyResponse = z
  .object({
    status: z.literal("ready"),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), latency_ms: z.number(), error: z.string().optional() })),
  })
  .openapi("Ready");

export type HealthResponse = z.infer<typeof HealthResponse>;
export type ReadyResponse = z.infer<typeof ReadyResponse>;

export function registerHealth(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["health"],
      summary: "Liveness: the Worker answers",
      responses: { 200: jsonResponse(HealthResponse, "Alive") },
    }),
    (c) =>
      c.json(
        { status: "ok" as const, service: "liquid-hive" as const, environment: c.var.config.ENVIRONMENT, time: new Date().toISOString() },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/ready",
      tags: ["health"],
      summary: "Readiness: D1, KV and Durable Objects answer",
      responses: {
        200: jsonResponse(ReadyResponse, "Every dependency answered"),
        503: jsonResponse(ErrorSchema, "At least one dependency failed; details.checks names it"),
      },
    }),
    async (c) => {
      const checks = await checkReadiness(c.env, c.var.requestId);
      const failed = Object.entries(checks).filter(([, r]) => !r.ok).map(([name]) => name);
      if (failed.length > 0) {
        throw new ApiError("UNAVAILABLE", `Not ready: ${failed.join(", ")} failed`, { details: { failed, checks } });
      }
      return c.json({ status: "ready" as const, checks }, 200);
    },
  );
}
