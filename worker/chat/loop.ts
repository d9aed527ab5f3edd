// The tool-calling loop: call the model; run the tools it asks for; feed the results back;
// repeat until it answers without tools, the step limit is hit, a side-effecting tool needs a
// person's approval, or the answer is cancelled. Storage is the host's business, so the same
// loop drives a conversation's Durable Object and the stateless /v1 endpoint.
import type { AgentDefinition } from "../agents/schemas";
import type { Ballot, ChatMessage, ToolCall, Usage } from "../core/providers/types";
import type { PendingApproval } from "../conversations/message-types";
import { getTool, toolSpec } from "../tools/registry";
import type { Tool, ToolContext } from "../tools/types";
import type { ChatEvent, FinishReason } from "./events";
import { callModel, type ModelCallResult } from "./model-call";
import type { ModelCandidate } from "../core/providers/model-chain";
import { turnRetriever } from "./retrieval";
import { execute, triage, type ToolOutcome } from "./tool-calls";

export interface LoopHost {
  emit(event: ChatEvent): void;
  /** The conversation so far, without the system prompt. */
  history(): ChatMessage[];
  newMessageId(): string;
  beginAssistant(id: string): void;
  finishAssistant(id: string, result: ModelCallResult): void;
  storeTool(outcome: ToolOutcome): void;
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
}

export interface LoopResult {
  reason: FinishReason | "error";
  lastMessageId: string;
  pending: PendingApproval[];
  stepsUsed: number;
  degraded: boolean;
  usage: Usage;
  error?: { code: string; message: string };
}

export function systemPrompt(definition: AgentDefinition): ChatMessage[] {
  return definition.system_prompt ? [{ role: "system", content: definition.system_prompt }] : [];
}

/** Checks and runs one batch of tool calls; side-effecting ones are returned as pending. */
export async function handleToolCalls(
  calls: readonly ToolCall[],
  messageId: string,
  opts: Pick<LoopOptions, "tools" | "toolContext" | "signal">,
  host: Pick<LoopHost, "emit" | "storeTool">,
): Promise<PendingApproval[]> {
  const pending: PendingApproval[] = [];
  const report = (o: ToolOutcome) => {
    host.storeTool(o);
    host.emit({ type: "tool_result", call_id: o.call.id, name: o.call.name, status: o.status, content: o.content });
    for (const c of o.citations) host.emit({ type: "citation", ...c });
  };
  for (const call of calls) {
    const t = triage(call, opts.tools, opts.toolContext.config);
    // What the tool is, not what happens to this call: a refused http_get still has side effects.
    const sideEffects = getTool(call.name)?.sideEffects ?? false;
    host.emit({ type: "tool_call", call_id: call.id, name: call.name, arguments: call.arguments, side_effects: sideEffects });
    if (t.kind === "done") report(t.outcome);
    else if (t.kind === "needs_approval") pending.push({ call_id: call.id, name: call.name, arguments: call.arguments, message_id: messageId });
    else report(await execute(call, t.tool, t.args, { ...opts.toolContext, signal: opts.signal }));
  }
  for (const p of pending) host.emit({ type: "approval_required", call_id: p.call_id, name: p.name, arguments: p.arguments });
  return pending;
}

export async function runLoop(opts: LoopOptions, host: LoopHost): Promise<LoopResult> {
  const { definition, signal } = opts;
  const specs = opts.tools.map(toolSpec);
  const retrieve = turnRetriever(opts.toolContext);
  const state: LoopResult = {
    reason: "stop",
    lastMessageId: opts.firstMessageId,
    pending: [],
    stepsUsed: opts.stepsUsed,
    degraded: false,
    usage: { inputTokens: 0, outputTokens: 0 },
  };
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
        messages: [...systemPrompt(definition), ...host.history()],
        temperature: definition.temperature,
        maxTokens: definition.max_tokens,
        ...(specs.length ? { tools: specs } : {}),
        ...(opts.ballot ? { ballot: opts.ballot } : {}),
      },
      signal,
      host.emit,
      retrieve,
    );
    host.finishAssistant(messageId, result);
    state.degraded ||= result.degraded;
    state.usage = { inputTokens: state.usage.inputTokens + result.usage.inputTokens, outputTokens: state.usage.outputTokens + result.usage.outputTokens };
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
    if (result.outcome === "error") return { ...state, reason: "error", ...(result.error ? { error: result.error } : {}) };
    if (result.outcome === "cancelled") return { ...state, reason: "cancelled" };
    if (result.outcome !== "tool_calls") return { ...state, reason: result.outcome };
    const pending = await handleToolCalls(result.toolCalls, messageId, opts, host);
    if (pending.length) return { ...state, reason: "awaiting_approval", pending };
  }
}
