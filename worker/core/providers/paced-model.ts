// The `scripted` provider: N tokens at a fixed interval, so benchmarks can subtract exactly the
// model's own time from what a client measures. Selected by the model spec
// `{ provider: "scripted", id: "<tokens>:<interval ms>" }` (or `scripted:<n>:<ms>` as a raw
// model name on /v1). It exists only when ENVIRONMENT is development or test: agent
// definitions naming it are refused elsewhere, and `model-chain.ts` never builds it there.
import type { Config } from "../config";
import type { GenerateRequest, ModelEvent, ModelProvider } from "./types";
import { estimateInputTokens } from "./usage";

export const SCRIPTED_PROVIDER = "scripted";

export const scriptedAllowed = (config: Pick<Config, "ENVIRONMENT">) =>
  config.ENVIRONMENT === "development" || config.ENVIRONMENT === "test";

export function parsePacing(id: string): { tokens: number; intervalMs: number } | null {
  const m = /^(\d{1,5}):(\d{1,4})$/.exec(id);
  return m ? { tokens: Number(m[1]), intervalMs: Number(m[2]) } : null;
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind either way. */
export const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export class PacedModel implements ModelProvider {
  readonly id = SCRIPTED_PROVIDER;
  readonly degraded = false;

  constructor(
    private readonly tokens: number,
    private readonly intervalMs: number,
  ) {}

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const inputTokens = estimateInputTokens(request.messages, request.context);
    // Deadlines from the start, so timer drift does not accumulate into "overhead".
    const started = Date.now();
    for (let i = 0; i < this.tokens; i++) {
      await wait(started + (i + 1) * this.intervalMs - Date.now(), request.signal);
      if (request.signal?.aborted) {
        yield { type: "finish", reason: "cancelled", usage: { inputTokens, outputTokens: i } };
        return;
      }
      yield { type: "text", delta: i === 0 ? "tok0" : ` tok${i}` };
    }
    yield { type: "finish", reason: "stop", usage: { inputTokens, outputTokens: this.tokens } };
  }
}
