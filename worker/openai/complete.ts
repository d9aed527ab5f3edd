// One /v1 completion, stateless: the client sends the whole conversation each time. An agent
// target runs the same tool loop as chat, with only its side-effect-free tools (no one is
// there to approve a call); a raw model target is one model call, and tools the client
// defines are passed through and their calls returned to the client, as OpenAI does. Both run
// under the safety pipeline: the input stage before the response starts (a block is a 400), the
// answer guarded while it streams (a block ends it with finish_reason "content_filter").

import { guardNotice, turnGuard } from "../chat/guard";
import { type LoopHost, runLoop } from "../chat/loop";
import { callModel } from "../chat/model-call";
import { liveModelChain } from "../chat/models";
import { invokeAgent, loopOutcome } from "../chat/spans";
import type { Config } from "../core/config";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { modelPolicy } from "../core/providers/deadlines";
import type { Fallback } from "../core/providers/fallback";
import type { ChatMessage, Citation, ToolCall, Usage } from "../core/providers/types";
import type { Defer } from "../safety/events";
import type { TurnGuard } from "../safety/turn-guard";
import { activeTools } from "../tools/registry";
import type { UsageMeter } from "../usage/meter";
import { clientTools, type Target, toChatMessages } from "./resolve";
import type { ChatCompletionRequest } from "./schemas";

export interface CompletionResult {
  content: string;
  toolCalls: ToolCall[];
  /** The sources an agent's answer cites (the `citations` extension); none for raw models. */
  citations: Citation[];
  finish: "stop" | "length" | "tool_calls" | "content_filter";
  usage: Usage;
  degraded: boolean;
  fallback?: Fallback;
  error?: { code: string; message: string };
}

export interface GuardedCompletion {
  guard: TurnGuard;
  /** The conversation as the model may read it (the latest user message redacted if the policy says so). */
  messages: ChatMessage[];
}

/** The input stage, before any byte of the answer: a blocked message is a 400 `content_policy_violation`. */
export async function guardCompletion(
  env: Env,
  config: Config,
  workspaceId: string,
  target: Target,
  request: ChatCompletionRequest,
  defer: Defer,
  requestId: string,
): Promise<GuardedCompletion> {
  const agent = target.kind === "agent" ? { agentId: target.id, safety: target.definition.safety } : { agentId: null };
  const guard = await turnGuard(env, config, "v1", { workspaceId, ...agent, requestId }, defer);
  const messages = toChatMessages(request.messages);
  const at = messages.findLastIndex((m) => m.role === "user");
  const last = messages[at];
  guard.inputChecked = true;
  if (!last) return { guard, messages };
  const verdict = await guard.check("input", last.content);
  if (verdict.action === "block") {
    const notice = guardNotice(guard);
    throw new ApiError("BAD_REQUEST", "The message was blocked by the safety policy", {
      details: {
        openai_code: "content_policy_violation",
        param: "messages",
        stage: "input",
        findings: notice?.findings ?? [],
      },
    });
  }
  if (verdict.action === "redact") messages[at] = { ...last, content: verdict.text };
  guard.drain();
  return { guard, messages };
}

export async function complete(
  env: Env,
  config: Config,
  workspaceId: string,
  target: Target,
  request: ChatCompletionRequest,
  signal: AbortSignal,
  onDelta: (text: string) => void,
  { guard, messages }: GuardedCompletion,
  meter: UsageMeter,
): Promise<CompletionResult> {
  // A client waiting for the whole answer waits longer for it, and gets a whole answer from one model.
  const policy = modelPolicy(config, request.stream !== true);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const temperature = request.temperature ?? undefined;

  if (target.kind === "raw") {
    const r = await callModel(
      await liveModelChain([target.spec], env, config, workspaceId),
      {
        messages,
        ...(temperature !== undefined ? { temperature } : {}),
        ...(maxTokens ? { maxTokens } : {}),
        ...(request.tools?.length ? { tools: clientTools(request) } : {}),
      },
      signal,
      (e) => e.type === "token" && onDelta(e.delta),
      policy,
      undefined,
      guard,
      meter,
    );
    const finish =
      r.outcome === "blocked"
        ? "content_filter"
        : r.outcome === "length"
          ? "length"
          : r.outcome === "tool_calls"
            ? "tool_calls"
            : "stop";
    return {
      content: r.content,
      toolCalls: r.toolCalls,
      citations: [],
      finish,
      usage: r.usage,
      degraded: r.degraded,
      ...(r.fallback ? { fallback: r.fallback } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }

  const definition = {
    ...target.definition,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens ? { max_tokens: Math.min(maxTokens, target.definition.max_tokens) } : {}),
  };
  const history: ChatMessage[] = [...messages];
  let content = "";
  const citations: Citation[] = [];
  const host: LoopHost = {
    emit: (e) => {
      if (e.type === "citation") {
        const { type: _type, ...citation } = e;
        if (!citations.some((c) => c.passage_id === citation.passage_id)) citations.push(citation);
      }
      if (e.type !== "token") return;
      content += e.delta;
      onDelta(e.delta);
    },
    history: () => history,
    newMessageId: () => newId("msg"),
    beginAssistant: () => undefined,
    finishAssistant: (_id, r) => {
      history.push({
        role: "assistant",
        content: r.content,
        ...(r.toolCalls.length ? { toolCalls: r.toolCalls } : {}),
      });
    },
    storeTool: (o) => {
      history.push({ role: "tool", content: o.content, toolCallId: o.call.id });
    },
  };
  const agent = { id: target.id, name: target.definition.name, version: target.version };
  const result = await invokeAgent(
    agent,
    async () =>
      runLoop(
        {
          definition,
          chain: await liveModelChain([definition.model, ...definition.fallback_models], env, config, workspaceId),
          tools: activeTools(definition.tools, { allowSideEffects: false }),
          toolContext: {
            env,
            config,
            workspaceId,
            agentId: target.id,
            knowledgeBaseIds: definition.knowledge_base_ids,
            fetch: (req, init) => fetch(req, init),
          },
          signal,
          stepsUsed: 0,
          firstMessageId: newId("msg"),
          guard,
          policy,
          meter,
        },
        host,
      ),
    loopOutcome,
  );
  const finish =
    result.reason === "blocked"
      ? "content_filter"
      : result.reason === "length" || result.reason === "step_limit"
        ? "length"
        : "stop";
  return {
    content,
    toolCalls: [],
    citations,
    finish,
    usage: result.usage,
    degraded: result.degraded,
    ...(result.fallback ? { fallback: result.fallback } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}
