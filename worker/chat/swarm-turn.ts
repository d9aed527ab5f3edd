// One turn of an agent for a swarm run's coordinator, answered as a value: the agent's model
// chain and its side-effect-free tools (nobody is there to approve a call) through the same tool
// loop as chat, every message stored in the agent's object one row each. The object
// (durable-objects/agent-conversation.ts) admits the caller and hands over its host (turn-host.ts).
import type { SwarmTurnInput, SwarmTurnReply } from "../conversations/agent-rpc";
import { getConfig } from "../core/config";
import { createDb } from "../core/db";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { writeLog } from "../core/logger";
import { modelPolicy } from "../core/providers/deadlines";
import type { ChatMessage } from "../core/providers/types";
import { swarmRunId } from "../swarm/agent-runner";
import { splitChoiceLines } from "../swarm/choices";
import { activeTools } from "../tools/registry";
import { checkBudget } from "../usage/budget";
import { UsageMeter } from "../usage/meter";
import { conversationGuard } from "./guard";
import { runLoop } from "./loop";
import { liveModelChain } from "./models";
import { invokeAgent, type TurnOutcome, turnAgent } from "./spans";
import { answerRecord, storeTool, type TurnHost, toolContext } from "./turn-host";
import { chargeTokenBudget } from "./usage";

/** One swarm turn under its `invoke_agent` span. */
export function runSwarmTurn(host: TurnHost, input: SwarmTurnInput): Promise<SwarmTurnReply> {
  return invokeAgent(turnAgent(input), () => swarmTurn(host, input), replyOutcome);
}

const replyOutcome = (reply: SwarmTurnReply): TurnOutcome =>
  reply.ok
    ? { outcome: "stop", degraded: reply.degraded }
    : { outcome: reply.code.toLowerCase(), blocked: reply.code === "BLOCKED" };

async function swarmTurn(host: TurnHost, input: SwarmTurnInput): Promise<SwarmTurnReply> {
  const controller = new AbortController();
  host.controller = controller;
  const { caller, conversationId, agentId, agentVersion } = input;
  host.update({
    conversationId,
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    agentId,
    status: "running",
    pending: [],
    turn: null,
    kind: "swarm",
  });
  const history: ChatMessage[] = [{ role: "user", content: input.input }];
  const asked = { role: "user", content: input.input, status: "complete", agent_version: agentVersion } as const;
  const askedId = host.messages.append({ id: newId("msg"), ...asked }).id;
  let last: { content: string; model: string } = { content: "", model: "" };
  const db = createDb(host.env.DB);
  const runId = swarmRunId(conversationId, agentId);
  const meter = new UsageMeter(db, {
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    agentId,
    agentVersion,
    conversationId,
    runId,
    surface: "swarm",
  });
  try {
    // A run started under its budget stops at the first step after the budget is spent.
    await checkBudget(db, caller.workspaceId);
    const maxTokens = Math.max(1, Math.min(input.definition.max_tokens, input.maxTokens));
    const definition = { ...input.definition, max_tokens: maxTokens };
    const models = [definition.model, ...definition.fallback_models];
    const guard = await conversationGuard(host.env, getConfig(host.env), host, input, "swarm", runId);
    // The assignment is the coordinator's text around the run's task (checked when the run started)
    // and earlier steps' outputs (each checked as it left its step, below): no input stage here.
    guard.inputChecked = true;
    const result = await runLoop(
      {
        definition,
        chain: await liveModelChain(models, host.env, getConfig(host.env), caller.workspaceId),
        tools: activeTools(definition.tools, { allowSideEffects: false }),
        toolContext: toolContext(host, input),
        signal: controller.signal,
        stepsUsed: 0,
        firstMessageId: newId("msg"),
        ...(input.ballot ? { ballot: input.ballot } : {}),
        guard,
        // Nobody reads a step as it streams: a step cut midway is answered whole by the next model.
        policy: modelPolicy(getConfig(host.env), true),
        meter,
      },
      {
        emit: () => undefined,
        history: () => history,
        reviseInput: (content, status) => {
          history[0] = { role: "user", content };
          host.messages.update(askedId, { content, status });
        },
        newMessageId: () => newId("msg"),
        beginAssistant: () => undefined,
        finishAssistant: (id, r) => {
          const toolCalls = r.toolCalls.length ? { toolCalls: r.toolCalls } : {};
          history.push({ role: "assistant", content: r.content, ...toolCalls });
          host.messages.append({ id, role: "assistant", ...answerRecord(r), agent_version: agentVersion });
          last = { content: r.content, model: r.model };
        },
        storeTool: (o) => {
          history.push({ role: "tool", content: o.content, toolCallId: o.call.id });
          storeTool(host, o, agentVersion);
        },
      },
    );
    const cancelled = result.reason === "cancelled" || controller.signal.aborted;
    if (cancelled || result.reason === "error") {
      // The coordinator charges only the turns it gets an answer from; this one spent tokens too.
      // Not awaited: the coordinator's next attempt must find this object idle at once.
      host.waitUntil(
        Promise.all([chargeTokenBudget(host.env, caller.workspaceId, result.usage), meter.flush()]).catch(
          (err: unknown) =>
            writeLog("warn", "usage_record_failed", { conversation: conversationId, error: String(err) }),
        ),
      );
      if (cancelled) {
        const message = "The turn was cancelled";
        return { ok: false, code: "CANCELLED", message, retryable: false, usage: result.usage };
      }
      const message = result.error?.message ?? "The model failed";
      return { ok: false, code: "TURN_FAILED", message, retryable: true, usage: result.usage };
    }
    // The step's usage rows are written before the coordinator hears of it, so a finished run has them all.
    await meter
      .flush()
      .catch((err: unknown) =>
        writeLog("warn", "usage_record_failed", { conversation: conversationId, error: String(err) }),
      );
    if (result.reason === "blocked") {
      const message = "Blocked by the safety policy";
      return { ok: false, code: "BLOCKED", message, retryable: false, usage: result.usage };
    }
    // What this step hands the next agent is untrusted content for it, like a tool's result; the
    // choice lines the coordinator asked for (ROUTE:, VOTE:, HANDOFF:...) are its protocol, not content.
    const { body, choices } = splitChoiceLines(last.content);
    const handed = await guard.check("tool_output", body);
    if (handed.action === "block") {
      const message = "Blocked by the safety policy: the step's output looked like instructions to the next agent";
      return { ok: false, code: "BLOCKED", message, retryable: false, usage: result.usage };
    }
    const output = handed.action === "redact" ? [handed.text, ...choices].join("\n") : last.content;
    return { ok: true, output, usage: result.usage, model: last.model, degraded: result.degraded };
  } catch (err) {
    if (err instanceof ApiError && err.code === "BUDGET_EXCEEDED")
      return { ok: false, code: "TURN_FAILED", message: err.message, retryable: false };
    const error = err instanceof Error ? err.message : String(err);
    writeLog("error", "swarm_turn_failed", { conversation: conversationId, request_id: input.requestId, error });
    return { ok: false, code: "TURN_FAILED", message: "The turn failed unexpectedly", retryable: true };
  } finally {
    if (host.controller === controller) host.controller = null;
    host.update({ status: "idle", pending: [], turn: null });
  }
}
