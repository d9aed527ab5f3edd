// The usage report: a workspace's model calls in a window, summed and grouped by agent, model,
// day (UTC) or user, with a readable label per group. Agents the caller may not see are labelled
// by id only; grouping by user is for workspace admins (routes.ts).
import type { UsageAmounts, UsageGroup, UsageGroupBy } from "@hive/shared/api-types/usage";
import { and, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { visibleAgents } from "../agents/access";
import type { Database } from "../core/db";
import { agents, usageEvents, users } from "../core/db/schema";
import type { AuthenticatedPrincipal } from "../core/principal";
import { priceIn, priceOverrides, splitLabel } from "./prices";

const MAX_GROUPS = 500;

const KEYS: Record<UsageGroupBy, SQL<string>> = {
  agent: sql<string>`coalesce(${usageEvents.agentId}, '')`,
  model: sql<string>`${usageEvents.provider} || ':' || ${usageEvents.model}`,
  day: sql<string>`strftime('%Y-%m-%d', ${usageEvents.createdAt} / 1000, 'unixepoch')`,
  user: sql<string>`coalesce(${usageEvents.userId}, '')`,
};

const amounts = {
  calls: sql<number>`count(*)`,
  input_tokens: sql<number>`coalesce(sum(${usageEvents.inputTokens}), 0)`,
  output_tokens: sql<number>`coalesce(sum(${usageEvents.outputTokens}), 0)`,
  cost_usd: sql<number>`coalesce(sum(${usageEvents.costUsd}), 0)`,
  neurons: sql<number>`coalesce(sum(${usageEvents.neurons}), 0)`,
};

export interface Window {
  from: number;
  to: number;
}

async function labels(
  db: Database,
  p: AuthenticatedPrincipal,
  by: UsageGroupBy,
  keys: string[],
): Promise<Map<string, string>> {
  const ids = keys.filter(Boolean);
  if (!ids.length) return new Map();
  if (by === "agent") {
    const rows = await db
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(and(visibleAgents(p), inArray(agents.id, ids.slice(0, 90))));
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  if (by === "user") {
    const rows = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, ids.slice(0, 90)));
    return new Map(rows.map((r) => [r.id, r.name || r.email]));
  }
  return new Map();
}

const fallbackLabel: Record<UsageGroupBy, (key: string) => string> = {
  agent: (k) => (k ? k : "No agent (raw model calls)"),
  model: (k) => k,
  day: (k) => k,
  user: (k) => (k ? k : "No user"),
};

export async function usageReport(
  db: Database,
  p: AuthenticatedPrincipal,
  by: UsageGroupBy,
  window: Window,
): Promise<{ totals: UsageAmounts; groups: UsageGroup[] }> {
  const where = and(
    eq(usageEvents.workspaceId, p.workspaceId),
    gte(usageEvents.createdAt, window.from),
    lt(usageEvents.createdAt, window.to),
  );
  const key = KEYS[by];
  const [totals, rows] = await Promise.all([
    db.select(amounts).from(usageEvents).where(where),
    db
      .select({ key, ...amounts })
      .from(usageEvents)
      .where(where)
      .groupBy(key)
      .orderBy(by === "day" ? key : sql`4 desc`)
      .limit(MAX_GROUPS),
  ]);
  const [names, overrides] = await Promise.all([
    labels(
      db,
      p,
      by,
      rows.map((r) => r.key),
    ),
    by === "model" ? priceOverrides(db) : null,
  ]);
  const groups = rows.map((r): UsageGroup => {
    const group = { ...r, label: names.get(r.key) ?? fallbackLabel[by](r.key) };
    if (!overrides) return group;
    const { provider, model } = splitLabel(r.key);
    return { ...group, priced: priceIn(overrides, provider, model) !== null };
  });
  const zero = { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, neurons: 0 };
  return { totals: totals[0] ?? zero, groups };
}

/** Calls, tokens and cost charged to one agent, conversation or run (the caller has already been allowed to see it). */
export async function usageTotals(
  db: Database,
  workspaceId: string,
  column: "agentId" | "conversationId" | "runId",
  id: string,
  since = 0,
): Promise<{ calls: number; tokens: number; cost_usd: number }> {
  const [row] = await db
    .select({
      calls: amounts.calls,
      tokens: sql<number>`coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0)`,
      cost_usd: amounts.cost_usd,
    })
    .from(usageEvents)
    .where(
      and(eq(usageEvents.workspaceId, workspaceId), eq(usageEvents[column], id), gte(usageEvents.createdAt, since)),
    );
  return row ?? { calls: 0, tokens: 0, cost_usd: 0 };
}
