// One coordinator per swarm run, named by the run id. It drives the run from alarm ticks over
// persisted step records (swarm-store.ts), never from one long-lived promise: each tick asks the
// strategy for the next steps given what has settled, runs them, and loops. An alarm is always
// armed while the run is open (at the deadline or the wave's watchdog time, whichever is
// first), so an instance that is evicted mid-run is woken and resumes; a fresh instance resumes
// at once. Every run ends succeeded, failed, cancelled or timed_out, with a reason. Watchers'
// sockets are re-checked every SOCKET_RECHECK_MS while open (a timer: an open run keeps the
// object busy, an ended one has closed them) and on every message; one whose principal lost
// access is closed.
import { DurableObject } from "cloudflare:workers";
import {
  isTerminal,
  type MessageBody,
  type MessageOf,
  PROTOCOL_VERSION,
  type SwarmErrorCode,
  SwarmMessage,
  type SwarmRunDetail,
  type TerminalStatus,
} from "@hive/shared/swarm-protocol";
import { parseSocketPrincipal } from "../worker/auth/live-principal";
import { SOCKET_RECHECK_MS, SocketGuard } from "../worker/auth/socket-guard";
import { getConfig } from "../worker/core/config";
import { writeLog } from "../worker/core/logger";
import type { Usage } from "../worker/core/providers/types";
import { inSegment, markSegment } from "../worker/core/trace/segment";
import { currentTraceparent } from "../worker/core/trace/traceparent";
import { recordSwarmRun } from "../worker/metrics/recorder";
import { AgentObjectRunner } from "../worker/swarm/agent-runner";
import { MIRROR_INTERVAL_MS, SwarmRunMirror } from "../worker/swarm/mirror";
import { deadlineReason, nextMove, watchdogMs } from "../worker/swarm/next-move";
import { runFromState, stepFromRecord } from "../worker/swarm/records";
import { type CancelResult, type RunState, type StartInput, startedRun } from "../worker/swarm/run-state";
import { SWARM_SOCKET_RULE, SWARM_WATCHER_HEADER } from "../worker/swarm/socket-route";
import { swarmRunSpan } from "../worker/swarm/spans";
import { runStep, type StepHost, usageSoFar } from "../worker/swarm/step";
import type { StepSpec } from "../worker/swarm/strategies/types";
import { UsageLedger } from "../worker/swarm/usage";
import { acceptWatcher, answerWatcher, broadcast, closeWatchers, guardedWatcher } from "./swarm-sockets";
import { SwarmStore } from "./swarm-store";

/** A tick hands over to the next alarm after this long, well inside the alarm handler's limit. */
const SLICE_MS = 60_000;
/** Storage key of the traceparent the run's alarms continue. */
const TRACEPARENT_KEY = "traceparent";

const RECORD_RETRY_MS = 10_000;

class DeadlinePassed extends Error {
  override readonly name = "DeadlinePassed";
}

export class SwarmCoordinator extends DurableObject<Env> {
  private readonly store: SwarmStore;
  private driving: Promise<void> | null = null;
  private wave: AbortController | null = null;
  private readonly mirror: SwarmRunMirror;
  private readonly usage = new UsageLedger(MIRROR_INTERVAL_MS);
  private runnerInstance: AgentObjectRunner | null = null;
  private preloaded: Promise<void> | null = null;
  private runId: string | null = null;
  private readonly guard: SocketGuard;
  private recheck: ReturnType<typeof setTimeout> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SwarmStore(ctx.storage.sql);
    this.mirror = new SwarmRunMirror(env.DB, this.store);
    this.guard = new SocketGuard(env.DB, SWARM_SOCKET_RULE, `swarm:${ctx.id.toString()}`);
    // Woken with watchers still connected (hibernation, eviction): keep checking them.
    this.recheckWatchers();
    // A fresh instance has no step in flight: an open run here was interrupted. Resume now
    // (or finish writing the record of one that ended).
    void ctx.blockConcurrencyWhile(async () => {
      const run = this.store.run();
      if (run && (!isTerminal(run.status) || !run.recorded)) await ctx.storage.setAlarm(Date.now());
    });
  }

  // ---- RPC from the Worker (which has checked the caller and the workspace).

  async start(input: StartInput): Promise<SwarmRunDetail> {
    return this.traced("start", input.traceparent, async () => {
      markSegment({ workspaceId: input.workspaceId, userId: input.createdBy, runId: input.runId });
      const detail = await this.startRun(input);
      // The run's alarms continue this call's trace.
      const traceparent = currentTraceparent();
      if (traceparent) await this.ctx.storage.put(TRACEPARENT_KEY, traceparent);
      return detail;
    });
  }

  private async startRun(input: StartInput): Promise<SwarmRunDetail> {
    const existing = this.store.run();
    if (existing) return this.detail(existing);
    const now = Date.now();
    const state = startedRun(input, now);
    this.store.saveRun(state);
    const { strategy, task } = state.config;
    this.emit({
      type: "task",
      strategy,
      task,
      agents: input.agents.map((a) => ({ id: a.id, name: a.name, version: a.version })),
    });
    // The run is driven inside alarm handlers, which the runtime keeps alive and retries; a drive
    // detached from any event (started here) lost finished steps on eviction, in tests.
    await this.ctx.storage.setAlarm(now);
    this.mirror.run();
    // Read-only and cached: the definitions load while the first alarm is on its way.
    void this.preload();
    return this.detail(state);
  }

  async snapshot(workspaceId: string): Promise<SwarmRunDetail | null> {
    const run = this.store.run();
    return run && run.workspaceId === workspaceId ? this.detail(run) : null;
  }

  async cancel(workspaceId: string, by: string): Promise<CancelResult> {
    const run = this.store.run();
    if (!run || run.workspaceId !== workspaceId) return { ok: false, code: "NOT_FOUND" };
    if (isTerminal(run.status)) return { ok: true, cancelled: false, run: this.detail(run) };
    await this.finish("cancelled", `cancelled by ${by}`, null, { by });
    return { ok: true, cancelled: true, run: this.detail(this.store.run() ?? run) };
  }

  // ---- Watchers (hibernatable WebSockets; the Worker authenticated the upgrade).

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("WebSocket upgrade required", { status: 426 });
    const run = this.store.run();
    const watcher = parseSocketPrincipal(request.headers.get(SWARM_WATCHER_HEADER));
    if (!run || !watcher || run.workspaceId !== watcher.workspaceId)
      return new Response("Run not found", { status: 404 });
    const response = acceptWatcher(this.ctx, this.store, run, watcher);
    this.recheckWatchers();
    return response;
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (!(await this.guard.keep(guardedWatcher(ws)))) return;
    const run = this.store.run();
    if (run) answerWatcher(ws, data, run, this.store.lastEventSeq());
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // already closed
    }
  }

  /** Arms the next sweep of the watchers while any are connected. */
  private recheckWatchers(): void {
    if (this.recheck || this.ctx.getWebSockets().length === 0) return;
    this.recheck = setTimeout(() => {
      const sweep = this.guard.sweep(this.ctx.getWebSockets().map(guardedWatcher)).finally(() => {
        this.recheck = null;
        this.recheckWatchers();
      });
      this.ctx.waitUntil(sweep);
    }, SOCKET_RECHECK_MS);
  }

  // ---- The run.

  override async alarm(): Promise<void> {
    const traceparent = await this.ctx.storage.get<string>(TRACEPARENT_KEY);
    const drive = () => {
      const run = this.store.run();
      if (run) markSegment({ workspaceId: run.workspaceId, userId: run.createdBy, runId: run.id });
      this.driving ??= swarmRunSpan(
        () => this.store.run(),
        () => this.drive(),
      ).finally(() => (this.driving = null));
      return this.driving;
    };
    // A run started untraced stays so: each alarm must not begin a trace of its own.
    await (traceparent ? this.traced("alarm", traceparent, drive) : drive());
  }

  /** Work here as a segment of the trace that started the run (core/trace/segment.ts). */
  private traced<T>(method: string, traceparent: string | undefined, fn: () => Promise<T>): Promise<T> {
    const host = {
      env: this.env,
      config: getConfig(this.env),
      waitUntil: (work: Promise<unknown>) => this.ctx.waitUntil(work),
    };
    const attributes = { "rpc.system": "durable_object", "rpc.service": "SwarmCoordinator", "rpc.method": method };
    return inSegment(host, { name: `SwarmCoordinator/${method}`, kind: "server", traceparent, attributes }, fn);
  }

  private async drive(): Promise<void> {
    const sliceEnds = Date.now() + SLICE_MS;
    await this.preload();
    for (;;) {
      const run = this.store.run();
      if (!run) return;
      if (isTerminal(run.status)) return run.recorded ? undefined : this.record(run);
      const now = Date.now();
      const move = nextMove(run, this.store.settled(), (key) => this.store.step(key) !== null, now, sliceEnds);
      if (move.kind === "finish")
        return this.finish(move.status, move.reason, move.output, move.code ? { code: move.code } : {});
      if (move.kind === "yield") return this.ctx.storage.setAlarm(now);
      if (move.fresh) this.store.saveRun({ ...run, stepsUsed: run.stepsUsed + move.fresh });
      if (move.note) this.emit({ type: "progress", step: null, note: move.note, ...usageSoFar({ store: this.store }) });
      if ((await this.runWave(run, move.steps)) === "deadline")
        return this.finish("timed_out", deadlineReason(run), null);
    }
  }

  /** Runs the steps at once; resolves when all have settled or the run ended. */
  private async runWave(run: RunState, specs: StepSpec[]): Promise<"settled" | "deadline" | "ended"> {
    const controller = new AbortController();
    this.wave = controller;
    // If this instance dies mid-wave, the alarm wakes a new one to resume (or time the run out).
    await this.ctx.storage.setAlarm(Math.min(run.deadlineAt, Date.now() + watchdogMs(run.config.step)));
    // No explicit storage.sync(): a turn's model call is a subrequest, which the output gate holds
    // until the previous steps' settled records are durable, so an eviction cannot run them again.
    // A cancel may have ended the run while this wave waited on storage.
    if (controller.signal.aborted) return "ended";
    const timer = setTimeout(() => controller.abort(new DeadlinePassed()), Math.max(0, run.deadlineAt - Date.now()));
    for (const spec of specs) this.store.ensureStep(spec);
    const remaining = run.config.budget.max_tokens - run.tokensUsed;
    const perTurn = Math.max(1, Math.floor(remaining / specs.length));
    try {
      await Promise.all(specs.map((spec) => runStep(this.stepHost(run), spec, perTurn, controller.signal)));
    } finally {
      clearTimeout(timer);
      if (this.wave === controller) this.wave = null;
      this.ctx.waitUntil(this.usage.flushDue(this.env, run.workspaceId));
    }
    if (!controller.signal.aborted) return "settled";
    return controller.signal.reason instanceof DeadlinePassed ? "deadline" : "ended";
  }

  private runner(run: RunState): AgentObjectRunner {
    return (this.runnerInstance ??= new AgentObjectRunner(this.env, run, new Map(run.agents.map((a) => [a.id, a]))));
  }

  /** Once per instance, best effort: a turn whose definition is not preloaded loads its own. */
  private preload(): Promise<void> {
    const run = this.store.run();
    if (!run || isTerminal(run.status)) return Promise.resolve();
    return (this.preloaded ??= this.runner(run)
      .preload()
      .catch((err: unknown) => writeLog("warn", "swarm_preload_failed", { run: run.id, error: String(err) })));
  }

  private stepHost(run: RunState): StepHost {
    return {
      store: this.store,
      runner: this.runner(run),
      config: run.config,
      emit: (body) => this.emit(body),
      mirrorStep: (step) => this.mirror.step(step.seq),
      addUsage: (agentId, usage) => this.addUsage(agentId, usage),
      addSpent: (usage) => this.addSpent(usage),
    };
  }

  /** An unanswered attempt's tokens: the run's count only (its agent's object charged the workspace). */
  private addSpent(usage: Usage): void {
    const run = this.store.run();
    if (!run || isTerminal(run.status)) return;
    this.store.saveRun({ ...run, tokensUsed: run.tokensUsed + usage.inputTokens + usage.outputTokens });
    this.mirror.run();
  }

  private addUsage(agentId: string, usage: Usage): void {
    const run = this.store.run();
    if (!run) return;
    this.store.saveRun({ ...run, tokensUsed: run.tokensUsed + usage.inputTokens + usage.outputTokens });
    this.mirror.run();
    this.usage.add(agentId, usage);
  }

  /** Ends the run once; open steps are closed, watchers told, the D1 record brought up to date. */
  private async finish(
    status: TerminalStatus,
    reason: string,
    output: string | null,
    extra: { code?: SwarmErrorCode; by?: string } = {},
  ): Promise<void> {
    const run = this.store.run();
    if (!run || isTerminal(run.status)) return;
    const now = Date.now();
    this.wave?.abort(new Error(`run ${status}`));
    for (const step of this.store.closeOpen(`the run ended (${status})`, now)) {
      this.emit({
        type: "result",
        final: false,
        step: step.seq,
        agent_id: step.agentId,
        role: step.role,
        round: step.round,
        status: "cancelled",
        output: null,
        tokens_in: 0,
        tokens_out: 0,
        latency_ms: 0,
        model: step.model,
        degraded: step.degraded,
      });
    }
    const state: RunState = { ...run, status, reason, output, endedAt: now };
    this.store.saveRun(state);
    recordSwarmRun(state.config.strategy, status);
    if (status === "cancelled") this.emit({ type: "cancel", reason, by: extra.by ?? null });
    else if (status !== "succeeded")
      this.emit({
        type: "error",
        code: extra.code ?? (status === "timed_out" ? "TIMED_OUT" : "RUN_FAILED"),
        message: reason,
        fatal: true,
      });
    this.emit({
      type: "result",
      final: true,
      status,
      reason,
      output,
      tokens_used: state.tokensUsed,
      steps_used: state.stepsUsed,
    });
    await this.ctx.storage.deleteAlarm();
    await this.record(state);
    closeWatchers(this.ctx);
  }

  /** Writes the ended run and every step to D1; until that succeeds, an alarm retries it. */
  private async record(run: RunState): Promise<void> {
    this.ctx.waitUntil(this.usage.flush(this.env, run.workspaceId));
    for (const step of this.store.steps()) this.mirror.step(step.seq);
    this.mirror.run();
    if (await this.mirror.settled()) this.store.saveRun({ ...run, recorded: true });
    else await this.ctx.storage.setAlarm(Date.now() + RECORD_RETRY_MS);
  }

  // ---- Events and the D1 record.

  private emit<B extends MessageBody>(body: B): MessageOf<B["type"]> {
    this.runId ??= this.store.run()?.id ?? null;
    // Every event is validated as a protocol message before anyone sees it.
    const message = SwarmMessage.parse({ v: PROTOCOL_VERSION, run_id: this.runId ?? "", ...body });
    const stored = this.store.appendEvent(message);
    broadcast(this.ctx, stored);
    return stored as MessageOf<B["type"]>;
  }

  private detail(run: RunState): SwarmRunDetail {
    return { ...runFromState(run), steps: this.store.steps().map(stepFromRecord) };
  }
}
