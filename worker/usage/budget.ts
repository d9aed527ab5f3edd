// A workspace's monthly spending limit, checked before every model call (beside the chat_tokens
// probe in ratelimit/middleware.ts, in the MCP tool and before each swarm step): month-to-date
// cost at or over the limit refuses the call with 429 BUDGET_EXCEEDED. Crossing `warn_ratio` of
// it raises one `budget.warning` audit row and log line a month (a conditional UPDATE of
// `warned_month` decides which request raises it). The hot path reads no D1: the budget is cached
// per isolate for 10 s and the month's spend for 5 s, and an isolate adds what its own calls
// cost to its cached spend at once; other isolates see it when their entry expires, so the hard
// stop can lag a few seconds behind the spend.
import type { BudgetStatus } from "@hive/shared/api-types/usage";
import { and, eq, gte, isNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../core/db";
import { auditLogs, usageEvents, workspaceBudgets } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { IsolateCache } from "../core/isolate-cache";
import { writeLog } from "../core/logger";
import { activeSpan } from "../core/trace/tracer";

const BUDGET_TTL_SECONDS = 10;
const SPEND_TTL_MS = 5_000;

type BudgetRow = typeof workspaceBudgets.$inferSelect;

const budgets = new IsolateCache<BudgetRow | null>(/\/api\/workspaces\/[^/]+\/budget$/);
const spends = new Map<string, { usd: number; month: string; until: number }>();

/** "YYYY-MM" of `now` (UTC) and the month's first millisecond. */
export function monthOf(now = Date.now()): { month: string; start: number } {
  const d = new Date(now);
  return { month: d.toISOString().slice(0, 7), start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) };
}

/** This isolate's own calls cost `usd` more: its cached spend follows at once. */
export function noteSpend(workspaceId: string, usd: number): void {
  const hit = spends.get(workspaceId);
  if (hit && usd > 0) hit.usd += usd;
}

export async function loadBudget(db: Database, workspaceId: string): Promise<BudgetRow | null> {
  const hit = budgets.get(workspaceId);
  if (hit !== undefined) return hit;
  const row = (await db.select().from(workspaceBudgets).where(eq(workspaceBudgets.workspaceId, workspaceId)))[0];
  budgets.set(workspaceId, row ?? null, BUDGET_TTL_SECONDS);
  return row ?? null;
}

export async function monthSpend(db: Database, workspaceId: string, fresh = false): Promise<number> {
  const { month, start } = monthOf();
  const hit = spends.get(workspaceId);
  if (!fresh && hit && hit.month === month && hit.until > Date.now()) return hit.usd;
  const [row] = await db
    .select({ usd: sql<number>`coalesce(sum(${usageEvents.costUsd}), 0)` })
    .from(usageEvents)
    .where(and(eq(usageEvents.workspaceId, workspaceId), gte(usageEvents.createdAt, start)));
  const usd = row?.usd ?? 0;
  if (spends.size >= 10_000) spends.clear();
  spends.set(workspaceId, { usd, month, until: Date.now() + SPEND_TTL_MS });
  return usd;
}

export function budgetStatus(row: BudgetRow, spent: number): BudgetStatus {
  const { month } = monthOf();
  return {
    monthly_usd: row.monthlyUsd,
    spent_usd: spent,
    warn_ratio: row.warnRatio,
    warned: row.warnedMonth === month,
    exceeded: spent >= row.monthlyUsd,
  };
}

/** Raises this month's warning if nobody has yet: true when this call raised it. */
async function raiseWarning(db: Database, row: BudgetRow, spent: number): Promise<boolean> {
  const { month } = monthOf();
  const claimed = await db
    .update(workspaceBudgets)
    .set({ warnedMonth: month })
    .where(
      and(
        eq(workspaceBudgets.workspaceId, row.workspaceId),
        or(isNull(workspaceBudgets.warnedMonth), ne(workspaceBudgets.warnedMonth, month)),
      ),
    )
    .returning({ workspaceId: workspaceBudgets.workspaceId });
  if (!claimed.length) return false;
  const detail = { month, spent_usd: spent, monthly_usd: row.monthlyUsd, warn_ratio: row.warnRatio };
  await db.insert(auditLogs).values({
    id: newId("aud"),
    workspaceId: row.workspaceId,
    actorId: null,
    actorKind: "system",
    action: "budget.warning",
    targetType: "workspace",
    targetId: row.workspaceId,
    outcome: "success",
    traceId: activeSpan()?.context.traceId ?? null,
    detail,
  });
  writeLog("warn", "budget_warning", { workspace: row.workspaceId, ...detail });
  budgets.set(row.workspaceId, { ...row, warnedMonth: month }, BUDGET_TTL_SECONDS);
  return true;
}

/**
 * The workspace's budget now: null without one. Raises the month's warning when the spend has
 * crossed its threshold and nobody has raised it yet.
 */
export async function currentBudget(db: Database, workspaceId: string, fresh = false): Promise<BudgetStatus | null> {
  const row = await loadBudget(db, workspaceId);
  if (!row) return null;
  const spent = await monthSpend(db, workspaceId, fresh);
  const status = budgetStatus(row, spent);
  if (!status.warned && spent >= row.warnRatio * row.monthlyUsd && (await raiseWarning(db, row, spent)))
    status.warned = true;
  return status;
}

/** Before a model call: refuses it once the month's spend has reached the workspace's limit. */
export async function checkBudget(db: Database, workspaceId: string): Promise<void> {
  const status = await currentBudget(db, workspaceId);
  if (!status?.exceeded) return;
  const { monthly_usd, spent_usd } = status;
  throw new ApiError(
    "BUDGET_EXCEEDED",
    `This workspace's monthly model budget of $${monthly_usd} is spent ($${spent_usd.toFixed(4)} so far); a workspace admin can raise it`,
    { details: { monthly_usd, spent_usd, openai_code: "insufficient_quota" } },
  );
}
