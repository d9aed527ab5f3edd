// The chat stream's event schema: what POST /api/agents/:id/chat and the approval route send
// as Server-Sent Events (`event: <type>` + `data: <json>`), and what WebSocket clients of the
// conversation's Agent receive as `{ type: "chat_event", event }`. Order within one answer:
//   start, then any of retrieval / token / citation / tool_call / tool_result / approval_required /
//   usage / guard (usage once per model call), then exactly one of done or error.
import { z } from "@hono/zod-openapi";
import { FALLBACK_REASONS } from "../core/providers/fallback";
import { DETECTORS, SAFETY_STAGES } from "../safety/types";
import { CitationFields } from "./citations";

/** `blocked`: the safety policy stopped the turn (its input, or its answer while streaming). */
export const FINISH_REASONS = ["stop", "length", "cancelled", "awaiting_approval", "step_limit", "blocked"] as const;

export const GuardFinding = z
  .object({
    detector: z.enum(DETECTORS),
    category: z.string(),
    score: z.number(),
    action: z.enum(["flag", "redact", "block"]),
  })
  .openapi("GuardFinding");

/** Why an answer is degraded; the chat stream's `usage` event and /v1's extension carry it. */
export const AnswerFallback = z
  .object({
    reason: z.enum(FALLBACK_REASONS),
    model: z.string().optional().openapi({ description: "The configured model that failed (provider:model)" }),
    status: z.number().int().optional().openapi({ description: "The HTTP status it answered with" }),
    switched_at: z.number().int().optional().openapi({
      description: "Set when it failed mid-answer: characters it had sent before the next model continued",
    }),
  })
  .openapi("AnswerFallback", {
    description:
      "Why a degraded answer is degraded: no_model (none configured), inference_off (kill switch), " +
      "or the configured model failed: model_failed (with its HTTP status), timeout, circuit_open; " +
      "switched_at says the answer was continued by the next model from that character",
  });

export const ChatEvent = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("start"),
      conversation_id: z.string(),
      message_id: z.string().openapi({ description: "The assistant message this answer is stored as" }),
      agent_id: z.string(),
      agent_version: z.number().int(),
      resumed: z.boolean().openapi({ description: "True when continuing after an approval" }),
    }),
    z.object({ type: z.literal("token"), delta: z.string() }),
    z.object({
      type: z.literal("tool_call"),
      call_id: z.string(),
      name: z.string(),
      arguments: z.string().openapi({ description: "JSON as the model produced it" }),
      side_effects: z.boolean(),
    }),
    z.object({
      type: z.literal("tool_result"),
      call_id: z.string(),
      name: z.string(),
      status: z.enum(["ok", "error", "denied"]),
      content: z.string(),
    }),
    z.object({ type: z.literal("approval_required"), call_id: z.string(), name: z.string(), arguments: z.string() }),
    z.object({ type: z.literal("citation"), ...CitationFields }),
    z.object({
      type: z.literal("retrieval"),
      passages: z
        .array(
          z.object({ passage_id: z.string(), document_id: z.string(), document_name: z.string() }).openapi({
            description: "A passage the turn retrieved for a model that cannot call tools",
          }),
        )
        .openapi({ description: "In rank order, best first" }),
    }),
    z.object({
      type: z.literal("usage"),
      tokens_in: z.number().int(),
      tokens_out: z.number().int(),
      latency_ms: z.number().int(),
      model: z.string(),
      degraded: z.boolean().openapi({ description: "Answered by a fallback or by the extractive offline model" }),
      fallback: AnswerFallback.optional(),
    }),
    z.object({
      type: z.literal("done"),
      reason: z.enum(FINISH_REASONS),
      message_id: z.string(),
      degraded: z.boolean(),
      pending_approvals: z
        .array(z.string())
        .openapi({ description: "Tool call ids waiting for POST .../approvals/:callId" }),
    }),
    z.object({
      type: z.literal("guard"),
      stage: z.enum(SAFETY_STAGES),
      action: z.enum(["redact", "block"]).openapi({ description: "block on retrieval or tool_output: quarantined" }),
      findings: z.array(GuardFinding),
      quarantined: z.number().int().optional().openapi({ description: "Passages or results replaced by a notice" }),
    }),
    z.object({ type: z.literal("error"), code: z.string(), message: z.string(), message_id: z.string().nullable() }),
  ])
  .openapi("ChatEvent");

export type ChatEvent = z.infer<typeof ChatEvent>;
export type FinishReason = (typeof FINISH_REASONS)[number];

const encoder = new TextEncoder();

export function sseFrame(event: ChatEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
} as const;
