// Kept traces written straight into D1, as the tracer's sink would write them, so the read path
// (worker/traces) is tested on its own: every column can be set, every filter exercised.
import { env } from "cloudflare:test";

export interface TraceSeed {
  traceId?: string;
  workspaceId: string | null;
  name?: string;
  route?: string | null;
  method?: string | null;
  status?: number | null;
  durationMs?: number;
  error?: boolean;
  agentId?: string | null;
  conversationId?: string | null;
  runId?: string | null;
  userId?: string | null;
  startedAt?: number;
  keptBecause?: string;
}

export interface SpanSeed {
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  kind?: string;
  /** Milliseconds after the trace started. */
  offsetMs: number;
  durationMs: number;
  status?: "unset" | "ok" | "error";
  statusMessage?: string | null;
  attributes?: Record<string, string | number | boolean>;
  events?: unknown[];
}

const hex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Inserts one trace row and its spans; returns the trace id. */
export async function insertTrace(seed: TraceSeed, spans: SpanSeed[] = []): Promise<string> {
  const traceId = seed.traceId ?? hex(16);
  const startedAt = seed.startedAt ?? Date.now();
  const statements = [
    env.DB.prepare(
      `INSERT INTO traces (trace_id, workspace_id, user_id, name, method, route, status, duration_ms, error, blocked,
         degraded, agent_id, conversation_id, run_id, span_count, kept_because, started_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, ?10, ?11, ?12, ?13, ?14, ?15)`,
    ).bind(
      traceId,
      seed.workspaceId,
      seed.userId ?? null,
      seed.name ?? `${seed.method ?? "GET"} ${seed.route ?? "/api/agents"}`,
      seed.method === undefined ? "GET" : seed.method,
      seed.route === undefined ? "/api/agents" : seed.route,
      seed.status === undefined ? 200 : seed.status,
      seed.durationMs ?? 12.5,
      seed.error ? 1 : 0,
      seed.agentId ?? null,
      seed.conversationId ?? null,
      seed.runId ?? null,
      spans.length,
      seed.keptBecause ?? (seed.error ? "error" : "sampled"),
      startedAt,
    ),
    ...spans.map((s) =>
      env.DB.prepare(
        `INSERT INTO trace_spans (trace_id, span_id, parent_span_id, name, kind, start_ms, duration_ms, status,
           status_message, attributes, events) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
      ).bind(
        traceId,
        s.spanId,
        s.parentSpanId ?? null,
        s.name,
        s.kind ?? "internal",
        startedAt + s.offsetMs,
        s.durationMs,
        s.status ?? "unset",
        s.statusMessage ?? null,
        JSON.stringify(s.attributes ?? {}),
        s.events ? JSON.stringify(s.events) : null,
      ),
    ),
  ];
  await env.DB.batch(statements);
  return traceId;
}
