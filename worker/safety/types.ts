// The safety service's vocabulary: where a text is checked (stage), what looked at it
// (detector), what it found (finding) and what the policy made of it (action). Detectors,
// the pipeline, the routes and the dashboard all speak these words.

import type { DetectorId } from "@hive/shared/api-types/safety";

export type { DetectorId, SafetyAction, SafetyStage } from "@hive/shared/api-types/safety";
export { DETECTORS, SAFETY_ACTIONS, SAFETY_STAGES } from "@hive/shared/api-types/safety";

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
