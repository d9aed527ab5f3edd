// The safety service's vocabulary and policy shape, as the API speaks them (the Worker's zod
// schemas in worker/safety/policy.ts are checked against these).

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
}

export interface SafetyStagePolicy {
  enabled?: boolean;
  detectors?: Partial<Record<DetectorId, SafetyRule>>;
}

/** A policy as stored (workspace) or carried by an agent version: every part optional, laid over what is below. */
export type SafetyPolicy = Partial<Record<SafetyStage, SafetyStagePolicy>>;
