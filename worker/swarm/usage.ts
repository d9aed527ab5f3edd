// Tokens a run's turns used, charged in batches rather than after each turn: the agents'
// running totals (D1) and the workspace's per-minute token budget (rate limiter, record mode),
// after a wave at most every few seconds and at the end of the run, so a wide fan-out costs one
// budget hit, not one per agent. What an evicted
// instance had not flushed yet is lost to those totals; the run's own count is in storage.
import { addAgentUsage } from "../agents/service";
import { recordUsage } from "../chat/usage";
import { createDb } from "../core/db";
import { writeLog } from "../core/logger";
import type { Usage } from "../core/providers/types";

export class UsageLedger {
  private pending = new Map<string, Usage>();
  private lastFlush = 0;

  constructor(private readonly intervalMs: number) {}

  /** Flushes unless the last flush was under `intervalMs` ago (the end of a run flushes anyway). */
  flushDue(env: Env, workspaceId: string): Promise<void> {
    return Date.now() - this.lastFlush >= this.intervalMs ? this.flush(env, workspaceId) : Promise.resolve();
  }

  add(agentId: string, usage: Usage): void {
    const u = this.pending.get(agentId) ?? { inputTokens: 0, outputTokens: 0 };
    this.pending.set(agentId, {
      inputTokens: u.inputTokens + usage.inputTokens,
      outputTokens: u.outputTokens + usage.outputTokens,
    });
  }

  async flush(env: Env, workspaceId: string): Promise<void> {
    const entries = [...this.pending];
    this.pending = new Map();
    this.lastFlush = Date.now();
    if (!entries.length) return;
    const total = entries.reduce(
      (t, [, u]) => ({ inputTokens: t.inputTokens + u.inputTokens, outputTokens: t.outputTokens + u.outputTokens }),
      { inputTokens: 0, outputTokens: 0 },
    );
    const db = createDb(env.DB);
    const results = await Promise.allSettled([
      recordUsage(env, workspaceId, null, total),
      ...entries.map(([agentId, u]) => addAgentUsage(db, workspaceId, agentId, u.inputTokens, u.outputTokens)),
    ]);
    for (const r of results)
      if (r.status === "rejected")
        writeLog("warn", "swarm_usage_record_failed", { workspace: workspaceId, error: String(r.reason) });
  }
}
