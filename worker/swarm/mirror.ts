// The coordinator's record in D1 (swarm_runs, swarm_steps): what the API lists and what stays
// after the run. Steps are upserted by (run_id, seq), so writing one twice (a retry, a resume
// after eviction, the full re-sync at the end) leaves one row. Writes are coalesced: whatever
// changed while the previous batch was in flight goes out in the next one.
import { and, eq, sql } from "drizzle-orm";
import type { RunState, StepRecord } from "../../durable-objects/swarm-store";
import { createDb, type Database } from "../core/db";
import { swarmRuns, swarmSteps } from "../core/db/schema";
import { newId } from "../core/ids";
import { writeLog } from "../core/logger";

const runUpdate = (db: Database, s: RunState) =>
  db
    .update(swarmRuns)
    .set({ status: s.status, reason: s.reason, output: s.output, tokensUsed: s.tokensUsed, stepsUsed: s.stepsUsed, startedAt: s.startedAt, endedAt: s.endedAt, deadlineAt: s.deadlineAt })
    .where(and(eq(swarmRuns.id, s.id), eq(swarmRuns.workspaceId, s.workspaceId)));

const stepUpsert = (db: Database, run: RunState, r: StepRecord) => {
  const values = {
    agentId: r.agentId,
    kind: r.role,
    key: r.key,
    round: r.round,
    status: r.status,
    input: r.input,
    output: r.output,
    vote: r.choice,
    tokensIn: r.tokensIn,
    tokensOut: r.tokensOut,
    attempts: r.attempts,
    model: r.model,
    degraded: r.degraded,
    latencyMs: r.latencyMs,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    error: r.error,
  };
  return db
    .insert(swarmSteps)
    .values({ id: newId("step"), workspaceId: run.workspaceId, runId: run.id, seq: r.seq, ...values })
    .onConflictDoUpdate({ target: [swarmSteps.runId, swarmSteps.seq], set: values, setWhere: sql`${swarmSteps.workspaceId} = ${run.workspaceId}` });
};

export interface MirrorSource {
  run(): RunState | null;
  stepBySeq(seq: number): StepRecord | null;
}

export class D1Mirror {
  private readonly db: Database;
  private readonly steps = new Set<number>();
  private runChanged = false;
  private flushing: Promise<void> | null = null;
  private failed = false;

  constructor(
    d1: D1Database,
    private readonly source: MirrorSource,
  ) {
    this.db = createDb(d1);
  }

  step(seq: number): void {
    this.steps.add(seq);
    this.kick();
  }

  run(): void {
    this.runChanged = true;
    this.kick();
  }

  /** Waits until everything marked so far was written; false if any write since the last call failed. */
  async settled(): Promise<boolean> {
    while (this.flushing) await this.flushing;
    const ok = !this.failed;
    this.failed = false;
    return ok;
  }

  private kick(): void {
    this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  private async flush(): Promise<void> {
    while (this.steps.size || this.runChanged) {
      const run = this.source.run();
      if (!run) return;
      const steps = [...this.steps].map((seq) => this.source.stepBySeq(seq)).filter((s): s is StepRecord => s !== null);
      const includeRun = this.runChanged;
      this.steps.clear();
      this.runChanged = false;
      // The run row last: a reader that sees the run ended also sees its final steps.
      const [first, ...rest] = [...steps.map((s) => stepUpsert(this.db, run, s)), ...(includeRun ? [runUpdate(this.db, run)] : [])];
      if (!first) continue;
      try {
        await this.db.batch([first, ...rest]);
      } catch (err) {
        this.failed = true;
        writeLog("warn", "swarm_mirror_failed", { run: run.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
