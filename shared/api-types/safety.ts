// The safety service's vocabulary and policy shape, as the API speaks them (the Worker's zod
// schemas in worker/safety/policy.ts are checked against these).
import type { Page } from "./page";

/** Where in a turn a text is checked: the user's message, a retrieved chunk, a tool's result, the model's answer. */
export const SAFETY_STAGES = ["input", "retrieval", "tool_output", "output"] as const;
export type SafetyStage = (typeof SAFETY_STAGES)[number];

/** What a policy does with a finding, mildest first: the strongest action among a text's findings wins. */
export const SAFETY_ACTIONS = ["allow", "flag", "redact", "block"] as const;
export type SafetyAction = (typeof SAFETY_ACTIONS)[number];

/**
 * injection: prompt injection and jailbreak attempts (a score from the local classifier and rules).
 * pii: personal data with validated formats (email, phone, payment card, IBAN, SSN, IP, national ids).
 * secrets: credentials (cloud/SaaS API keys, JWTs, private keys, passwords in URLs).
 * moderation: harmful content (Llama Guard categories when Workers AI is bound; a small local lexicon offline).
 * canary: the agent's secret canary, present only in its system prompt, showing up in an answer (prompt leakage).
 */
export const DETECTORS = ["injection", "pii", "secrets", "moderation", "canary"] as const;
export type DetectorId = (typeof DETECTORS)[number];

export interface SafetyRule {
  action: SafetyAction;
  /** Findings scoring below this are ignored (default: the detector's calibrated threshold). */
  threshold?: number;
  /** Actions for single categories of the detector's findings, over `action` (e.g. pii: `{ email: "flag" }`). */
  categories?: Record<string, SafetyAction>;
}

export interface SafetyStagePolicy {
  enabled?: boolean;
  detectors?: Partial<Record<DetectorId, SafetyRule>>;
}

/** A policy as stored (workspace) or carried by an agent version: every part optional, laid over what is below. */
export type SafetyPolicy = Partial<Record<SafetyStage, SafetyStagePolicy>>;

/** A stage's rules with every detector decided (a policy laid over the platform default). */
export interface EffectiveSafetyStage {
  enabled: boolean;
  detectors: Record<DetectorId, SafetyRule>;
}
export type EffectiveSafetyPolicy = Record<SafetyStage, EffectiveSafetyStage>;

/** POST /api/safety/check */
export interface SafetyCheckRequest {
  text: string;
  stage?: SafetyStage;
  /** Check with this agent's policy over the workspace's. */
  agent_id?: string;
}

export interface SafetyFinding {
  detector: DetectorId;
  category: string;
  score: number;
  /** UTF-16 offsets of the span in the checked text (end exclusive), when the finding has one. */
  start?: number;
  end?: number;
  action: SafetyAction;
}

export interface SafetyCheckResponse {
  verdict: SafetyAction;
  findings: SafetyFinding[];
  redacted_text?: string;
  latency_ms: number;
}

/** GET /api/safety/events: one finding a policy acted on. Never the text: its SHA-256 and a redacted snippet. */
export interface SafetyEvent {
  id: string;
  agent_id: string | null;
  conversation_id: string | null;
  run_id: string | null;
  surface: string;
  stage: SafetyStage;
  detector: string;
  category: string;
  action: SafetyAction;
  score: number;
  source: string;
  text_hash: string;
  snippet: string | null;
  request_id: string | null;
  created_at: string;
}

/** GET/PUT/DELETE /api/workspaces/:id/safety-policy */
export interface WorkspaceSafetyPolicy {
  policy: SafetyPolicy;
  effective: EffectiveSafetyPolicy;
  updated_at: string | null;
}

/** /ready (platform admins): which detectors run, and whether moderation is the local lexicon. */
export interface SafetyReadiness {
  detectors: { id: DetectorId; sources: ("local" | "local-lexicon" | "workers-ai")[] }[];
  moderation: "local-lexicon" | "@cf/meta/llama-guard-3-8b";
}

export type SafetyEventPage = Page<SafetyEvent>;
