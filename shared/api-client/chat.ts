// POST /api/agents/:id/chat and the approval route: answers streamed as Server-Sent Events.
// A ChatStream yields the Worker's ChatEvents as they arrive; to stop an answer call
// `conversations.cancel(id)` and keep reading: the stream then ends with `done` (cancelled).
import type { AnswerCitation, AnswerFallback, ApprovalBody, ChatBody, ChatEvent, Conversation } from "../api-types";
import { readSse } from "../sse";
import { segment } from "./query";
import type { CallOptions, Transport } from "./transport";

export type { AnswerCitation, ApprovalBody, ChatBody, ChatEvent, FinishReason } from "../api-types";
export type ChatEventType = ChatEvent["type"];
export type ChatEventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;

export type { AnswerFallback } from "../api-types";

/**
 * A short phrase for a degraded answer's reason: "no model configured", "openai-compatible:m failed
 * (HTTP 500)", and for an answer another model finished, where it took over.
 */
export function fallbackText(f: AnswerFallback): string {
  const why = reasonText(f);
  return f.switched_at === undefined ? why : `${why} mid-answer, continued from character ${f.switched_at}`;
}

function reasonText(f: AnswerFallback): string {
  const model = f.model ?? "the model";
  switch (f.reason) {
    case "no_model":
      return "no model configured";
    case "inference_off":
      return "model calls switched off";
    case "timeout":
      return `${model} timed out`;
    case "circuit_open":
      return `${model} paused (circuit open)`;
    case "model_failed":
      return `${model} failed${f.status !== undefined ? ` (HTTP ${f.status})` : ""}`;
  }
}

/** A citation event as the source it names (without the event's `type`). */
export function citationOf({ type: _type, ...citation }: ChatEventOf<"citation">): AnswerCitation {
  return citation;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<ChatEventType>([
  "start",
  "token",
  "tool_call",
  "tool_result",
  "approval_required",
  "citation",
  "usage",
  "guard",
  "done",
  "error",
]);

export interface ChatStream {
  /** The conversation the answer belongs to (X-Conversation-Id; approvals continue a known one). */
  conversationId: string | null;
  /** The request's trace (X-Trace-Id); kept for GET /api/traces/:id when the sampler keeps it. */
  traceId: string | null;
  events: AsyncIterable<ChatEvent>;
}

/** Chat events from an SSE body; frames of a type this client does not know are skipped, so a newer Worker cannot break it. */
export async function* chatEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ChatEvent> {
  for await (const message of readSse(body, signal)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.data);
    } catch {
      continue;
    }
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "type" in parsed &&
      typeof parsed.type === "string" &&
      EVENT_TYPES.has(parsed.type)
    ) {
      yield parsed as ChatEvent;
    }
  }
}

export class ChatApi {
  constructor(private readonly http: Transport) {}

  /**
   * Opens a conversation before its first message, so that message streams as fast as a
   * continued conversation's (send it with this `conversation_id`). Without a title the first
   * message names it.
   */
  open(agentId: string, body: { title?: string } = {}, opts?: CallOptions): Promise<Conversation> {
    return this.http.json<Conversation>("POST", `/api/agents/${segment(agentId)}/conversations`, body, opts);
  }

  /** Sends one message; omit `conversation_id` to start a new conversation. */
  async send(agentId: string, body: ChatBody, opts: CallOptions = {}): Promise<ChatStream> {
    const res = await this.http.stream("POST", `/api/agents/${segment(agentId)}/chat`, body, opts);
    return {
      conversationId: res.headers.get("X-Conversation-Id") ?? body.conversation_id ?? null,
      traceId: res.headers.get("X-Trace-Id"),
      events: chatEvents(res.body, opts.signal),
    };
  }

  /** Approves or denies a tool call that waits for a person; the rest of the answer streams back. */
  async decide(
    conversationId: string,
    callId: string,
    body: ApprovalBody,
    opts: CallOptions = {},
  ): Promise<ChatStream> {
    const res = await this.http.stream(
      "POST",
      `/api/conversations/${segment(conversationId)}/approvals/${segment(callId)}`,
      body,
      opts,
    );
    return { conversationId, traceId: res.headers.get("X-Trace-Id"), events: chatEvents(res.body, opts.signal) };
  }
}
