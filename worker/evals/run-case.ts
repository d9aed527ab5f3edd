// One case of an evaluation run as a real agent turn: a new conversation per attempt, opened for
// the run's creator through the conversation's Agent Durable Object, exactly as a chat message
// is (worker/chat/start.ts), so the safety policy, token budget and usage apply (its usage rows
// carry the run's id, surface `eval`) and the conversation and trace stay linked from the result. A conversation case replays its user messages as
// turns; the last answer is the one scored.
import type { EvalInput } from "@hive/shared/api-types/evals";
import type { ChatEvent } from "../chat/events";
import { collectEvents } from "../chat/start";
import type { StreamResult } from "../conversations/agent-rpc";
import { conversationAgent, conversationTitle } from "../conversations/service";
import { newId } from "../core/ids";
import { callDurableObject } from "../core/trace/rpc";
import { observe, type TurnObservation } from "./observe";
import type { AgentTarget, RunPlan } from "./run-store";

export interface CaseRun {
  conversationId: string;
  seen: TurnObservation;
}

/** The user messages a case sends, in order. */
export const userMessages = (input: EvalInput): string[] =>
  "message" in input ? [input.message] : input.messages.filter((m) => m.role === "user").map((m) => m.content);

export async function runAgentCase(env: Env, plan: RunPlan, target: AgentTarget, input: EvalInput): Promise<CaseRun> {
  const { agentId, agentVersion, definition } = target;
  const conversationId = newId("conv");
  const stub = conversationAgent(env, conversationId);
  const started = Date.now();
  const events: ChatEvent[] = [];
  const messages = userMessages(input);
  for (const [i, message] of messages.entries()) {
    // Typed as the object declares it (the RPC stub's type drops the failure variant).
    const reply = (await callDurableObject("ConversationAgent", "chat", (traceparent) =>
      stub.chat({
        caller: { workspaceId: plan.workspaceId, userId: plan.createdBy },
        conversationId,
        agentId,
        agentVersion,
        definition,
        message,
        requestId: `${plan.runId}:${conversationId}`,
        traceparent,
        evalRunId: plan.runId,
        ...(i === 0 ? { open: { title: conversationTitle(`[eval] ${message}`) } } : {}),
      }),
    )) as StreamResult;
    if (!reply.ok) {
      events.push({ type: "error", code: reply.code, message: reply.message, message_id: null });
      break;
    }
    const turn = await collectEvents(reply.stream);
    events.push(...turn);
    if (turn.some((e) => e.type === "error" || (e.type === "done" && e.reason === "blocked"))) break;
  }
  return { conversationId, seen: observe(events, Date.now() - started) };
}
