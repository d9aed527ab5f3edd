// PLACEHOLDER SEAM (replaced by the detectors work): the signature the pipeline calls.
// `detect` runs the local detectors synchronously; `detectWithBindings` adds the Workers AI
// models when the binding exists.
import type { DetectOptions, Finding } from "../types";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const OVERRIDE = /ignore (all )?(previous|prior|above) instructions/gi;

export function detect(text: string, opts: DetectOptions): Finding[] {
  const out: Finding[] = [];
  const want = new Set(opts.detectors);
  if (want.has("pii")) {
    for (const m of text.matchAll(EMAIL)) {
      out.push({ detector: "pii", category: "email", score: 1, start: m.index, end: m.index + m[0].length, source: "local" });
    }
  }
  if (want.has("injection") && OVERRIDE.test(text)) {
    out.push({ detector: "injection", category: "prompt_injection", score: 0.99, source: "local" });
  }
  if (want.has("canary") && opts.canary) {
    const at = text.indexOf(opts.canary);
    if (at >= 0) out.push({ detector: "canary", category: "system_prompt_leak", score: 1, start: at, end: at + opts.canary.length, source: "local" });
  }
  return out;
}

export async function detectWithBindings(text: string, opts: DetectOptions, _ai?: Ai): Promise<Finding[]> {
  return detect(text, opts);
}
