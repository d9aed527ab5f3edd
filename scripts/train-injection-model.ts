// Trains the prompt-injection classifier the Worker ships (worker/safety/detectors/injection-model.json):
// logistic regression over the hashed features of injection-features.ts, fitted with AdaGrad on
// the training split of datasets/safety (scripts/safety-dataset.ts), weights quantised to
// int8. Short everyday messages (scripts/short-chat.ts) and the length prior (MIN_FEATURES) keep
// "hello" or "Say hello" from scoring on a handful of n-grams. The score is shifted so that 0.5 is
// the operating point chosen on the validation split: benign false-positive rate <= 2%, and no
// higher recall than TARGET_RECALL bought with more false positives. Deterministic: same data, same file.
// Run: node --import tsx scripts/train-injection-model.ts [datasets-dir] (default datasets/safety)
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seeded } from "../bench/lib/pii-synthetic";
import {
  featureBuckets,
  HASH_BITS,
  MIN_FEATURES,
  RULES,
  ruleHits,
  trainingScale,
} from "../worker/safety/detectors/injection-features";
import { normalize } from "../worker/safety/normalize";
import { benignChat } from "./benign-chat";
import { type Example, loadTrainingData, SAFETY_DIR, SPLIT, split } from "./safety-dataset";
import { shortChat } from "./short-chat";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = resolve(process.argv[2] ?? SAFETY_DIR);
const OUT = join(root, "worker", "safety", "detectors", "injection-model.json");
const EPOCHS = Number(process.env.EPOCHS ?? 12);
const RATE = Number(process.env.RATE ?? 0.3);
const L2 = Number(process.env.L2 ?? 1e-4);
const TARGET_FPR = 0.02;
const TARGET_RECALL = Number(process.env.TARGET_RECALL ?? 0.95);
/**
 * No intercept by default: a text made only of features the model never saw then scores
 * sigmoid(-shift), i.e. "no evidence" reads as benign rather than as the training set's prior.
 */
const FIT_BIAS = process.env.FIT_BIAS === "1";

interface Vector {
  buckets: Int32Array;
  scale: number;
  rules: boolean[];
  label: 0 | 1;
}

function vectorize(e: Example): Vector {
  const lower = normalize(e.text).scan.toLowerCase();
  const buckets = Int32Array.from(featureBuckets(lower));
  return { buckets, scale: trainingScale(buckets.length), rules: ruleHits(lower), label: e.label };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function train(data: Vector[]) {
  const w = new Float64Array(1 << HASH_BITS);
  const g2 = new Float64Array(1 << HASH_BITS).fill(1e-8);
  const rw = new Float64Array(RULES.length);
  const rg2 = new Float64Array(RULES.length).fill(1e-8);
  let bias = 0;
  let bg2 = 1e-8;
  const positives = data.filter((d) => d.label === 1).length;
  const classWeight = [data.length / (2 * (data.length - positives)), data.length / (2 * positives)];
  const random = seeded(17);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const idx of order) {
      const d = data[idx] as Vector;
      let z = bias;
      for (const b of d.buckets) z += (w[b] as number) * d.scale;
      d.rules.forEach((hit, r) => {
        if (hit) z += rw[r] as number;
      });
      const grad = (sigmoid(z) - d.label) * (classWeight[d.label] as number);
      for (const b of d.buckets) {
        const g = grad * d.scale + L2 * (w[b] as number);
        g2[b] = (g2[b] as number) + g * g;
        w[b] = (w[b] as number) - (RATE * g) / Math.sqrt(g2[b] as number);
      }
      d.rules.forEach((hit, r) => {
        if (!hit) return;
        rg2[r] = (rg2[r] as number) + grad * grad;
        rw[r] = (rw[r] as number) - (RATE * grad) / Math.sqrt(rg2[r] as number);
      });
      if (FIT_BIAS) {
        bg2 += grad * grad;
        bias -= (RATE * grad) / Math.sqrt(bg2);
      }
    }
  }
  return { w, rw, bias };
}

/** A rule's floor score: its precision on the training split, shrunk towards 0.9 for rules seldom seen. */
function ruleFloors(data: Vector[]): number[] {
  return RULES.map((_, r) => {
    const hits = data.filter((d) => d.rules[r]);
    const attacks = hits.filter((d) => d.label === 1).length;
    return (attacks + 1.8) / (hits.length + 2);
  });
}

const examples = loadTrainingData(dataDir);
const [trainSplit, validationSet] = split(examples);
/** Everyday messages (scripts/benign-chat.ts, scripts/short-chat.ts): training only, never validated on. */
const CHAT = 1500;
const SHORT_CHAT = Number(process.env.SHORT_CHAT ?? 2500);
const trainSet = [
  ...trainSplit,
  ...benignChat(CHAT).map((text): Example => ({ text, label: 0, file: "synthetic-chat" })),
  ...shortChat(SHORT_CHAT).map((text): Example => ({ text, label: 0, file: "synthetic-short-chat" })),
];
const trainVectors = trainSet.map(vectorize);
const { w, rw, bias } = train(trainVectors);

// int8 quantisation: the largest weight maps to ±127.
let maxAbs = 0;
for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
const quantScale = maxAbs / 127;
const q = new Int8Array(w.length);
for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / quantScale);

const floors = ruleFloors(trainVectors);
/** Raw margin of the quantised model, and the strongest rule floor that fires. */
function raw(v: Vector): { z: number; floor: number } {
  let sum = 0;
  for (const b of v.buckets) sum += q[b] as number;
  let z = bias + sum * quantScale * v.scale;
  let floor = 0;
  v.rules.forEach((hit, r) => {
    if (!hit) return;
    z += rw[r] as number;
    floor = Math.max(floor, floors[r] as number);
  });
  return { z, floor };
}

// Operating point: the lowest margin whose benign FPR on validation stays <= TARGET_FPR (so recall is highest).
const val = validationSet.map(vectorize).map((v) => ({ ...raw(v), label: v.label }));
const benign = val.filter((v) => v.label === 0);
const benignZ = benign
  .filter((v) => v.floor < 0.5)
  .map((v) => v.z)
  .sort((a, b) => b - a);
const floorFp = benign.length - benignZ.length;
const allowed = Math.max(0, Math.floor(TARGET_FPR * benign.length) - floorFp);
const atFpr = (benignZ[allowed] ?? benignZ.at(-1) ?? 0) + 1e-6;
// With recall to spare, move the point up to where validation recall is still TARGET_RECALL:
// fewer false positives on text unlike the benign sets (the deployed case).
const attackZ = val
  .filter((v) => v.label === 1 && v.floor < 0.5)
  .map((v) => v.z)
  .sort((a, b) => a - b);
const missable = Math.floor((1 - TARGET_RECALL) * (val.length - benign.length));
const atRecall = attackZ[missable] ?? atFpr;
const shift = Math.max(atFpr, atRecall);

const model = {
  format: "liquid-hive/injection-logreg@1",
  hash_bits: HASH_BITS,
  min_features: MIN_FEATURES,
  bias,
  quant_scale: quantScale,
  shift,
  rules: Object.fromEntries(RULES.map((r, i) => [r.name, { weight: rw[i], floor: floors[i] }])),
  weights: Buffer.from(q.buffer).toString("base64"),
  metadata: {
    trained_on: [...new Set(trainSet.map((e) => e.file))],
    split: { ...SPLIT, method: "per file and label, ordered by FNV-1a(seed, text); first share is validation" },
    counts: {
      train: { attack: trainSet.filter((e) => e.label).length, benign: trainSet.filter((e) => !e.label).length },
      validation: {
        attack: validationSet.filter((e) => e.label).length,
        benign: validationSet.filter((e) => !e.label).length,
      },
    },
    hyperparameters: {
      epochs: EPOCHS,
      adagrad_rate: RATE,
      l2: L2,
      target_fpr: TARGET_FPR,
      target_recall: TARGET_RECALL,
      fit_bias: FIT_BIAS,
      min_features: MIN_FEATURES,
    },
    synthetic: { chat: CHAT, short_chat: SHORT_CHAT },
  },
};
writeFileSync(OUT, `${JSON.stringify(model)}\n`);
const score = (v: { z: number; floor: number }) => Math.max(sigmoid(v.z - shift), v.floor);
const tp = val.filter((v) => v.label === 1 && score(v) >= 0.5).length;
const fp = benign.filter((v) => score(v) >= 0.5).length;
const attacks = val.length - benign.length;
const cran = val.filter((_, i) => validationSet[i]?.file === "cranfield");
console.log(
  `cranfield validation FPR ${(cran.filter((v) => score(v) >= 0.5).length / cran.length).toFixed(4)} of ${cran.length}`,
);
console.log(
  `wrote ${OUT} (${(JSON.stringify(model).length / 1024).toFixed(0)} KiB); ` +
    `validation recall ${(tp / attacks).toFixed(3)}, benign FPR ${(fp / benign.length).toFixed(4)}`,
);
