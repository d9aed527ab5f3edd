// "Add to dataset": a case made from a stored conversation, so a good (or a bad) answer seen in
// the dashboard becomes a regression test. The conversation is read from its Agent, which is
// authoritative, and only if it is the caller's own (the conversations' access rule: anyone
// else's, or another tenant's, is not found). The turn's user message(s) become the input; its
// answer, cited documents and tool calls become what the case expects.

import type { ConversationMessage } from "../conversations/message-types";
import { callerOf, conversationAgent, findConversation, unwrap } from "../conversations/service";
import type { Database } from "../core/db";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { EvalCaseInput } from "./cases-schemas";

const PAGE = 200;

async function allMessages(env: Env, p: AuthenticatedPrincipal, conversationId: string) {
  const out: ConversationMessage[] = [];
  let after = 0;
  for (;;) {
    const snap = unwrap(
      await conversationAgent(env, conversationId).snapshot(callerOf(p), conversationId, after, PAGE),
    );
    out.push(...snap.messages);
    if (snap.next_cursor === null) return out;
    after = Number(snap.next_cursor);
  }
}

const unprocessable = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError("UNPROCESSABLE", message, { details });

/** The answer the case is made from: the one at `seq`, or the last finished one. */
function pickAnswer(messages: ConversationMessage[], seq: number | undefined): ConversationMessage {
  const isAnswer = (m: ConversationMessage) => m.role === "assistant" && m.content !== "" && m.status !== "streaming";
  if (seq === undefined) {
    const last = messages.filter(isAnswer).pop();
    if (!last) throw unprocessable("The conversation has no finished answer yet");
    return last;
  }
  const found = messages.find((m) => m.seq === seq);
  if (!found) throw unprocessable(`The conversation has no message ${seq}`, { message_seq: seq });
  if (!isAnswer(found)) throw unprocessable(`Message ${seq} is not a finished answer`, { message_seq: seq });
  return found;
}

function argumentsOf(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The case a conversation's answer makes (validated like any other case). */
export async function caseFromConversation(
  env: Env,
  db: Database,
  p: AuthenticatedPrincipal,
  body: { conversation_id: string; message_seq?: number | undefined },
): Promise<EvalCaseInput> {
  const conversation = await findConversation(db, p, body.conversation_id);
  const messages = await allMessages(env, p, conversation.id);
  const answer = pickAnswer(messages, body.message_seq);
  const before = messages.filter((m) => m.seq < answer.seq);
  const turnStart = before.findLast((m) => m.role === "user");
  if (!turnStart) throw unprocessable("The answer has no user message before it", { message_seq: answer.seq });
  const history = before.filter((m) => m.seq <= turnStart.seq && m.role !== "tool" && m.content !== "");
  const toolCalls = before
    .filter((m) => m.seq > turnStart.seq && m.role === "assistant")
    .flatMap((m) => m.tool_calls ?? [])
    .map((call) => {
      const args = argumentsOf(call.arguments);
      return args ? { name: call.name, arguments: args } : { name: call.name };
    });
  const sources = [...new Set((answer.citations ?? []).map((c) => c.document_name))];
  const blocked = answer.status === "blocked";
  const candidate = {
    input:
      history.length === 1
        ? { message: turnStart.content }
        : { messages: history.map((m) => ({ role: m.role, content: m.content })) },
    ...(blocked ? { expect_refusal: true } : { expected_output: answer.content }),
    ...(sources.length ? { expected_sources: sources } : {}),
    ...(toolCalls.length ? { expected_tool_calls: toolCalls } : {}),
    metadata: {
      source: "conversation",
      conversation_id: conversation.id,
      message_seq: answer.seq,
      agent_id: conversation.agentId,
      agent_version: answer.agent_version,
    },
  };
  const parsed = EvalCaseInput.safeParse(candidate);
  if (!parsed.success) {
    throw unprocessable("This answer cannot be stored as a case", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}
