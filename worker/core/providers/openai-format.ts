// The OpenAI chat wire format, which both Workers AI and OpenAI-compatible servers accept.
import type { ChatMessage, FinishReason, ToolSpec } from "./types";

export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface WireMessage {
  role: ChatMessage["role"];
  content: string;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
}

export function toWireMessages(messages: ChatMessage[]): WireMessage[] {
  return messages.map((m) => {
    const wire: WireMessage = { role: m.role, content: m.content };
    if (m.toolCalls?.length) {
      wire.tool_calls = m.toolCalls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      }));
    }
    if (m.toolCallId) wire.tool_call_id = m.toolCallId;
    return wire;
  });
}

export function toWireTools(tools: ToolSpec[]) {
  return tools.map((t) => ({
    type: "function" as const,
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

export function toFinishReason(reason: unknown, hadToolCalls: boolean): FinishReason {
  if (hadToolCalls || reason === "tool_calls" || reason === "function_call") return "tool_calls";
  if (reason === "length") return "length";
  return "stop";
}

/** Tool arguments must reach callers as a JSON string; some models return an object. */
export function argumentsJson(args: unknown): string {
  if (typeof args === "string") return args;
  return JSON.stringify(args ?? {});
}
