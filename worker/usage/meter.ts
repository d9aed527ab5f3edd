// The one hook every model call reports to: callModel hands its result to the turn's meter,
// which prices it and keeps a `usage_events` row charged to whom the caller named (the
// UsageContext travels down with the loop's options, never guessed from the call). The host
// writes the rows where it already writes: a chat turn with its final D1 batch, a swarm step
// before it answers the coordinator, /v1 after the completion in waitUntil.

import type { UsageSurface } from "@hive/shared/api-types/usage";
import type { BatchItem } from "drizzle-orm/batch";
import type { ModelCallResult } from "../chat/model-call";
import type { Database } from "../core/db";
import { usageEvents } from "../core/db/schema";
import { newId } from "../core/ids";
import { writeLog } from "../core/logger";
import { activeSpan } from "../core/trace/tracer";
import { recordModelCost } from "../metrics/recorder";
import { noteSpend } from "./budget";
import { costOf, priceIn, priceOverrides, splitLabel } from "./prices";

/** Whom a model call is charged to. */
export interface UsageContext {
  workspaceId: string;
  userId: string | null;
  agentId: string | null;
  agentVersion: number | null;
  conversationId?: string | null;
  runId?: string | null;
  evalRunId?: string | null;
  surface: UsageSurface;
}

type UsageRow = typeof usageEvents.$inferInsert;

export class UsageMeter {
  private pending: Promise<UsageRow>[] = [];

  constructor(
    private readonly db: Database,
    readonly context: UsageContext,
  ) {}

  /** One model call finished (whatever its outcome): price it and keep its row. */
  record(r: ModelCallResult): void {
    const base = {
      id: newId("use"),
      traceId: activeSpan()?.context.traceId ?? null,
      createdAt: Date.now(),
    };
    this.pending.push(this.row(r, base));
  }

  private async row(r: ModelCallResult, base: Pick<UsageRow, "id" | "traceId" | "createdAt">): Promise<UsageRow> {
    const c = this.context;
    const { model } = splitLabel(r.model);
    const overrides = await priceOverrides(this.db).catch((err: unknown) => {
      // Priced from the defaults alone rather than losing the row.
      writeLog("warn", "model_prices_unavailable", { error: String(err) });
      return new Map();
    });
    const cost = costOf(priceIn(overrides, r.provider, model), r.usage);
    recordModelCost(r.model, cost.costUsd);
    return {
      ...base,
      workspaceId: c.workspaceId,
      userId: c.userId,
      agentId: c.agentId,
      agentVersion: c.agentVersion,
      conversationId: c.conversationId ?? null,
      runId: c.runId ?? null,
      evalRunId: c.evalRunId ?? null,
      surface: c.surface,
      provider: r.provider,
      model,
      inputTokens: r.usage.inputTokens,
      outputTokens: r.usage.outputTokens,
      costUsd: cost.costUsd,
      neurons: cost.neurons,
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs ?? null,
      outcome: r.outcome,
      degraded: r.degraded,
    };
  }

  /** The inserts for the calls recorded since the last take, for the host's own D1 batch. */
  async take(): Promise<BatchItem<"sqlite">[]> {
    const rows = await Promise.all(this.pending.splice(0));
    if (rows.length)
      noteSpend(
        this.context.workspaceId,
        rows.reduce((s, r) => s + (r.costUsd ?? 0), 0),
      );
    // One statement per row: D1 binds at most 100 parameters per statement.
    return rows.map((row) => this.db.insert(usageEvents).values(row));
  }

  /** Writes what `take` returns, on its own. */
  async flush(): Promise<void> {
    const [first, ...rest] = await this.take();
    if (first) await this.db.batch([first, ...rest]);
  }
}
