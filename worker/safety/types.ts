// The safety service's vocabulary: where a text is checked (stage), what looked at it
// (detector), what it found (finding) and what the policy made of it (action). Detectors,
// the pipeline, the routes and the dashboard all speak these words.

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

/** What produced a finding: a local detector in the Worker, or a model on the Workers AI binding. */
export type FindingSource = "local" | "local-lexicon" | "workers-ai";

export interface Finding {
  detector: DetectorId;
  /** e.g. "prompt_injection", "email", "credit_card", "aws_access_key", "S1" (Llama Guard category). */
  category: string;
  /** Confidence in [0, 1]; validated pattern matches (a card passing Luhn) score 1. */
  score: number;
  /** The span in the checked text (UTF-16 offsets, end exclusive), for findings that have one. */
  start?: number;
  end?: number;
  source: FindingSource;
}

/** What detectors need besides the text. */
export interface DetectOptions {
  /** Which detectors to run (the policy's enabled ones for the stage). */
  detectors: readonly DetectorId[];
  /** The agent's canary string, when the canary detector runs. */
  canary?: string;
}
