// The GenAI spans of a turn (OpenTelemetry GenAI semantic conventions,
// https://opentelemetry.io/docs/specs/semconv/gen-ai/): `invoke_agent` around a turn, `chat`
// around each model call, `execute_tool` per tool call. Only names, ids, counts and outcomes go
// on them, never the prompt, the answer or a tool's arguments and result. Without an active
// trace segment every helper here just runs the work.
import type { TurnContext } from "../conversations/agent-rpc";
import { activeSegment, type Span, startSpan, withSpan } from "../core/trace/tracer";
import type { ChatEvent } from "./events";
import type { LoopResult } from "./loop";
import type { ModelCallResult } from "./model-call";
import type { ToolOutcome } from "./tool-calls";

export interface AgentRef {
  id: string;
  name: string;
  version: number;
  conversationId?: string | undefined;
}

/** The agent a conversation's turn runs (chat and swarm turns). */
export const turnAgent = (input: Pick<TurnContext, "agentId" | "definition" | "agentVersion" | "conversationId">) => ({
  id: input.agentId,
  name: input.definition.name,
  version: input.agentVersion,
  conversationId: input.conversationId,
});

/** How a turn ended, for its span and for the trace's keep rules (blocked and degraded traces are kept). */
export interface TurnOutcome {
  outcome: string;
  degraded?: boolean;
  blocked?: boolean;
}

/** Runs one turn of `agent` under its `invoke_agent` span; `outcome` reads how it ended from its result. */
export function invokeAgent<T>(agent: AgentRef, fn: () => Promise<T>, outcome: (result: T) => TurnOutcome): Promise<T> {
  const marks = activeSegment()?.marks;
  if (marks) {
    marks.agentId ??= agent.id;
    if (agent.conversationId) marks.conversationId ??= agent.conversationId;
  }
  const attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.id": agent.id,
    "gen_ai.agent.name": agent.name,
    "gen_ai.agent.version": String(agent.version),
    "gen_ai.conversation.id": agent.conversationId,
  };
  return withSpan(`invoke_agent ${agent.name}`, attributes, async (span) => {
    const result = await fn();
    noteOutcome(span, outcome(result));
    return result;
  });
}

export const loopOutcome = (r: Pick<LoopResult, "reason" | "degraded">): TurnOutcome => ({
  outcome: r.reason,
  degraded: r.degraded,
  blocked: r.reason === "blocked",
});

function noteOutcome(span: Span, o: TurnOutcome): void {
  span.setAttributes({ "liquid_hive.outcome": o.outcome, "liquid_hive.degraded": o.degraded ?? false });
  const marks = activeSegment()?.marks;
  if (!marks) return;
  if (o.blocked) marks.blocked = true;
  if (o.degraded) marks.degraded = true;
}

/** "provider:model" (a chain label) as the GenAI attributes name them. */
function splitLabel(label: string): { provider: string; model: string } {
  const at = label.indexOf(":");
  return at === -1 ? { provider: label, model: label } : { provider: label.slice(0, at), model: label.slice(at + 1) };
}

const SECONDS = 1000;

/**
 * One model call under its `chat {model}` span: the first token's arrival as an event and as
 * `gen_ai.server.time_to_first_token` (seconds), then tokens, finish reason, who answered and
 * whether that was a fallback. A call that failed is recorded as an error on the span.
 */
export function chatSpan(
  primary: string,
  request: { maxTokens?: number | undefined; temperature?: number | undefined },
  emit: (event: ChatEvent) => void,
  call: (emit: (event: ChatEvent) => void) => Promise<ModelCallResult>,
): Promise<ModelCallResult> {
  const { provider, model } = splitLabel(primary);
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": provider,
    "gen_ai.request.model": model,
    "gen_ai.request.max_tokens": request.maxTokens,
    "gen_ai.request.temperature": request.temperature,
  };
  return withSpan(
    `chat ${model}`,
    attributes,
    async (span) => {
      const started = performance.now();
      let waiting = true;
      const timed = (event: ChatEvent) => {
        if (waiting && event.type === "token") {
          waiting = false;
          span.addEvent("gen_ai.first_token");
          span.setAttribute("gen_ai.server.time_to_first_token", (performance.now() - started) / SECONDS);
        }
        emit(event);
      };
      const r = await call(timed);
      const answered = splitLabel(r.model);
      span.setAttributes({
        "gen_ai.response.model": answered.model,
        "liquid_hive.response.provider": answered.provider,
        "gen_ai.usage.input_tokens": r.usage.inputTokens,
        "gen_ai.usage.output_tokens": r.usage.outputTokens,
        "gen_ai.response.finish_reasons": r.outcome,
        "liquid_hive.degraded": r.degraded,
        "liquid_hive.fallback.reason": r.fallback?.reason,
        "liquid_hive.fallback.model": r.fallback?.model,
        "liquid_hive.tool_calls": r.toolCalls.length,
      });
      if (r.degraded) {
        const marks = activeSegment()?.marks;
        if (marks) marks.degraded = true;
      }
      if (r.error) span.recordError(Object.assign(new Error(r.error.message), { name: r.error.code }));
      return r;
    },
    "client",
  );
}

type ToolStatus = ToolOutcome["status"] | "awaiting_approval";

const toolAttributes = (call: { id: string; name: string }) => ({
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": call.name,
  "gen_ai.tool.call.id": call.id,
  "gen_ai.tool.type": "function",
});

/** A tool call that runs: the span lasts as long as the tool; its status, never its arguments or result. */
export function executeToolSpan(
  call: { id: string; name: string },
  run: () => Promise<ToolOutcome>,
): Promise<ToolOutcome> {
  return withSpan(`execute_tool ${call.name}`, toolAttributes(call), async (span) => {
    const outcome = await run();
    span.setAttribute("liquid_hive.tool.status", outcome.status);
    if (outcome.status === "error")
      span.recordError(Object.assign(new Error("the tool failed"), { name: "ToolError" }));
    return outcome;
  });
}

/** A tool call decided without running it: refused before it ran, denied by a person, or waiting for one. */
export function toolDecisionSpan(call: { id: string; name: string }, status: ToolStatus): void {
  startSpan(`execute_tool ${call.name}`, { ...toolAttributes(call), "liquid_hive.tool.status": status }).end();
}
