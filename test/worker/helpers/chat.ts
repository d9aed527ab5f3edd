// Helpers for agent and chat tests: create agents, send chat messages and read the SSE
// answer back as typed events.
import { SELF } from "cloudflare:test";
import type { Agent, CreateAgentBody } from "../../../worker/agents/schemas";
import type { ChatEvent } from "../../../worker/chat/events";
import type { ModelEvent } from "../../../worker/core/providers/types";
import { BASE, expectStatus } from "./harness";

export type AgentInput = Partial<CreateAgentBody> & { name?: string };

export async function createAgent(token: string, input: AgentInput = {}): Promise<Agent> {
  return expectStatus<Agent>(201, "POST", "/api/agents", { token, body: { name: "Test agent", ...input } });
}

/** Parses a complete SSE body into events (`event:` + one `data:` JSON line per frame). */
export function parseSse(text: string): ChatEvent[] {
  const events: ChatEvent[] = [];
  for (const frame of text.split("\n\n")) {
    const data = frame.split("\n").find((l) => l.startsWith("data: "));
    if (data) events.push(JSON.parse(data.slice(6)) as ChatEvent);
  }
  return events;
}

export interface ChatResult {
  status: number;
  events: ChatEvent[];
  conversationId: string;
  /** The raw body when the answer was not a stream (an error envelope). */
  body: unknown;
}

async function readAnswer(res: Response): Promise<ChatResult> {
  const text = await res.text();
  const isStream = (res.headers.get("Content-Type") ?? "").startsWith("text/event-stream");
  const events = isStream ? parseSse(text) : [];
  const start = events.find((e) => e.type === "start");
  return {
    status: res.status,
    events,
    conversationId: start?.type === "start" ? start.conversation_id : "",
    body: isStream ? text : text ? JSON.parse(text) : null,
  };
}

export function chatRequest(
  token: string,
  agentId: string,
  message: unknown,
  conversationId?: string,
): Promise<Response> {
  return SELF.fetch(`${BASE}/api/agents/${agentId}/chat`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ message, ...(conversationId ? { conversation_id: conversationId } : {}) }),
  });
}

export async function chat(
  token: string,
  agentId: string,
  message: unknown,
  conversationId?: string,
): Promise<ChatResult> {
  return readAnswer(await chatRequest(token, agentId, message, conversationId));
}

export async function decide(
  token: string,
  conversationId: string,
  callId: string,
  decision: "approve" | "deny",
  reason?: string,
): Promise<ChatResult> {
  const res = await SELF.fetch(`${BASE}/api/conversations/${conversationId}/approvals/${callId}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ decision, ...(reason ? { reason } : {}) }),
  });
  return readAnswer(res);
}

export const types = (events: readonly ChatEvent[]) => events.map((e) => e.type);

export const text = (events: readonly ChatEvent[]) => events.map((e) => (e.type === "token" ? e.delta : "")).join("");

/** A model turn that asks for one tool call. */
export function toolCallScript(
  name: string,
  args: Record<string, unknown> | string,
  id = `call_${name}`,
): ModelEvent[] {
  return [
    { type: "tool_call", call: { id, name, arguments: typeof args === "string" ? args : JSON.stringify(args) } },
    { type: "finish", reason: "tool_calls", usage: { inputTokens: 5, outputTokens: 3 } },
  ];
}
