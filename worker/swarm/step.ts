// One step of a run: attempts with a timeout each and capped, jittered backoff between them
// (worker/core/resilience), every attempt counted in storage before it starts. The answer is
// checked against what the step asked for (a choice, a handoff) and announced as protocol
// messages. A step that has settled is never run again; one left "running" by an evicted
// instance continues with the attempts it has left.
import type { MessageBody, MessageOf, RunConfig } from "@hive/shared/swarm-protocol";
import type { Usage } from "../core/providers/types";
import { retry, TimeoutError, withTimeout } from "../core/resilience";
import { type AgentReply, type AgentRunner, AgentTurnError } from "./agent-runner";
import { ballotOf, interpret, withoutChoiceLines } from "./choices";
import type { StepOutcome, StepRecord, StepStore } from "./run-state";
import { swarmStepSpan } from "./spans";
import type { StepSpec } from "./strategies/types";

/** What the coordinator object (durable-objects/swarm-coordinator.ts) lends a step while it runs. */
export interface StepHost {
  store: StepStore;
  runner: AgentRunner;
  config: RunConfig;
  /** Records and broadcasts a message; returns it as stored (with its seq). */
  emit<B extends MessageBody>(body: B): MessageOf<B["type"]>;
  /** Queues a settled step for the D1 record (open steps are read live from the coordinator). */
  mirrorStep(step: StepRecord): void;
  /** Adds a settled turn's tokens to the run (and the agent's and workspace's totals). */
  addUsage(agentId: string, usage: Usage): void;
  /** Adds an unanswered attempt's tokens to the run's count (the agent's object charged the workspace). */
  addSpent(usage: Usage): void;
}

const plus = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
});

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const retryable = (err: unknown) => err instanceof TimeoutError || (err instanceof AgentTurnError && err.retryable);

function settle(host: StepHost, step: StepRecord, outcome: StepOutcome): StepRecord | null {
  if (!host.store.settle(step.seq, outcome)) return null;
  const settled = host.store.stepBySeq(step.seq);
  if (settled) host.mirrorStep(settled);
  return settled;
}

function announce(host: StepHost, spec: StepSpec, s: StepRecord): void {
  const ref = { step: s.seq, agent_id: s.agentId, role: s.role, round: s.round };
  host.emit({
    type: "result",
    final: false,
    ...ref,
    status: s.status,
    output: s.output,
    tokens_in: s.tokensIn,
    tokens_out: s.tokensOut,
    latency_ms: s.latencyMs ?? 0,
    model: s.model,
    degraded: s.degraded,
  });
  if (s.status === "failed") {
    host.emit({
      type: "error",
      code: "STEP_FAILED",
      message: `step ${s.key} failed: ${s.error ?? "no answer"}`,
      step: s.seq,
      agent_id: s.agentId,
    });
    return;
  }
  if (s.status === "invalid") {
    const code = spec.choice?.keyword === "HANDOFF" ? "INVALID_HANDOFF" : "INVALID_CHOICE";
    host.emit({ type: "error", code, message: s.error ?? "invalid answer", step: s.seq, agent_id: s.agentId });
  }
  if (s.role === "proposer" && s.status === "succeeded") {
    host.emit({ type: "proposal", ...ref, index: host.config.agent_ids.indexOf(s.agentId) + 1, text: s.output ?? "" });
  } else if (s.role === "voter") {
    host.emit({ type: "vote", ...ref, choice: s.status === "succeeded" ? s.choice : null });
  } else if (s.role === "specialist" && s.choice) {
    host.emit({
      type: "handoff",
      step: s.seq,
      from: s.agentId,
      to: s.choice,
      note: withoutChoiceLines(s.output ?? "", "HANDOFF"),
    });
  }
}

/** Runs `spec` to a settled state unless `signal` aborts (the run ended: finish() closes it). */
export function runStep(host: StepHost, spec: StepSpec, maxTokens: number, signal: AbortSignal): Promise<void> {
  return swarmStepSpan(host.store, spec, () => settleStep(host, spec, maxTokens, signal));
}

async function settleStep(host: StepHost, spec: StepSpec, maxTokens: number, signal: AbortSignal): Promise<void> {
  const step = host.store.ensureStep(spec).step;
  if (signal.aborted || (step.status !== "pending" && step.status !== "running")) return;
  const policy = host.config.step;
  const left = policy.max_attempts - step.attempts;
  if (left <= 0) {
    const s = settle(host, step, {
      status: "failed",
      error: `interrupted after ${step.attempts} attempt(s)`,
      endedAt: Date.now(),
    });
    if (s) announce(host, spec, s);
    return;
  }
  const ballot = ballotOf(spec.choice);
  // Attempts that failed, timed out or were cancelled reached a model too: they count toward the
  // run's budget at once, and toward the step's tokens when it settles.
  let spent: Usage = { inputTokens: 0, outputTokens: 0 };
  const onSpent = (usage: Usage) => {
    spent = plus(spent, usage);
    host.addSpent(usage);
  };
  let reply: AgentReply & { latencyMs: number };
  try {
    reply = await retry(
      async () => {
        const begun = host.store.beginAttempt(step.seq, Date.now());
        if (!begun) throw new AgentTurnError("the step was closed", false);
        const assignment = host.emit({
          type: "assignment",
          step: begun.seq,
          agent_id: spec.agentId,
          role: spec.role,
          round: spec.round,
          attempt: begun.attempts,
          input: spec.input,
        });
        const started = Date.now();
        const r = await withTimeout(
          (s) => host.runner.run({ assignment, maxTokens, signal: s, onSpent, ...(ballot ? { ballot } : {}) }),
          policy.timeout_ms,
          `step ${spec.key}`,
          signal,
        );
        return { ...r, latencyMs: Date.now() - started };
      },
      {
        maxAttempts: left,
        baseDelayMs: policy.backoff_ms,
        maxDelayMs: policy.backoff_ms * 8,
        signal,
        isRetryable: (err) => !signal.aborted && retryable(err),
        onRetry: ({ attempt, delayMs, error }) =>
          host.emit({
            type: "progress",
            step: step.seq,
            note: `step ${spec.key}: attempt ${attempt} failed (${message(error)}); retrying in ${delayMs} ms`,
            ...usageSoFar(host),
          }),
      },
    );
  } catch (err) {
    if (signal.aborted) return;
    const s = settle(host, step, {
      status: "failed",
      error: message(err),
      tokensIn: spent.inputTokens,
      tokensOut: spent.outputTokens,
      endedAt: Date.now(),
    });
    if (s) announce(host, spec, s);
    return;
  }
  const verdict = interpret(reply.output, spec.choice);
  const s = settle(host, step, {
    status: verdict.status,
    output: reply.output,
    choice: verdict.choice,
    error: verdict.error,
    tokensIn: reply.usage.inputTokens + spent.inputTokens,
    tokensOut: reply.usage.outputTokens + spent.outputTokens,
    model: reply.model,
    degraded: reply.degraded,
    endedAt: Date.now(),
    latencyMs: reply.latencyMs,
  });
  if (!s) return;
  host.addUsage(s.agentId, reply.usage);
  announce(host, spec, s);
}

export function usageSoFar(host: Pick<StepHost, "store">): { tokens_used: number; steps_used: number } {
  const run = host.store.run();
  return { tokens_used: run?.tokensUsed ?? 0, steps_used: run?.stepsUsed ?? 0 };
}
