// Latency of the local safety detectors inside workerd (see bench/safety.ts): every detector on the
// texts bench/safety.ts provides (200 and 4,000 characters). workerd's clock moves in whole
// milliseconds, so messages are timed in batches sized to take about 20 ms, and each batch's time
// is divided by its size. One line per length: `SAFETY_BENCH {json}`.
import { inject, it } from "vitest";
import { detect } from "../worker/safety/detectors";
import { DETECTORS } from "../worker/safety/types";

declare module "vitest" {
  // biome-ignore lint/suspicious/noExportsInTest: a module augmentation, not a test export
  export interface ProvidedContext {
    safetyBench: { batches: number; texts: { short: string[]; long: string[] } };
  }
}

const { batches, texts } = inject("safetyBench");
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const run = (text: string) => detect(text, { detectors: DETECTORS, canary: "cnry-7f3a" });

it("times the local detectors per message", () => {
  for (const [length, set] of [
    [200, texts.short],
    [4000, texts.long],
  ] as const) {
    let i = 0;
    const warm = performance.now();
    for (; i < 300 || performance.now() - warm < 50; i++) run(set[i % set.length] as string);
    const batch = Math.max(1, Math.ceil(20 / ((performance.now() - warm) / i)));
    const perMessage: number[] = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) run(set[(b * batch + k) % set.length] as string);
      perMessage.push((performance.now() - t0) / batch);
    }
    const mean = perMessage.reduce((a, b) => a + b, 0) / perMessage.length;
    // Mixed batches average a slow message away: time each message on its own, repeated `batch`
    // times, so the tail across messages (inputs that are slow every time) shows.
    const eachMessage = set.map((text) => {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) run(text);
      return (performance.now() - t0) / batch;
    });
    const row = {
      length,
      batch,
      batches,
      p50_ms: quantile(perMessage, 0.5),
      p99_ms: quantile(perMessage, 0.99),
      mean_ms: mean,
      messages: set.length,
      message_p99_ms: quantile(eachMessage, 0.99),
    };
    console.log(`SAFETY_BENCH ${JSON.stringify(row)}`);
  }
});
