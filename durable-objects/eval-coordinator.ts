// One coordinator per evaluation run, named by the run id: a thin host for worker/evals. It keeps
// the run's plan and cases in its SQLite (worker/evals/run-store.ts) and drives the run from
// alarm ticks (worker/evals/run-engine.ts), never from a promise detached from any event. An
// alarm is armed whenever the run is open, and a fresh instance with an open run resumes at
// once, so a reset leaves nothing stuck.
import { DurableObject } from "cloudflare:workers";
import { getConfig } from "../worker/core/config";
import { createDb } from "../worker/core/db";
import { writeLog } from "../worker/core/logger";
import { abandonSwarms, driveRun, finishRun, isTerminal, type RunHost } from "../worker/evals/run-engine";
import { updateRun } from "../worker/evals/run-record";
import { type RunPlan, RunStore, type StoredCase } from "../worker/evals/run-store";

export type StartCase = Pick<StoredCase, "caseId" | "caseKey" | "position" | "body">;
export type CancelOutcome = { ok: false } | { ok: true; cancelled: boolean };

export class EvalCoordinator extends DurableObject<Env> {
  private readonly store: RunStore;
  private driving: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RunStore(ctx.storage.sql);
    // A fresh instance has no case in flight: an open run here was interrupted. Resume now.
    void ctx.blockConcurrencyWhile(async () => {
      const loaded = this.store.plan();
      if (loaded && (!isTerminal(loaded.counters.status) || !loaded.counters.recorded))
        await ctx.storage.setAlarm(Date.now());
    });
  }

  private get host(): RunHost {
    return {
      env: this.env,
      config: getConfig(this.env),
      store: this.store,
      setAlarm: (at) => this.ctx.storage.setAlarm(at),
      waitUntil: (work) => this.ctx.waitUntil(work),
    };
  }

  // ---- RPC from the Worker (which has checked the caller, the workspace and the request).

  async start(plan: RunPlan, cases: StartCase[]): Promise<void> {
    if (this.store.plan()) return;
    const startedAt = Date.now();
    this.store.create(
      plan,
      { status: "running", reason: null, startedAt, endedAt: null, tokensUsed: 0, costUsd: 0, recorded: false },
      cases,
    );
    await updateRun(createDb(this.env.DB), plan.runId, plan.workspaceId, { status: "running", startedAt });
    await this.ctx.storage.setAlarm(startedAt);
  }

  /** Wakes an evicted instance (its constructor resumes the run). */
  async poke(): Promise<void> {}

  async cancel(workspaceId: string, by: string): Promise<CancelOutcome> {
    const loaded = this.store.plan();
    if (!loaded || loaded.plan.workspaceId !== workspaceId) return { ok: false };
    if (isTerminal(loaded.counters.status)) return { ok: true, cancelled: false };
    // Agent turns in flight finish and are recorded; swarm runs in flight are cancelled. No case starts after this.
    const reason = `cancelled by ${by}`;
    await abandonSwarms(this.host, createDb(this.env.DB), loaded.plan, reason);
    await finishRun(this.host, "cancelled", reason);
    return { ok: true, cancelled: true };
  }

  override async alarm(): Promise<void> {
    this.driving ??= driveRun(this.host)
      .catch((err: unknown) => {
        writeLog("error", "eval_run_tick_failed", { error: err instanceof Error ? err.message : String(err) });
        throw err;
      })
      .finally(() => {
        this.driving = null;
      });
    await this.driving;
  }
}
