// Harmful-content moderation. With Workers AI bound, Llama Guard 3 judges the text and its
// categories (S1-S14 of the MLCommons hazard taxonomy) become findings. Offline there is only a
// small phrase lexicon, marked `source: "local-lexicon"` so events and /ready show how weak it is:
// it catches blatant requests, never paraphrase.
import type { AiRunner } from "../../core/providers/workers-ai";
import type { Finding } from "../types";
import { oneOf, seq } from "./regex";

export const LLAMA_GUARD_MODEL = "@cf/meta/llama-guard-3-8b";
const LEXICON_SCORE = 0.6;
/** Llama Guard gives no probability: an "unsafe" verdict scores this. */
const MODEL_SCORE = 0.9;

const HOW = /\bhow (?:do i|to|can i) /;
/** Phrases per Llama Guard category, so offline and bound findings read the same. */
const LEXICON: [string, RegExp][] = [
  [
    "S1",
    oneOf([
      seq([HOW, /(?:kill|murder|stab|poison|kidnap) (?:a |my |some|him|her|them|people)/]),
      /\bhire (?:a |an )?(?:hitman|hit man|assassin)/,
    ]),
  ],
  ["S2", seq([HOW, /(?:launder money|make meth|cook meth|hotwire a car|shoplift|pick a lock to break in)/])],
  ["S4", /\b(?:child (?:porn|sexual abuse material)|csam)\b/],
  [
    "S9",
    seq([
      HOW,
      /(?:make|build|assemble) (?:a |an )?(?:pipe bomb|bomb|nerve agent|sarin|dirty bomb|bioweapon|chemical weapon)/,
    ]),
  ],
  ["S10", /\b(?:exterminate|gas) (?:all )?(?:the )?(?:jews|muslims|blacks|gays|immigrants)\b/],
  [
    "S11",
    oneOf([
      /\bi (?:want|am going|plan) to (?:kill myself|end my life|commit suicide)/,
      /\bbest way to (?:kill myself|commit suicide)/,
      /\bhow (?:many|much) \w+ (?:to|would) (?:kill myself|overdose)/,
    ]),
  ],
];

/** The lexicon's findings in a normalised text (see normalize.ts). */
export function detectModerationLocal(normalizedText: string): Finding[] {
  const lower = normalizedText.toLowerCase();
  return LEXICON.filter(([, re]) => re.test(lower)).map(([category]) => ({
    detector: "moderation",
    category,
    score: LEXICON_SCORE,
    source: "local-lexicon",
  }));
}

const CATEGORY = /^S\d{1,2}$/;

/**
 * Reads Llama Guard's answer: the binding returns `{ response: "safe" }`, `{ response: "unsafe\nS1,S10" }`
 * or, with JSON output, `{ response: { safe, categories } }`. Anything else is no verdict (null).
 */
function parseLlamaGuard(result: unknown): { safe: boolean; categories: string[] } | null {
  const response = (result as { response?: unknown } | null)?.response;
  if (typeof response === "string") {
    const [verdict = "", categories = ""] = response.trim().split(/\n+/);
    const word = verdict.trim().toLowerCase();
    if (word !== "safe" && word !== "unsafe") return null;
    return { safe: word === "safe", categories: categories.split(/[,\s]+/).filter((c) => CATEGORY.test(c)) };
  }
  if (typeof response !== "object" || response === null) return null;
  const { safe, categories } = response as { safe?: unknown; categories?: unknown };
  if (typeof safe !== "boolean") return null;
  const listed = Array.isArray(categories) ? categories : [];
  return { safe, categories: listed.filter((c): c is string => typeof c === "string" && CATEGORY.test(c)) };
}

/** Llama Guard's categories for the text as a user turn; null when the model gave no usable verdict. */
export async function detectModerationModel(text: string, ai: AiRunner): Promise<Finding[] | null> {
  const verdict = parseLlamaGuard(await ai.run(LLAMA_GUARD_MODEL, { messages: [{ role: "user", content: text }] }));
  if (verdict === null) return null;
  if (verdict.safe) return [];
  const categories = verdict.categories.length ? verdict.categories : ["unsafe"];
  return categories.map((category) => ({ detector: "moderation", category, score: MODEL_SCORE, source: "workers-ai" }));
}
