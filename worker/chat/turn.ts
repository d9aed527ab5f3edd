// One chat turn inside the conversation's Agent Durable Object: from the `start` event to `done`
// (or `error`), through the tool loop, with the answer's status stored, the D1 mirror timed
// (first-mirror.ts) and the tokens charged. The object hands over its state, storage and sockets
// (turn-host.ts) and gets back the stream it returns over RPC; the turn runs on in waitUntil,
// so an answer whose HTTP client went away is still finished and stored.
import { agentUsageUpdate } from "../agents/service";
import type { ApprovalInput, StreamResult, TurnContext } from "../conversations/agent-rpc";
import {
  HISTORY_CHAR_BUDGET,
  type PendingApproval,
  recentHistory,
  toChatMessages,
} from "../conversations/message-types";
import { getConfig } from "../core/config";
import { createDb } from "../core/db";
import { newId } from "../core/ids";
import { writeLog } from "../core/logger";
import { modelPolicy } from "../core/providers/deadlines";
import type { TurnGuard } from "../safety/turn-guard";
import { activeTools } from "../tools/registry";
import { UsageMeter } from "../usage/meter";
import type { ChatEvent } from "./events";
import { conversationGuard } from "./guard";
import { type LoopHost, runLoop, screenOutcome, turnEndStatus } from "./loop";
import { liveModelChain } from "./models";
import { invokeAgent, loopOutcome, type TurnOutcome, toolDecisionSpan, turnAgent } from "./spans";
import { denied, execute, type ToolOutcome, triage } from "./tool-calls";
import { answerRecord, dropPending, storeTool, type TurnHost, toolContext } from "./turn-host";
import { TurnStream } from "./turn-stream";
import { chargeTokenBudget } from "./usage";

/** What runs before the model: nothing for a new message, the decided tool call after an approval. */
export type Preface = (
  emit: (e: ChatEvent) => void,
  signal: AbortSignal,
  guard: TurnGuard,
) => Promise<PendingApproval[] | "continue">;

export const noPreface: Preface = async () => "continue";

/** Starts a turn; the stream carries its events, the work goes on in the host's waitUntil. */
export function startTurn(
  host: TurnHost,
  input: TurnContext,
  firstMessageId: string,
  resumed: boolean,
  preface: Preface,
): StreamResult {
  const controller = new AbortController();
  host.controller = controller;
  const afterEmit = host.hold.begin(() => void host.mirror("running", input.agentVersion));
  const stream = new TurnStream((m) => host.broadcast(m), input.conversationId, afterEmit);
  stream.emit({
    type: "start",
    conversation_id: input.conversationId,
    message_id: firstMessageId,
    agent_id: input.agentId,
    agent_version: input.agentVersion,
    resumed,
  });
  const work = invokeAgent(
    turnAgent(input),
    () => drive(host, input, stream, controller.signal, firstMessageId, resumed, preface),
    (outcome) => outcome,
  )
    .catch((err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      const context = { conversation: input.conversationId, request_id: input.requestId, error };
      writeLog("error", "conversation_turn_failed", context);
      host.update({ status: "idle", pending: [], turn: null });
      host.hold.stop();
      void host.mirror("error");
      stream.emit({ type: "error", code: "INTERNAL", message: "The answer failed unexpectedly", message_id: null });
    })
    .finally(() => {
      if (host.controller === controller) host.controller = null;
      return stream.close();
    });
  host.waitUntil(work);
  return { ok: true, stream: stream.readable };
}

/** After an approval: the decided call runs (or is denied) first, then the loop goes on. */
export function approvalPreface(
  host: TurnHost,
  input: ApprovalInput,
  pending: PendingApproval,
  remaining: PendingApproval[],
): Preface {
  return async (emit, signal, guard) => {
    const call = { id: pending.call_id, name: pending.name, arguments: pending.arguments };
    let outcome: ToolOutcome;
    if (input.decision === "deny") {
      toolDecisionSpan(call, "denied");
      outcome = denied(call, `The user denied this tool call${input.reason ? `: ${input.reason}` : "."}`);
    } else {
      const tools = activeTools(input.definition.tools);
      const t = triage(call, tools, getConfig(host.env));
      const context = { ...toolContext(host, input), signal, guard };
      outcome = t.kind === "done" ? t.outcome : await execute(call, t.tool, t.args, context);
      outcome = await screenOutcome(guard, outcome, emit);
    }
    storeTool(host, outcome, input.agentVersion);
    emit({ type: "tool_result", call_id: call.id, name: call.name, status: outcome.status, content: outcome.content });
    return remaining.length > 0 ? remaining : "continue";
  };
}

async function drive(
  host: TurnHost,
  input: TurnContext,
  stream: TurnStream,
  signal: AbortSignal,
  firstMessageId: string,
  isResume: boolean,
  preface: Preface,
): Promise<TurnOutcome> {
  const turn = host.state.turn ?? { firstMessageId, agentVersion: input.agentVersion, stepsUsed: 0, degraded: false };
  const guard = await conversationGuard(host.env, getConfig(host.env), host, input, input.surface ?? "chat");
  const waiting = await preface(stream.emit, signal, guard);
  if (waiting !== "continue" && !signal.aborted) {
    host.update({ status: "awaiting_approval", pending: waiting });
    host.hold.stop();
    await host.mirror("awaiting_approval");
    stream.emit({
      type: "done",
      reason: "awaiting_approval",
      message_id: firstMessageId,
      degraded: turn.degraded,
      pending_approvals: waiting.map((p) => p.call_id),
    });
    return { outcome: "awaiting_approval", degraded: turn.degraded };
  }
  const { definition, caller } = input;
  const models = [definition.model, ...definition.fallback_models];
  const db = createDb(host.env.DB);
  const meter = new UsageMeter(db, {
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    agentId: input.agentId,
    agentVersion: input.agentVersion,
    conversationId: input.conversationId,
    evalRunId: input.evalRunId ?? null,
    surface: input.evalRunId ? "eval" : input.surface === "mcp" ? "mcp" : "chat",
  });
  const result = await runLoop(
    {
      definition,
      chain: await liveModelChain(models, host.env, getConfig(host.env), caller.workspaceId),
      tools: activeTools(definition.tools),
      toolContext: toolContext(host, input),
      signal,
      stepsUsed: turn.stepsUsed,
      // Resuming after an approval: the message that asked for the tool exists; answer in a new one.
      firstMessageId: isResume ? newId("msg") : firstMessageId,
      guard,
      policy: modelPolicy(getConfig(host.env)),
      meter,
    },
    loopHost(host, input, stream.emit),
  );
  const degraded = turn.degraded || result.degraded;
  if (result.reason === "cancelled") dropPending(host, host.state.pending);
  const awaiting = result.reason === "awaiting_approval";
  host.update({
    status: awaiting ? "awaiting_approval" : "idle",
    pending: awaiting ? result.pending : [],
    turn: awaiting ? { ...turn, agentVersion: input.agentVersion, stepsUsed: result.stepsUsed, degraded } : null,
  });
  // The final status is mirrored now whatever the hold: a "running" must never follow it.
  host.hold.stop();
  // One D1 batch (messages, status, the agent's usage totals, a usage row per model call) beside
  // the token-budget charge.
  const { inputTokens, outputTokens } = result.usage;
  const usage = agentUsageUpdate(db, caller.workspaceId, input.agentId, inputTokens, outputTokens);
  const final = result.reason === "awaiting_approval" ? "awaiting_approval" : turnEndStatus(result.reason);
  const calls = await meter.take();
  await Promise.all([
    host.mirror(final, undefined, usage ? [usage, ...calls] : calls),
    chargeTokenBudget(host.env, caller.workspaceId, result.usage).catch((err: unknown) =>
      writeLog("warn", "usage_record_failed", { conversation: input.conversationId, error: String(err) }),
    ),
  ]);
  if (result.reason === "error") {
    stream.emit({
      type: "error",
      code: result.error?.code ?? "MODEL_ERROR",
      message: result.error?.message ?? "The model failed",
      message_id: result.lastMessageId,
    });
  } else {
    stream.emit({
      type: "done",
      reason: result.reason,
      message_id: result.lastMessageId,
      degraded,
      pending_approvals: result.pending.map((p) => p.call_id),
    });
  }
  return loopOutcome({ reason: result.reason, degraded });
}

/** How often the text streamed so far is saved: a reset then keeps at most this much less than the client saw. */
const PARTIAL_SAVE_MS = 200;

function loopHost(host: TurnHost, input: TurnContext, emit: (e: ChatEvent) => void): LoopHost {
  // The answer being streamed, saved as it grows so an object reset mid-answer keeps its partial text.
  let streaming: { id: string; text: string; savedAt: number } | null = null;
  return {
    emit: (e) => {
      if (e.type === "token" && streaming) {
        streaming.text += e.delta;
        if (Date.now() - streaming.savedAt >= PARTIAL_SAVE_MS) {
          host.messages.update(streaming.id, { content: streaming.text });
          streaming.savedAt = Date.now();
        }
      }
      emit(e);
    },
    history: () => toChatMessages(recentHistory(host.messages.recent(HISTORY_CHAR_BUDGET))),
    newMessageId: () => newId("msg"),
    beginAssistant: (id) => {
      const { agentVersion } = input;
      host.messages.append({ id, role: "assistant", content: "", status: "streaming", agent_version: agentVersion });
      streaming = { id, text: "", savedAt: Date.now() };
      if (!host.hold.isHeld) void host.mirror();
    },
    finishAssistant: (id, r) => {
      streaming = null;
      host.messages.update(id, answerRecord(r));
      // An answer that ends the turn goes out with the turn's final status (drive()), in one batch.
      if (r.outcome === "tool_calls") void host.mirror();
    },
    storeTool: (o) => storeTool(host, o, input.agentVersion),
    reviseInput: (content, status) => {
      const asked = host.messages.recent(HISTORY_CHAR_BUDGET).findLast((m) => m.role === "user");
      if (asked) host.messages.update(asked.id, { content, status });
    },
  };
}
