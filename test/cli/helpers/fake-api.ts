import type { ErrorEnvelope, HealthResponse, ReadyResponse } from "@hive/shared/api-types";
import { listenLocal } from "./local-server";

export type Mode = "healthy" | "degraded" | "misconfigured";

const checks = (failed: boolean): ReadyResponse["checks"] => ({
  d1: { ok: true, latency_ms: 2 },
  kv: { ok: true, latency_ms: 1 },
  durable_objects: failed
    ? { ok: false, latency_ms: 3000, error: "timed out after 3000 ms" }
    : { ok: true, latency_ms: 4 },
});

const providers: ReadyResponse["providers"] = {
  model: "offline-extractive",
  degraded: true,
  embedder: "local-hash-384",
  breakers: [
    {
      name: "model",
      state: "open",
      failures: 5,
      opened_at: 1767268800000,
      retry_after_ms: 30000,
      failure_rate: 0.6,
      window_requests: 10,
    },
  ],
  safety: {
    detectors: [
      { id: "injection", sources: ["local"] },
      { id: "pii", sources: ["local"] },
      { id: "secrets", sources: ["local"] },
      { id: "moderation", sources: ["local-lexicon"] },
      { id: "canary", sources: ["local"] },
    ],
    moderation: "local-lexicon",
  },
};

const envelope = (
  code: ErrorEnvelope["error"]["code"],
  message: string,
  details: Record<string, unknown>,
): ErrorEnvelope => ({
  error: { code, message, details, timestamp: "2026-01-01T12:00:00.000Z", request_id: "req_fake123" },
});

/** The access token of a signed-in platform admin; any other bearer is refused as expired. */
export const PLATFORM_ADMIN_TOKEN = "jwt-platform-admin";

export interface FakeApi {
  url: string;
  mode: Mode;
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  const api = { mode: "healthy" as Mode };
  const server = await listenLocal((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "req_fake123" });
      res.end(JSON.stringify(body));
    };
    if (api.mode === "misconfigured") {
      return send(503, envelope("UNAVAILABLE", "Service misconfigured", { keys: ["JWT_KEYS"] }));
    }
    if (req.url === "/health") {
      const body: HealthResponse = {
        status: "ok",
        service: "liquid-hive",
        environment: "test",
        time: "2026-01-01T12:00:00.000Z",
      };
      return send(200, body);
    }
    // Saved logins in these tests hold a spent refresh token, as after 30 days.
    if (req.url === "/api/auth/refresh")
      return send(401, envelope("UNAUTHENTICATED", "Refresh token expired or revoked", {}));
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== undefined && bearer !== PLATFORM_ADMIN_TOKEN)
      return send(401, envelope("UNAUTHENTICATED", "Invalid or expired token", {}));
    if (req.url === "/ready") {
      if (api.mode === "healthy") {
        const body: ReadyResponse = {
          status: "ready",
          checks: checks(false),
          ...(bearer === PLATFORM_ADMIN_TOKEN ? { providers } : {}),
        };
        return send(200, body);
      }
      return send(
        503,
        envelope("UNAVAILABLE", "Not ready: durable_objects failed", {
          failed: ["durable_objects"],
          checks: checks(true),
        }),
      );
    }
    send(404, envelope("NOT_FOUND", `No route for ${req.method} ${req.url}`, {}));
  });
  return Object.assign(api, server);
}
