// /health and /ready. Readiness is a report, not an exception: a 503 whose envelope carries
// `details.checks` is a normal answer ("degraded"), so callers get the same shape either way.
import type { HealthResponse, ReadyCheck, ReadyProviders, ReadyResponse } from "../api-types";
import { ApiCalls } from "./calls";
import { errorFromResponse } from "./errors";
import type { CallOptions } from "./transport";

export type { HealthResponse, ReadyCheck, ReadyProviders, ReadyResponse } from "../api-types";

export interface ReadyReport {
  ready: boolean;
  checks: Record<string, ReadyCheck>;
  /** Names of the checks that failed; empty when ready. */
  failed: string[];
  /** Model, embedder and circuit breakers in use; only a 200 answer to a signed-in platform admin carries them. */
  providers: ReadyProviders | null;
  /** Present when not ready: the request to look up in the Worker's logs. */
  requestId: string | null;
}

const isCheck = (v: unknown): v is ReadyCheck =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as ReadyCheck).ok === "boolean" &&
  typeof (v as ReadyCheck).latency_ms === "number";

function asChecks(v: unknown): Record<string, ReadyCheck> | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const entries = Object.entries(v);
  return entries.every(([, c]) => isCheck(c)) ? Object.fromEntries(entries) : null;
}

export class HealthApi extends ApiCalls {
  health(opts?: CallOptions): Promise<HealthResponse> {
    return this.read<HealthResponse>("/health", {}, opts);
  }

  async ready(opts?: CallOptions): Promise<ReadyReport> {
    const raw = await this.http.send("GET", "/ready", undefined, opts);
    if (raw.status === 200) {
      const body = raw.body as Partial<ReadyResponse> | null;
      const checks = asChecks(body?.checks);
      if (checks) return { ready: true, checks, failed: [], providers: body?.providers ?? null, requestId: null };
    }
    const error = errorFromResponse(raw.status, raw.body, raw.requestId);
    const checks = raw.status === 503 ? asChecks(error.details.checks) : null;
    // A 503 without checks (e.g. "Service misconfigured") is not a readiness report.
    if (!checks) throw error;
    const failed = Array.isArray(error.details.failed)
      ? error.details.failed.filter((f): f is string => typeof f === "string")
      : Object.keys(checks).filter((name) => !checks[name]?.ok);
    return { ready: false, checks, failed, providers: null, requestId: error.requestId };
  }
}
