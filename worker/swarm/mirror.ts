// The coordinator's record in D1 (swarm_runs, swarm_steps): what the API lists and what stays
// after the run. Steps are upserted by (run_id, seq), so writing one twice (a resume after
// eviction, the full re-sync at the end) leaves one row. While a run works, what changed is
// written as one batch every MIRROR_INTERVAL_MS at most (open runs are read live from the
// coordinator); the end of a run is written at once.
import { and, eq, sql } from "drizzle-orm";
import { createDb, type Database } from "../core/db";
import { swarmRuns, swarmSteps } from "../core/db/schema";
import { newId } from "../core/ids";
import { writeLog } from "../core/logger";
import type { RunState, StepRecord } from "./run-state";

const runUpdate = (db: Database, s: RunState) =>
  db
    .update(swarmRuns)
    .set({
      status: s.status,
      reason: s.reason,
      output: s.output,
      tokensUsed: s.tokensUsed,
      stepsUsed: s.stepsUsed,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      deadlineAt: s.deadlineAt,
    })
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
    traceId: r.traceId,
  };
  return db
    .insert(swarmSteps)
    .values({ id: newId("step"), workspaceId: run.workspaceId, runId: run.id, seq: r.seq, ...values })
    .onConflictDoUpdate({
      target: [swarmSteps.runId, swarmSteps.seq],
      set: values,
      setWhere: sql`${swarmSteps.workspaceId} = ${run.workspaceId}`,
    });
};

export interface MirrorSource {
  run(): RunState | null;
  stepBySeq(seq: number): StepRecord | null;
}

/** At most one D1 write this often while a run works; the end of the run is written at once. */
export const MIRROR_INTERVAL_MS = 2_000;

export class SwarmRunMirror {
  private readonly db: Database;
  private readonly steps = new Set<number>();
  private runChanged = false;
  private flushing: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = 0;
  private failed = false;

  constructor(
    d1: D1Database,
    private readonly source: MirrorSource,
    private readonly intervalMs = MIRROR_INTERVAL_MS,
  ) {
    this.db = createDb(d1);
  }

  step(seq: number): void {
    this.steps.add(seq);
    this.schedule();
  }

  run(): void {
    this.runChanged = true;
    this.schedule();
  }

  /** Writes everything marked so far, now; false if any write since the last call failed. */
  async settled(): Promise<boolean> {
    for (;;) {
      this.cancelTimer();
      if (this.flushing) await this.flushing;
      else if (this.dirty()) await this.start();
      else break;
    }
    const ok = !this.failed;
    this.failed = false;
    return ok;
  }

  private dirty(): boolean {
    return this.steps.size > 0 || this.runChanged;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // Locally D1 shares the coordinator's thread, so a write per settled step slowed wide fan-outs
  // by hundreds of milliseconds; a checkpoint every couple of seconds costs them nothing.
  private schedule(): void {
    if (this.flushing || this.timer) return;
    const wait = this.lastFlush + this.intervalMs - Date.now();
    if (wait <= 0) void this.start();
    else this.timer = setTimeout(() => ((this.timer = null), void this.start()), wait);
  }

  private start(): Promise<void> {
    return (this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
      this.lastFlush = Date.now();
      if (this.dirty()) this.schedule();
    }));
  }

  private async flushOnce(): Promise<void> {
    const run = this.source.run();
    if (!run) return;
    const steps = [...this.steps].map((seq) => this.source.stepBySeq(seq)).filter((s): s is StepRecord => s !== null);
    const includeRun = this.runChanged;
    this.steps.clear();
    this.runChanged = false;
    // The run row last: a reader that sees the run ended also sees its final steps.
    const [first, ...rest] = [
      ...steps.map((s) => stepUpsert(this.db, run, s)),
      ...(includeRun ? [runUpdate(this.db, run)] : []),
    ];
    if (!first) return;
    try {
      await this.db.batch([first, ...rest]);
    } catch (err) {
      this.failed = true;
      writeLog("warn", "swarm_mirror_failed", { run: run.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
