// Liveness (/health) and readiness (/ready: D1, KV and a Durable Object round trip). /ready is
// public, so load balancers and the Status page work signed out; which providers answer and
// this isolate's circuit breakers (named after the hosts tools fetched, i.e. other tenants'
// activity) are shown to a signed-in platform admin only.

import type * as api from "@hive/shared/api-types/health";
import { createRoute, z } from "@hono/zod-openapi";
import { check } from "../core/authorize";
import { ApiError } from "../core/errors";
import { ErrorSchema, jsonResponse, type Router } from "../core/openapi";
import { breakerSnapshots } from "../core/resilience";
import type { Expect, Same } from "../core/same-type";
import { LLAMA_GUARD_MODEL, safetyReadiness } from "../safety/readiness";
import { DETECTORS } from "../safety/types";
import { checkReadiness } from "./checks";

export const HealthResponse = z
  .object({ status: z.literal("ok"), service: z.literal("liquid-hive"), environment: z.string(), time: z.string() })
  .openapi("Health");

const Breaker = z.object({
  name: z.string(),
  state: z.enum(["closed", "open", "half_open"]),
  failures: z.number(),
  opened_at: z.number().nullable(),
  retry_after_ms: z.number(),
  failure_rate: z.number().openapi({ description: "Failed share of the calls in the sliding window (0-1)" }),
  window_requests: z.number().int(),
});

const SafetyDetectors = z.object({
  detectors: z.array(
    z.object({ id: z.enum(DETECTORS), sources: z.array(z.enum(["local", "local-lexicon", "workers-ai"])) }),
  ),
  moderation: z
    .enum(["local-lexicon", LLAMA_GUARD_MODEL])
    .openapi({ description: "The local lexicon fallback unless Workers AI is bound" }),
});

export const ReadyResponse = z
  .object({
    status: z.literal("ready"),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), latency_ms: z.number(), error: z.string().optional() })),
    /** Platform admins only: which providers and safety detectors are in use and this isolate's circuit
     * breakers (informational: an open breaker degrades answers, it does not make the platform unready). */
    providers: z
      .object({
        model: z.string(),
        degraded: z.boolean(),
        embedder: z.string(),
        breakers: z.array(Breaker),
        safety: SafetyDetectors,
      })
      .optional(),
  })
  .openapi("Ready");

export type HealthResponse = z.infer<typeof HealthResponse>;
export type ReadyResponse = z.infer<typeof ReadyResponse>;

// The types clients import from shared/api-types are exactly what these routes return.
type _Checks = [Expect<Same<HealthResponse, api.HealthResponse>>, Expect<Same<ReadyResponse, api.ReadyResponse>>];

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
        {
          status: "ok" as const,
          service: "liquid-hive" as const,
          environment: c.var.config.ENVIRONMENT,
          time: new Date().toISOString(),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/ready",
      tags: ["health"],
      summary:
        "Readiness: D1, KV and Durable Objects answer (providers, safety detectors and circuit breakers " +
        "for a signed-in platform admin)",
      responses: {
        200: jsonResponse(ReadyResponse, "Every dependency answered"),
        503: jsonResponse(ErrorSchema, "At least one dependency failed; details.checks names it"),
      },
    }),
    async (c) => {
      const checks = await checkReadiness(c.env, c.var.requestId);
      const failed = Object.entries(checks)
        .filter(([, r]) => !r.ok)
        .map(([name]) => name);
      if (failed.length > 0) {
        throw new ApiError("UNAVAILABLE", `Not ready: ${failed.join(", ")} failed`, { details: { failed, checks } });
      }
      // The answer depends on who asks: no shared cache may hand an admin's copy to anyone else.
      c.header("Cache-Control", "private, no-store");
      c.header("Vary", "Authorization, Cookie");
      if (check({ access: "platform_admin" }, c.var.principal) !== null)
        return c.json({ status: "ready" as const, checks }, 200);
      const { model, embedder } = c.var.services;
      const providers = {
        model: model.id,
        degraded: model.degraded,
        embedder: embedder.model,
        breakers: breakerSnapshots(),
        safety: safetyReadiness(c.env.AI),
      };
      return c.json({ status: "ready" as const, checks, providers }, 200);
    },
  );
}
