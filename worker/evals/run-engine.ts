// How an evaluation run goes, driven from the coordinator's alarm ticks
// (durable-objects/eval-coordinator.ts): each tick keeps up to `concurrency` cases in flight for a
// slice of time, then hands over to the next alarm. A case is claimed in the object's storage
// before it runs and marked done after its result is in D1, so an instance that dies mid-case
// leaves it `running`: the next instance runs it again (at most MAX_ATTEMPTS times in all) and
// the result row, keyed by run and case, is written once. Budgets and cancellation are checked
// before every case; what is in flight then finishes and is recorded.
import type { EvalRunStatus, EvalScore } from "@hive/shared/api-types/evals";
import { createDb, type Database } from "../core/db";
import { writeLog } from "../core/logger";
import { inSegment, markSegment, type SegmentHost } from "../core/trace/segment";
import { activeSpan } from "../core/trace/tracer";
import { currentBudget } from "../usage/budget";
import { UsageMeter } from "../usage/meter";
import { scoreWith } from "./case-expectations";
import { judgeCase } from "./judges";
import type { TurnObservation } from "./observe";
import { runAgentCase } from "./run-case";
import { progressColumns, type Spent, spentBy, updateRun, writeResult } from "./run-record";
import type { AgentTarget, RunCounters, RunPlan, RunStore, StoredCase, SwarmTarget } from "./run-store";
import { summarize } from "./run-summary";
import { cancelSwarm, observableInSwarms, startSwarmCase, swarmOutcome } from "./run-swarm-case";

export const MAX_ATTEMPTS = 2;
/** A tick hands over to the next alarm after this long, well inside the alarm handler's limit. */
const SLICE_MS = 60_000;
/** Armed while a slice runs: if the instance dies, this alarm wakes the next one to resume. */
const WATCHDOG_MS = SLICE_MS + 30_000;
const RECORD_RETRY_MS = 10_000;
/** How often a tick reads the D1 status of the swarm runs an evaluation over a swarm waits for. */
const SWARM_POLL_MS = 1_000;

const TERMINAL: readonly EvalRunStatus[] = ["succeeded", "failed", "cancelled", "budget_exceeded"];
export const isTerminal = (s: EvalRunStatus) => TERMINAL.includes(s);

export interface RunHost extends SegmentHost {
  env: Env;
  store: RunStore;
  setAlarm(at: number): Promise<void>;
  waitUntil(work: Promise<unknown>): void;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** How a run ends early, and why. */
type Stop = { status: EvalRunStatus; reason: string };

/** Why the run must stop now, or null. */
function stopReason(plan: RunPlan, c: RunCounters, now: number): Stop | null {
  if (isTerminal(c.status)) return { status: c.status, reason: c.reason ?? c.status };
  if (plan.budgetTokens !== null && c.tokensUsed >= plan.budgetTokens)
    return { status: "budget_exceeded", reason: `token budget used: ${c.tokensUsed} of ${plan.budgetTokens}` };
  if (plan.budgetMs !== null && now - c.startedAt >= plan.budgetMs)
    return { status: "budget_exceeded", reason: `time budget used: ${plan.budgetMs} ms` };
  return null;
}

/**
 * The workspace's monthly model budget, read fresh (not the few-second spend cache chat uses): a run
 * started under it stops before the first case after it is spent, as a swarm run stops at its next
 * step. What is in flight then finishes and is charged.
 */
async function workspaceBudgetStop(db: Database, plan: RunPlan): Promise<Stop | null> {
  const budget = await currentBudget(db, plan.workspaceId, true);
  if (!budget?.exceeded) return null;
  const spent = `$${budget.spent_usd.toFixed(4)} of $${budget.monthly_usd}`;
  return { status: "budget_exceeded", reason: `the workspace's monthly model budget is spent (${spent})` };
}

function progress(store: RunStore, counters: RunCounters) {
  const done = store.cases().filter((c) => c.status === "done");
  return {
    casesDone: done.length,
    tokensUsed: counters.tokensUsed,
    costUsd: counters.costUsd,
    summary: summarize(done.map((c) => ({ scores: c.scores, tags: c.body.tags ?? [] }))),
  };
}

/** Ends the run (once) and writes its final state to D1; until that succeeds an alarm retries it. */
export async function finishRun(host: RunHost, status: EvalRunStatus, reason: string | null): Promise<void> {
  const loaded = host.store.plan();
  if (!loaded) return;
  const { plan } = loaded;
  let { counters } = loaded;
  if (!isTerminal(counters.status)) {
    counters = { ...counters, status, reason, endedAt: Date.now() };
    host.store.saveCounters(counters);
  }
  await recordEnd(host, plan, counters);
}

async function recordEnd(host: RunHost, plan: RunPlan, counters: RunCounters): Promise<void> {
  try {
    await updateRun(createDb(host.env.DB), plan.runId, plan.workspaceId, {
      ...progressColumns(progress(host.store, counters)),
      status: counters.status,
      reason: counters.reason,
      endedAt: counters.endedAt,
    });
    host.store.saveCounters({ ...(host.store.plan()?.counters ?? counters), recorded: true });
  } catch (err) {
    writeLog("warn", "eval_run_record_failed", { run: plan.runId, error: describe(err) });
    await host.setAlarm(Date.now() + RECORD_RETRY_MS);
  }
}

/** One alarm tick. */
export async function driveRun(host: RunHost): Promise<void> {
  const loaded = host.store.plan();
  if (!loaded) return;
  const { plan, counters } = loaded;
  if (isTerminal(counters.status)) {
    if (!counters.recorded) await recordEnd(host, plan, counters);
    return;
  }
  const db = createDb(host.env.DB);
  // Cases a dead instance left running: retried, or recorded as failed after their last attempt.
  for (const c of host.store.reclaim(MAX_ATTEMPTS))
    await recordCase(host, db, plan, c, { error: "the case was interrupted on every attempt" });

  const target = plan.target;
  if (target.kind === "swarm") return swarmTick(host, db, plan, target, counters);

  await host.setAlarm(Date.now() + WATCHDOG_MS);
  const sliceEnd = Date.now() + SLICE_MS;
  let spentBudget: Stop | null = null;
  const lane = async () => {
    while (Date.now() < sliceEnd && !spentBudget) {
      const now = host.store.plan();
      if (!now || stopReason(plan, now.counters, Date.now())) return;
      spentBudget = await workspaceBudgetStop(db, plan);
      if (spentBudget) return;
      const c = host.store.claim();
      if (!c) return;
      await runCase(host, db, plan, target, c);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));

  const now = host.store.plan()?.counters ?? counters;
  const stop = stopReason(plan, now, Date.now()) ?? (host.store.counts().open > 0 ? spentBudget : null);
  if (stop && !isTerminal(now.status)) return finishRun(host, stop.status, stop.reason);
  if (isTerminal(now.status)) return recordEnd(host, plan, now);
  if (host.store.counts().open === 0) return finishRun(host, "succeeded", null);
  await host.setAlarm(Date.now());
}

/**
 * One tick of a run over a swarm: record the cases whose swarm run has ended, start cases until
 * `concurrency` swarm runs are in flight, and come back soon to read their status again. The
 * tick never waits for a swarm run; a stop cancels the ones in flight.
 */
async function swarmTick(
  host: RunHost,
  db: Database,
  plan: RunPlan,
  target: SwarmTarget,
  counters: RunCounters,
): Promise<void> {
  for (const c of host.store.swarmsInFlight()) {
    const seen = await swarmOutcome(db, plan.workspaceId, c.swarmRunId, c.startedAt);
    if (!seen) continue;
    const usage = swarmCaseUsage(db, plan, c.swarmRunId);
    await scoreAndRecord(
      host,
      db,
      plan,
      c,
      seen,
      usage.meter,
      { swarmRunId: c.swarmRunId, startedAt: c.startedAt },
      usage.spent,
    );
  }
  const inFlight = () => host.store.swarmsInFlight().length;
  const hasRoom = () => inFlight() < plan.concurrency;
  // Read only when a case is waiting to start.
  const waiting = hasRoom() && host.store.counts().open > inFlight();
  const spentBudget = waiting ? await workspaceBudgetStop(db, plan) : null;
  const stopNow = () => stopReason(plan, host.store.plan()?.counters ?? counters, Date.now()) ?? spentBudget;
  while (!stopNow() && hasRoom()) {
    const c = host.store.claim();
    if (!c) break;
    const startedAt = Date.now();
    try {
      const started = await startSwarmCase(host.env, db, plan, target, c, (w) => host.waitUntil(w));
      if ("blocked" in started) {
        // No swarm run was started: nothing was spent but what a judge may spend (charged to the run).
        const meter = swarmCaseUsage(db, plan, null).meter;
        await scoreAndRecord(host, db, plan, c, started.blocked, meter, { startedAt }, async () => NOTHING_SPENT);
      } else host.store.attachSwarm(c.caseId, started.swarmRunId, startedAt);
    } catch (err) {
      await caseFailed(host, db, plan, c, err, startedAt);
    }
  }
  const stop = stopNow();
  if (stop) {
    await abandonSwarms(host, db, plan, stop.reason);
    return finishRun(host, stop.status, stop.reason);
  }
  if (host.store.counts().open === 0) return finishRun(host, "succeeded", null);
  await host.setAlarm(Date.now() + SWARM_POLL_MS);
}

/** Cancels the swarm runs still in flight and records their cases (an answer that made it is scored). */
export async function abandonSwarms(host: RunHost, db: Database, plan: RunPlan, reason: string): Promise<void> {
  for (const c of host.store.swarmsInFlight()) {
    try {
      await cancelSwarm(host.env, plan, c.swarmRunId);
    } catch (err) {
      writeLog("warn", "eval_swarm_cancel_failed", { run: plan.runId, swarm_run: c.swarmRunId, error: describe(err) });
    }
    const seen = await swarmOutcome(db, plan.workspaceId, c.swarmRunId, c.startedAt);
    const outcome = { swarmRunId: c.swarmRunId, startedAt: c.startedAt };
    if (seen && !seen.error) {
      const usage = swarmCaseUsage(db, plan, c.swarmRunId);
      await scoreAndRecord(host, db, plan, c, seen, usage.meter, outcome, usage.spent);
    } else await recordCase(host, db, plan, c, { ...outcome, ...(seen ? { seen } : {}), error: reason });
  }
}

/** Each case of an agent run is a trace of its own (the coordinator's work, the turn in the
 * conversation's object, the judges), always kept: the result links to it. */
function inCaseTrace<T>(host: RunHost, plan: RunPlan, target: AgentTarget, c: StoredCase, fn: () => Promise<T>) {
  const segmentHost = { ...host, config: { ...host.config, TRACE_SAMPLE_RATE: 1 } };
  const attributes = { "eval.run_id": plan.runId, "eval.case_id": c.caseId, "eval.attempt": c.attempts };
  return inSegment(segmentHost, { name: "eval.case", kind: "internal", traceparent: undefined, attributes }, () => {
    markSegment({ workspaceId: plan.workspaceId, userId: plan.createdBy, agentId: target.agentId });
    return fn();
  });
}

async function runCase(host: RunHost, db: Database, plan: RunPlan, target: AgentTarget, c: StoredCase) {
  const startedAt = Date.now();
  try {
    await inCaseTrace(host, plan, target, c, async () => {
      const traceId = activeSpan()?.context.traceId ?? null;
      const { conversationId, seen } = await runAgentCase(host.env, plan, target, c.body.input);
      markSegment({ conversationId });
      // The turn's usage rows are written before its `done`: they price what the scorers see.
      seen.cost = (await spentBy(db, plan.workspaceId, plan.runId, { conversationId })).costUsd;
      const meter = new UsageMeter(db, {
        workspaceId: plan.workspaceId,
        userId: plan.createdBy,
        agentId: target.agentId,
        agentVersion: target.agentVersion,
        conversationId,
        evalRunId: plan.runId,
        surface: "eval",
      });
      await scoreAndRecord(host, db, plan, c, seen, meter, { conversationId, traceId, startedAt }, () =>
        spentBy(db, plan.workspaceId, plan.runId, { conversationId }),
      );
    });
  } catch (err) {
    await caseFailed(host, db, plan, c, err, startedAt);
  }
}

/** An attempt that failed before it had a result: the case runs again, or is recorded as failed after its last attempt. */
async function caseFailed(host: RunHost, db: Database, plan: RunPlan, c: StoredCase, err: unknown, startedAt: number) {
  writeLog("warn", "eval_case_failed", { run: plan.runId, case: c.caseId, attempt: c.attempts, error: describe(err) });
  if (c.attempts < MAX_ATTEMPTS) host.store.release(c.caseId);
  else await recordCase(host, db, plan, c, { error: describe(err), startedAt });
}

/**
 * Scores an answer (model-free scorers, then judges, whose calls `meter` charges to the run; a
 * swarm's only with what it reports) and records it with what the case spent.
 */
async function scoreAndRecord(
  host: RunHost,
  db: Database,
  plan: RunPlan,
  c: StoredCase,
  seen: TurnObservation,
  meter: UsageMeter,
  link: Pick<CaseOutcome, "conversationId" | "swarmRunId" | "traceId" | "startedAt">,
  spent: () => Promise<Spent>,
): Promise<void> {
  let scores: EvalScore[] = [];
  if (!seen.error) {
    const scorers = plan.target.kind === "swarm" ? observableInSwarms(plan.scorers) : plan.scorers;
    const judged = await judgeCase(host.env, { ...plan, scorers }, c.body, seen, meter);
    scores = [...scoreWith(c.body, scorers, seen), ...judged.scores];
  }
  await recordCase(host, db, plan, c, { ...link, seen, scores, spent: await spent() });
}

/** A swarm case's meter (judge calls) and what it spent: its swarm run's model calls and its judges'. */
function swarmCaseUsage(db: Database, plan: RunPlan, swarmRunId: string | null) {
  const meter = new UsageMeter(db, {
    workspaceId: plan.workspaceId,
    userId: plan.createdBy,
    agentId: null,
    agentVersion: null,
    runId: swarmRunId,
    evalRunId: plan.runId,
    surface: "eval",
  });
  return {
    meter,
    spent: () =>
      swarmRunId ? spentBy(db, plan.workspaceId, plan.runId, { swarmRunId }) : Promise.resolve(NOTHING_SPENT),
  };
}

const NOTHING_SPENT: Spent = { tokensIn: 0, tokensOut: 0, costUsd: 0 };

interface CaseOutcome {
  conversationId?: string;
  swarmRunId?: string;
  traceId?: string | null;
  seen?: TurnObservation;
  scores?: EvalScore[];
  /** The case's usage rows: its turn or swarm run, and its judge calls. */
  spent?: Spent;
  error?: string;
  startedAt?: number;
}

/** The case's result row, then the case marked done and the run's counters and summary updated. */
async function recordCase(host: RunHost, db: Database, plan: RunPlan, c: StoredCase, o: CaseOutcome): Promise<void> {
  const seen = o.seen ?? null;
  const error = o.error ?? seen?.error ?? null;
  await writeResult(db, {
    runId: plan.runId,
    workspaceId: plan.workspaceId,
    caseId: c.caseId,
    position: c.position,
    status: error ? "error" : "done",
    conversationId: o.conversationId ?? null,
    swarmRunId: o.swarmRunId ?? null,
    traceId: o.traceId ?? null,
    seen,
    scores: o.scores ?? [],
    spent: o.spent ?? NOTHING_SPENT,
    error,
    attempts: c.attempts,
    startedAt: o.startedAt ?? Date.now(),
  });
  host.store.finish(c.caseId, o.scores ?? []);
  const loaded = host.store.plan();
  if (!loaded) return;
  // Every model call of the run, an interrupted attempt's too: what the budget and GET /api/usage count.
  const run = await spentBy(db, plan.workspaceId, plan.runId);
  const counters: RunCounters = {
    ...loaded.counters,
    tokensUsed: run.tokensIn + run.tokensOut,
    costUsd: run.costUsd,
  };
  host.store.saveCounters(counters);
  await updateRun(db, plan.runId, plan.workspaceId, progressColumns(progress(host.store, counters)));
}
