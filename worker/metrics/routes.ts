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
};

export function renderPrometheus(rows: { name: string; labels: string; value: number }[]): string {
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
      const rows = await c.env.COUNTERS.getByName("metrics").read();
      return c.text(renderPrometheus(rows), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    },
  );
}
