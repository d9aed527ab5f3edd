// The chat stream: what POST /api/agents/:id/chat and the approval route send as Server-Sent
// Events, and what the conversation socket relays. Order within one answer: start, then any of
// token / citation / tool_call / tool_result / approval_required / usage / guard, then done or error.
import type { DetectorId, SafetyStage } from "./safety";

/** `blocked`: the safety policy stopped the turn (its input, or its answer while streaming). */
export type FinishReason = "stop" | "length" | "cancelled" | "awaiting_approval" | "step_limit" | "blocked";

/** One finding the safety policy acted on, as the chat stream's guard event reports it. */
export interface GuardFinding {
  detector: DetectorId;
  category: string;
  score: number;
  action: "flag" | "redact" | "block";
}

/** A source an answer cites with its `[n]` marker. */
export interface AnswerCitation {
  passage_id: string;
  marker: number;
  document_id: string;
  document_name: string;
  knowledge_base_id: string;
  /** The web page the cited document was fetched from (absent or null for uploads). */
  source_url?: string | null;
  snippet: { text: string; start_offset: number; end_offset: number };
}

export type ChatEvent =
  | {
      type: "start";
      conversation_id: string;
      message_id: string;
      agent_id: string;
      agent_version: number;
      resumed: boolean;
    }
  | { type: "token"; delta: string }
  | { type: "tool_call"; call_id: string; name: string; arguments: string; side_effects: boolean }
  | { type: "tool_result"; call_id: string; name: string; status: "ok" | "error" | "denied"; content: string }
  | { type: "approval_required"; call_id: string; name: string; arguments: string }
  | ({ type: "citation" } & AnswerCitation)
  /** The passages the turn retrieved for a model that cannot call tools, best first. */
  | { type: "retrieval"; passages: { passage_id: string; document_id: string; document_name: string }[] }
  | {
      type: "usage";
      tokens_in: number;
      tokens_out: number;
      latency_ms: number;
      model: string;
      degraded: boolean;
      fallback?: AnswerFallback;
    }
  | { type: "done"; reason: FinishReason; message_id: string; degraded: boolean; pending_approvals: string[] }
  | {
      type: "guard";
      stage: SafetyStage;
      /** block on retrieval or tool_output: quarantined. */
      action: "redact" | "block";
      findings: GuardFinding[];
      /** Passages or results replaced by a notice. */
      quarantined?: number;
    }
  | { type: "error"; code: string; message: string; message_id: string | null };

/** Why an answer is degraded: none configured, the inference kill switch, or the configured model failed. */
export const FALLBACK_REASONS = ["no_model", "inference_off", "model_failed", "timeout", "circuit_open"] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

export interface AnswerFallback {
  reason: FallbackReason;
  /** The configured model that failed ("provider:model"), for the failure reasons. */
  model?: string;
  /** The HTTP status it answered with, when it answered at all. */
  status?: number;
  /** Set when the model failed mid-answer: characters of the answer it had sent before the next one continued. */
  switched_at?: number;
}
