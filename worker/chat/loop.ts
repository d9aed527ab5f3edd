// The tool-calling loop: call the model; run the tools it asks for; feed the results back;
// repeat until it answers without tools, the step limit is hit, a side-effecting tool needs a
// person's approval, or the answer is cancelled. Storage is the host's business, so the same
// loop drives a conversation's Durable Object and the stateless /v1 endpoint. With a guard, the
// safety pipeline runs at every stage: the user's message before the first call, retrieved
// passages and tool results before the model reads them, the answer as it streams.
import type { AgentDefinition } from "../agents/schemas";
import type { PendingApproval } from "../conversations/message-types";
import type { ModelPolicy } from "../core/providers/deadlines";
import type { Fallback } from "../core/providers/fallback";
import type { ModelCandidate } from "../core/providers/model-chain";
import type { Ballot, ChatMessage, ToolCall, Usage } from "../core/providers/types";
import { redact } from "../safety/pipeline";
import type { TurnGuard } from "../safety/turn-guard";
import { getTool, toolSpec } from "../tools/registry";
import type { Tool, ToolContext } from "../tools/types";
import type { UsageMeter } from "../usage/meter";
import type { ChatEvent, FinishReason } from "./events";
import { emitGuardNotices, modelView } from "./guard";
import { callModel, type ModelCallResult } from "./model-call";
import { turnRetriever } from "./retrieval";
import { toolDecisionSpan } from "./spans";
import { execute, type ToolOutcome, triage } from "./tool-calls";

export interface LoopHost {
  emit(event: ChatEvent): void;
  /** The conversation so far, without the system prompt. */
  history(): ChatMessage[];
  newMessageId(): string;
  beginAssistant(id: string): void;
  finishAssistant(id: string, result: ModelCallResult): void;
  storeTool(outcome: ToolOutcome): void;
  /** The guard changed the user's latest message: store it as the model will see it (or blocked). */
  reviseInput?(content: string, status: "complete" | "blocked"): void;
}

export interface LoopOptions {
  definition: AgentDefinition;
  chain: ModelCandidate[];
  tools: Tool[];
  toolContext: Omit<ToolContext, "signal">;
  signal: AbortSignal;
  /** Model calls already spent on this answer (non-zero when resuming after an approval). */
  stepsUsed: number;
  /** Id for the first assistant message (announced in the `start` event). */
  firstMessageId: string;
  /** A choice the turn must make (swarm steps). */
  ballot?: Ballot;
  /** The safety pipeline for this turn; without one nothing is checked. */
  guard?: TurnGuard;
  /** The turn's model deadlines (core/providers/deadlines.ts). */
  policy: ModelPolicy;
  /** Gets a usage row per model call, charged to whom the caller names (worker/usage/meter.ts). */
  meter?: UsageMeter;
}

export interface LoopResult {
  reason: FinishReason | "error";
  lastMessageId: string;
  pending: PendingApproval[];
  stepsUsed: number;
  degraded: boolean;
  /** Why the first degraded answer of the turn was degraded. */
  fallback?: Fallback;
  usage: Usage;
  error?: { code: string; message: string };
}

export function systemPrompt(definition: AgentDefinition, guard?: TurnGuard): ChatMessage[] {
  const parts = [definition.system_prompt, guard?.systemNote()].filter((p): p is string => !!p);
  return parts.length ? [{ role: "system", content: parts.join("\n\n") }] : [];
}

/** Checks and runs one batch of tool calls; side-effecting ones are returned as pending. */
export async function handleToolCalls(
  calls: readonly ToolCall[],
  messageId: string,
  opts: Pick<LoopOptions, "tools" | "toolContext" | "signal" | "guard">,
  host: Pick<LoopHost, "emit" | "storeTool">,
): Promise<PendingApproval[]> {
  const pending: PendingApproval[] = [];
  const report = async (outcome: ToolOutcome) => {
    const o = opts.guard ? await screenOutcome(opts.guard, outcome, host.emit) : outcome;
    host.storeTool(o);
    host.emit({ type: "tool_result", call_id: o.call.id, name: o.call.name, status: o.status, content: o.content });
    for (const c of o.citations) host.emit({ type: "citation", ...c });
  };
  for (const call of calls) {
    const t = triage(call, opts.tools, opts.toolContext.config);
    // What the tool is, not what happens to this call: a refused http_get still has side effects.
    const sideEffects = getTool(call.name)?.sideEffects ?? false;
    host.emit({
      type: "tool_call",
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
      side_effects: sideEffects,
    });
    if (t.kind === "done") await report(t.outcome);
    else if (t.kind === "needs_approval") {
      toolDecisionSpan(call, "awaiting_approval");
      pending.push({ call_id: call.id, name: call.name, arguments: call.arguments, message_id: messageId });
    } else
      await report(
        await execute(call, t.tool, t.args, {
          ...opts.toolContext,
          signal: opts.signal,
          ...(opts.guard ? { guard: opts.guard } : {}),
        }),
      );
  }
  for (const p of pending)
    host.emit({ type: "approval_required", call_id: p.call_id, name: p.name, arguments: p.arguments });
  return pending;
}

/**
 * A tool's result as the model may read it: checked at the tool_output stage (knowledge_search
 * checked each passage at the retrieval stage itself), quarantined or redacted by the policy.
 */
export async function screenOutcome(
  guard: TurnGuard,
  o: ToolOutcome,
  emit: (e: ChatEvent) => void,
): Promise<ToolOutcome> {
  const out = o.screened ? o : await screenContent(guard, o);
  emitGuardNotices(guard, emit);
  return out;
}

async function screenContent(guard: TurnGuard, o: ToolOutcome): Promise<ToolOutcome> {
  const screened = await guard.screen("tool_output", o.content);
  return screened.text === o.content
    ? o
    : { ...o, content: screened.text, citations: screened.quarantined ? [] : o.citations };
}

/** The conversation status a finished turn leaves (the D1 mirror's). */
export const turnEndStatus = (reason: Exclude<LoopResult["reason"], "awaiting_approval">) =>
  reason === "error" ? "error" : reason === "cancelled" ? "cancelled" : reason === "blocked" ? "blocked" : "idle";

/**
 * The input stage: the user's latest message checked before any model call. Redacted, the
 * model (and the stored message) get the redacted text; blocked, the turn ends without a call
 * and the message is stored as blocked (its secrets still redacted), never shown to a model.
 */
async function checkInput(guard: TurnGuard, host: LoopHost): Promise<boolean> {
  const last = host.history().findLast((m) => m.role === "user");
  if (!last || guard.inputChecked) return true;
  guard.inputChecked = true;
  const verdict = await guard.check("input", last.content);
  emitGuardNotices(guard, host.emit);
  if (verdict.action === "block")
    host.reviseInput?.(redact(last.content, verdict.findings, guard.redactions), "blocked");
  else if (verdict.action === "redact") host.reviseInput?.(verdict.text, "complete");
  return verdict.action !== "block";
}

export async function runLoop(opts: LoopOptions, host: LoopHost): Promise<LoopResult> {
  const { definition, signal } = opts;
  const specs = opts.tools.map(toolSpec);
  const { guard } = opts;
  const retrieve = turnRetriever(opts.toolContext, guard);
  const state: LoopResult = {
    reason: "stop",
    lastMessageId: opts.firstMessageId,
    pending: [],
    stepsUsed: opts.stepsUsed,
    degraded: false,
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  // A fresh turn (not a resumption after an approval) starts with the input stage.
  if (guard && opts.stepsUsed === 0 && !(await checkInput(guard, host))) return { ...state, reason: "blocked" };
  let first = true;
  while (true) {
    if (signal.aborted) return { ...state, reason: "cancelled" };
    if (state.stepsUsed >= definition.max_steps) return { ...state, reason: "step_limit" };
    const messageId = first ? opts.firstMessageId : host.newMessageId();
    first = false;
    state.lastMessageId = messageId;
    state.stepsUsed++;
    host.beginAssistant(messageId);
    const result = await callModel(
      opts.chain,
      {
        messages: [
          ...systemPrompt(definition, guard),
          ...(guard ? modelView(host.history(), opts.tools) : host.history()),
        ],
        temperature: definition.temperature,
        maxTokens: definition.max_tokens,
        ...(specs.length ? { tools: specs } : {}),
        ...(opts.ballot ? { ballot: opts.ballot } : {}),
      },
      signal,
      host.emit,
      opts.policy,
      retrieve,
      guard,
      opts.meter,
    );
    host.finishAssistant(messageId, result);
    state.degraded ||= result.degraded;
    if (result.fallback && !state.fallback) state.fallback = result.fallback;
    state.usage = {
      inputTokens: state.usage.inputTokens + result.usage.inputTokens,
      outputTokens: state.usage.outputTokens + result.usage.outputTokens,
    };
    if (result.outcome !== "error" || result.usage.inputTokens > 0) {
      const { usage, latencyMs, model, degraded, fallback } = result;
      host.emit({
        type: "usage",
        tokens_in: usage.inputTokens,
        tokens_out: usage.outputTokens,
        latency_ms: latencyMs,
        model,
        degraded,
        ...(fallback ? { fallback } : {}),
      });
    }
    if (result.outcome === "error")
      return { ...state, reason: "error", ...(result.error ? { error: result.error } : {}) };
    if (result.outcome === "cancelled") return { ...state, reason: "cancelled" };
    if (result.outcome !== "tool_calls") return { ...state, reason: result.outcome };
    const pending = await handleToolCalls(result.toolCalls, messageId, opts, host);
    if (pending.length) return { ...state, reason: "awaiting_approval", pending };
  }
}
