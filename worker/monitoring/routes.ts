// GET /api/monitoring: the current workspace's requests, 5xx errors, p50/p95 latency, model
// calls, tokens and cost over the last hour, day or week, in time buckets, with rows per agent
// (only agents the caller may see) and per model. Requests come from the per-minute buckets the
// request recorder keeps per workspace (worker/metrics/monitor-buckets.ts); tokens and cost
// from usage_events.
import { MONITORING_BUCKET_MS, type MonitoringWindow } from "@hive/shared/api-types/monitoring";
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { visibleAgents } from "../agents/access";
import type { Database } from "../core/db";
import { agents, usageEvents } from "../core/db/schema";
import { notFound } from "../core/errors";
import type { Router } from "../core/openapi";
import type { AuthenticatedPrincipal } from "../core/principal";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { flushNow } from "../metrics/recorder";
import { MonitoringQuery, type MonitoringResponse, MonitoringResponse as ResponseSchema } from "./schemas";
import { Tally, tallyOf, type UsageSum } from "./tally";

const WINDOW_MS: Record<MonitoringWindow, number> = { "1h": 3600_000, "24h": 24 * 3600_000, "7d": 7 * 24 * 3600_000 };

async function usageSums(
  db: Database,
  workspaceId: string,
  from: number,
  to: number,
  bucketMs: number,
  agentId?: string,
) {
  const u = usageEvents;
  return (await db
    .select({
      bucket: sql<number>`cast((${u.createdAt} - ${from}) / ${bucketMs} as integer)`.as("bucket"),
      agentId: u.agentId,
      provider: u.provider,
      model: u.model,
      calls: sql<number>`count(*)`,
      errors: sql<number>`coalesce(sum(case when ${u.outcome} = 'error' then 1 else 0 end), 0)`,
      inputTokens: sql<number>`coalesce(sum(${u.inputTokens}), 0)`,
      outputTokens: sql<number>`coalesce(sum(${u.outputTokens}), 0)`,
      costUsd: sql<number>`coalesce(sum(${u.costUsd}), 0)`,
      latencyMs: sql<number>`coalesce(sum(${u.latencyMs}), 0)`,
      latencyCount: sql<number>`count(${u.latencyMs})`,
    })
    .from(u)
    .where(
      and(
        eq(u.workspaceId, workspaceId),
        gte(u.createdAt, from),
        lt(u.createdAt, to),
        agentId ? eq(u.agentId, agentId) : undefined,
      ),
    )
    .groupBy(sql`bucket`, u.agentId, u.provider, u.model)) satisfies UsageSum[];
}

/** Names of the agents among `ids` the caller may see. */
async function visibleNames(db: Database, p: AuthenticatedPrincipal, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(and(visibleAgents(p), inArray(agents.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function modelRows(usage: UsageSum[]): MonitoringResponse["models"] {
  const by = new Map<string, UsageSum>();
  for (const u of usage) {
    const key = `${u.provider}\n${u.model}`;
    const cur = by.get(key);
    if (!cur) by.set(key, { ...u });
    else
      for (const k of [
        "calls",
        "errors",
        "inputTokens",
        "outputTokens",
        "costUsd",
        "latencyMs",
        "latencyCount",
      ] as const)
        cur[k] += u[k];
  }
  return [...by.values()]
    .sort((a, b) => b.calls - a.calls)
    .map((m) => ({
      provider: m.provider,
      model: m.model,
      calls: m.calls,
      errors: m.errors,
      input_tokens: m.inputTokens,
      output_tokens: m.outputTokens,
      cost_usd: Math.round(m.costUsd * 1e6) / 1e6,
      avg_latency_ms: m.latencyCount ? Math.round(m.latencyMs / m.latencyCount) : null,
    }));
}

export function registerMonitoring(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/monitoring",
      tags: ["monitoring"],
      summary: "Requests, errors, latency, tokens and cost of the current workspace over a window",
      query: MonitoringQuery,
      ok: [ResponseSchema, "Time series and breakdowns per agent and per model"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { window, agent_id: agentId } = c.req.valid("query");
      const db = c.var.services.db;
      if (agentId && (await visibleNames(db, p, [agentId])).size === 0) throw notFound("Agent");

      const bucketMs = MONITORING_BUCKET_MS[window];
      const to = Math.ceil((Date.now() + 1) / bucketMs) * bucketMs;
      const from = to - WINDOW_MS[window];
      const count = WINDOW_MS[window] / bucketMs;
      // This isolate's not yet flushed minutes belong in the answer.
      await flushNow(c.env);
      const [series, usage] = await Promise.all([
        c.env.COUNTERS.getByName(`monitor:${p.workspaceId}`).readSeries(from, agentId),
        usageSums(db, p.workspaceId, from, to, bucketMs, agentId),
      ]);

      const buckets = Array.from({ length: count }, () => new Tally());
      const totals = new Tally();
      const perAgent = new Map<string, Tally>();
      for (const row of series) {
        const at = Math.floor((row.minute - from) / bucketMs);
        if (at < 0 || at >= count) continue;
        buckets[at]?.addSeries(row);
        totals.addSeries(row);
        if (row.agent) tallyOf(perAgent, row.agent).addSeries(row);
      }
      for (const u of usage) {
        buckets[u.bucket]?.addUsage(u);
        totals.addUsage(u);
        if (u.agentId) tallyOf(perAgent, u.agentId).addUsage(u);
      }
      const names = await visibleNames(db, p, [...perAgent.keys()].slice(0, 500));
      const agentRows = [...perAgent]
        .filter(([id]) => names.has(id))
        .map(([id, t]) => ({ agent_id: id, name: names.get(id) ?? id, ...t.figures() }))
        .sort((a, b) => b.requests + b.model_calls - (a.requests + a.model_calls));

      const body: MonitoringResponse = {
        window,
        bucket_ms: bucketMs,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        agent_id: agentId ?? null,
        totals: totals.figures(),
        series: buckets.map((b, i) => ({ t: new Date(from + i * bucketMs).toISOString(), ...b.figures() })),
        agents: agentRows,
        models: modelRows(usage),
      };
      return c.json(body, 200);
    },
  );
}
