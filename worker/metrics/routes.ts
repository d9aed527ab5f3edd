// GET /metrics in the Prometheus text exposition format (platform admins; scrape with a
// platform admin's bearer token).
import { createRoute, z } from "@hono/zod-openapi";
import { commonErrors, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { breakerSnapshots } from "../core/resilience";
import { flushNow } from "./recorder";

const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

const HELP: Record<string, [string, string]> = {
  http_requests_total: ["counter", "HTTP requests by method, route pattern and status"],
  http_request_duration_ms: ["histogram", "HTTP request duration in milliseconds"],
  cache_lookups_total: ["counter", "Response cache lookups by result (hit or miss); hit ratio = hit / (hit + miss)"],
  model_calls_total: ["counter", "Model calls by provider, model and outcome"],
  model_errors_total: ["counter", "Model calls that ended in an error, by provider and model"],
  model_tokens_total: ["counter", "Model tokens by provider, model and direction (input or output)"],
  model_cost_usd_total: ["counter", "Model cost in US dollars by provider and model"],
  model_ttft_ms: ["histogram", "Time to a model call's first token in milliseconds, by provider and model"],
  model_fallbacks_total: ["counter", "Answers given by a fallback instead of the agent's model, by reason"],
  rate_limit_rejections_total: ["counter", "Requests refused by a rate limit, by limit class"],
  queue_messages_total: ["counter", "Ingestion queue messages handled, by queue, type and outcome"],
  queue_dead_letters_total: ["counter", "Ingestion messages that used up their retries, by dead-letter queue"],
  swarm_runs_total: ["counter", "Swarm runs ended, by strategy and final status"],
  safety_events_total: ["counter", "Safety findings a policy acted on, by detector, stage and action"],
};

/** Documents waiting for or in ingestion, counted from D1 at scrape time. */
async function ingestionDepth(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT status, count(*) AS n FROM documents WHERE status IN ('queued', 'processing') GROUP BY status")
    .all<{ status: string; n: number }>();
  const by = new Map(results.map((r) => [r.status, r.n]));
  return [
    "# HELP ingestion_queue_depth Documents queued for or in ingestion, across workspaces",
    "# TYPE ingestion_queue_depth gauge",
    ...["queued", "processing"].map((s) => `ingestion_queue_depth{status="${s}"} ${by.get(s) ?? 0}`),
  ];
}

export function renderPrometheus(rows: { name: string; labels: string; value: number }[], gauges: string[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const family = row.name.replace(/_(bucket|sum|count)$/, "");
    const help = HELP[family];
    if (help && !seen.has(family)) {
      seen.add(family);
      lines.push(`# HELP ${family} ${help[1]}`, `# TYPE ${family} ${help[0]}`);
    }
    lines.push(
      `${row.name}${row.labels ? `{${row.labels}}` : ""} ${Number.isInteger(row.value) ? row.value : row.value.toFixed(3)}`,
    );
  }
  lines.push(
    "# HELP circuit_breaker_open Whether a provider's circuit breaker is open in this isolate (1) or not (0)",
    "# TYPE circuit_breaker_open gauge",
  );
  const breakers = breakerSnapshots();
  for (const b of breakers) lines.push(`circuit_breaker_open{provider="${b.name}"} ${b.state === "open" ? 1 : 0}`);
  lines.push(
    "# HELP circuit_breaker_state A provider's circuit breaker in this isolate: 0 closed, 1 half-open, 2 open",
    "# TYPE circuit_breaker_state gauge",
  );
  for (const b of breakers) lines.push(`circuit_breaker_state{provider="${b.name}"} ${BREAKER_STATE_VALUE[b.state]}`);
  lines.push(
    "# HELP circuit_breaker_failure_rate Failed share of a provider's calls in its breaker's sliding window",
    "# TYPE circuit_breaker_failure_rate gauge",
  );
  for (const b of breakers)
    lines.push(`circuit_breaker_failure_rate{provider="${b.name}"} ${b.failure_rate.toFixed(3)}`);
  lines.push(...gauges);
  return `${lines.join("\n")}\n`;
}

export function registerMetrics(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/metrics",
      tags: ["health"],
      summary: "Prometheus metrics (platform admins)",
      security: SIGNED_IN_SECURITY,
      responses: {
        200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } },
        ...commonErrors,
      },
    }),
    async (c) => {
      await flushNow(c.env);
      const [rows, depth] = await Promise.all([c.env.COUNTERS.getByName("metrics").read(), ingestionDepth(c.env.DB)]);
      return c.text(renderPrometheus(rows, depth), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    },
  );
}
