// Prompt injection and jailbreak score: the trained logistic regression
// (scripts/train-injection-model.ts, weights in injection-model.json) over the normalised text and
// whatever was decoded from it, combined with rule floors: a rule's own training precision is the
// least the score can be when it fires. 0.5 is the calibrated operating point (validation recall 0.95
// at a benign false-positive rate <= 2%, no 1-3 word ordinary message flagged; see bench/safety.ts),
// which is the pipeline's default threshold (DEFAULT_THRESHOLDS in ../pipeline.ts).

import { type Normalized, normalize } from "../normalize";
import type { Finding } from "../types";
import { featureBuckets, HASH_BITS, MIN_FEATURES, RULES, weighBuckets } from "./injection-features";
import model from "./injection-model.json";

/**
 * Scores below this are not reported: most ordinary text scores 0.1-0.3, and a policy threshold
 * that low would flag nearly everything (a threshold under this floor acts as this floor).
 */
const REPORT_FLOOR = 0.25;

interface Loaded {
  weights: Int8Array;
  ruleWeights: number[];
  ruleFloors: number[];
}

let loaded: Loaded | undefined;

/** Decodes the weights once per isolate. */
function load(): Loaded {
  if (loaded) return loaded;
  if (model.hash_bits !== HASH_BITS)
    throw new Error(`injection model has ${model.hash_bits} hash bits, code expects ${HASH_BITS}`);
  if (model.min_features !== MIN_FEATURES)
    throw new Error(`injection model was trained with min_features ${model.min_features}, code has ${MIN_FEATURES}`);
  const bin = atob(model.weights);
  const weights = new Int8Array(bin.length);
  for (let i = 0; i < bin.length; i++) weights[i] = (bin.charCodeAt(i) << 24) >> 24;
  const rules = model.rules as Record<string, { weight: number; floor: number }>;
  loaded = {
    weights,
    ruleWeights: RULES.map((r) => rules[r.name]?.weight ?? 0),
    ruleFloors: RULES.map((r) => rules[r.name]?.floor ?? 0),
  };
  return loaded;
}

export interface InjectionScore {
  score: number;
  /** The rules that fired, by name. */
  rules: string[];
  jailbreak: boolean;
}

export const scoreInjection = (text: string): InjectionScore => scoreNormalized(normalize(text));

/** The score of a text already normalised (the detectors share one normalisation per text). */
function scoreNormalized(normalized: Normalized): InjectionScore {
  const { weights, ruleWeights, ruleFloors } = load();
  const lower = normalized.scan.toLowerCase();
  const { sum, scale } = weighBuckets(featureBuckets(lower), weights);
  let z = model.bias + sum * model.quant_scale * scale;
  let floor = 0;
  const fired: string[] = [];
  let jailbreak = false;
  RULES.forEach((rule, i) => {
    if (!rule.re.test(lower)) return;
    fired.push(rule.name);
    jailbreak ||= rule.jailbreak === true;
    z += ruleWeights[i] as number;
    floor = Math.max(floor, ruleFloors[i] as number);
  });
  const score = Math.max(1 / (1 + Math.exp(-(z - model.shift))), floor);
  return { score, rules: fired, jailbreak };
}

export function detectInjection(normalized: Normalized): Finding[] {
  if (!normalized.scan.trim()) return [];
  const { score, jailbreak } = scoreNormalized(normalized);
  if (score < REPORT_FLOOR) return [];
  return [{ detector: "injection", category: jailbreak ? "jailbreak" : "prompt_injection", score, source: "local" }];
}
