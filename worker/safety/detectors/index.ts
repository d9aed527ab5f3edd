// The detectors behind the safety pipeline. `detect` runs the local ones synchronously (the stream
// guard calls it on every window); `detectWithBindings` adds Workers AI's Llama Guard when the
// binding exists, bounded by a timeout, and falls back to the local lexicon when the model fails.
import type { AiRunner } from "../../core/providers/workers-ai";
import { type Normalized, normalize, normalizeText } from "../normalize";
import type { DetectOptions, Finding } from "../types";
import { detectInjection } from "./injection";
import { detectModerationLocal, detectModerationModel } from "./moderation";
import { detectPii } from "./pii";
import { detectSecrets } from "./secrets";

/** How long the pipeline waits for the Workers AI moderation model before using the local lexicon. */
export const MODEL_TIMEOUT_MS = 1500;

/** The canary verbatim (with its span), or hidden by invisible characters or look-alikes (no span). */
function detectCanary(text: string, normalized: () => Normalized, canary: string): Finding[] {
  const at = text.indexOf(canary);
  if (at >= 0)
    return [
      {
        detector: "canary",
        category: "system_prompt_leak",
        score: 1,
        start: at,
        end: at + canary.length,
        source: "local",
      },
    ];
  const hidden = normalized().text.includes(normalizeText(canary));
  return hidden ? [{ detector: "canary", category: "system_prompt_leak", score: 1, source: "local" }] : [];
}

/** Runs the local detectors; injection, lexicon and canary share one normalisation of the text. */
function local(text: string, opts: DetectOptions, moderation: boolean): Finding[] {
  const want = new Set(opts.detectors);
  const out: Finding[] = [];
  let normalized: Normalized | undefined;
  const norm = () => (normalized ??= normalize(text));
  if (want.has("injection")) out.push(...detectInjection(norm()));
  if (want.has("pii")) out.push(...detectPii(text));
  if (want.has("secrets")) out.push(...detectSecrets(text));
  if (want.has("moderation") && moderation) out.push(...detectModerationLocal(norm().text));
  if (want.has("canary") && opts.canary) out.push(...detectCanary(text, norm, opts.canary));
  return out;
}

export function detect(text: string, opts: DetectOptions): Finding[] {
  return local(text, opts, true);
}

/** Llama Guard's findings, or null when it failed, gave no verdict or took longer than MODEL_TIMEOUT_MS. */
async function moderateWithModel(text: string, ai: AiRunner): Promise<Finding[] | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), MODEL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([detectModerationModel(text, ai).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function detectWithBindings(text: string, opts: DetectOptions, ai?: AiRunner): Promise<Finding[]> {
  if (!ai || !opts.detectors.includes("moderation")) return detect(text, opts);
  const model = moderateWithModel(text, ai);
  const found = local(text, opts, false);
  const moderation = (await model) ?? detectModerationLocal(normalizeText(text));
  return [...found, ...moderation];
}
