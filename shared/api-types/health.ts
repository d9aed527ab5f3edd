// GET /health (liveness) and GET /ready (D1, KV and a Durable Object round trip).
import type { SafetyReadiness } from "./safety";
export interface HealthResponse {
  status: "ok";
  service: "liquid-hive";
  environment: string;
  time: string;
}

export interface CircuitBreaker {
  name: string;
  state: "closed" | "open" | "half_open";
  failures: number;
  opened_at: number | null;
  retry_after_ms: number;
  /** Failed share of the calls in the breaker's sliding window (0-1). */
  failure_rate: number;
  window_requests: number;
}

export interface ReadyCheck {
  ok: boolean;
  latency_ms: number;
  error?: string;
}

export interface ReadyProviders {
  model: string;
  degraded: boolean;
  embedder: string;
  breakers: CircuitBreaker[];
  safety: SafetyReadiness;
}

export interface ReadyResponse {
  status: "ready";
  checks: Record<string, ReadyCheck>;
  /** Platform admins only: the providers and safety detectors in use and this isolate's circuit breakers. */
  providers?: ReadyProviders;
}
