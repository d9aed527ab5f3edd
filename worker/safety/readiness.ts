// What /ready tells a platform admin about the guard pipeline: which detectors run and on what.
// Offline, moderation is a small local lexicon (weak, flag-only by default); with Workers AI
// bound, Llama Guard judges moderation and joins the local injection classifier.
import { DETECTORS, type DetectorId, type FindingSource } from "./types";

export const LLAMA_GUARD_MODEL = "@cf/meta/llama-guard-3-8b";

export interface SafetyReadiness {
  detectors: { id: DetectorId; sources: FindingSource[] }[];
  moderation: "local-lexicon" | typeof LLAMA_GUARD_MODEL;
}

export function safetyReadiness(ai: Ai | undefined): SafetyReadiness {
  const sources = (d: DetectorId): FindingSource[] => {
    if (d === "moderation") return [ai ? "workers-ai" : "local-lexicon"];
    if (d === "injection" && ai) return ["local", "workers-ai"];
    return ["local"];
  };
  return {
    detectors: DETECTORS.map((id) => ({ id, sources: sources(id) })),
    moderation: ai ? LLAMA_GUARD_MODEL : "local-lexicon",
  };
}
