// Latency of the local safety detectors inside workerd (see bench/safety.ts): every detector on
// prose of 200 and 4,000 characters with personal data mixed in, one timing per message after a
// warm-up. One line per case: `SAFETY_BENCH {json}`.
import { inject, it } from "vitest";
import { detect } from "../worker/safety/detectors";
import { DETECTORS } from "../worker/safety/types";
import { proseOfLength } from "./lib/pii-synthetic";

declare module "vitest" {
  export interface ProvidedContext {
    safetyBench: { iterations: number };
  }
}

const { iterations } = inject("safetyBench");
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

it("times the local detectors per message", () => {
  for (const length of [200, 4000]) {
    const texts = Array.from({ length: 50 }, (_, i) => proseOfLength(length, 1000 + i));
    for (let i = 0; i < 200; i++) detect(texts[i % texts.length] as string, { detectors: DETECTORS, canary: "cnry-7f3a" });
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const text = texts[i % texts.length] as string;
      const t0 = performance.now();
      detect(text, { detectors: DETECTORS, canary: "cnry-7f3a" });
      times.push(performance.now() - t0);
    }
    const total = times.reduce((a, b) => a + b, 0);
    const row = { length, iterations, p50_ms: quantile(times, 0.5), p99_ms: quantile(times, 0.99), mean_ms: total / iterations };
    console.log(`SAFETY_BENCH ${JSON.stringify(row)}`);
  }
});
