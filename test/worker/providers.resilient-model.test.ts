import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/core/providers/errors";
import { OfflineModel } from "../../worker/core/providers/offline-model";
import { answeredBy, ResilientModel } from "../../worker/core/providers/resilient-model";
import type { GenerateRequest, ModelEvent, ModelProvider } from "../../worker/core/providers/types";
import { breakerFor, type Clock } from "../../worker/core/resilience";

const clock: Clock = { now: () => Date.now(), sleep: async () => {} };
const request: GenerateRequest = {
  messages: [{ role: "user", content: "What is the capital?" }],
  context: [{ id: "p1", text: "The capital is Paris." }],
};

class Flaky implements ModelProvider {
  readonly degraded = false;
  calls = 0;
  constructor(
    readonly id: string,
    private readonly failures: Error[],
    private readonly failAfterFirst = false,
  ) {}
  async *stream(): AsyncIterable<ModelEvent> {
    const err = this.failures[this.calls++];
    if (err) throw err;
    yield { type: "text", delta: "Hello" };
    if (this.failAfterFirst) throw new ProviderError(this.id, "stream broke", { status: 502 });
    yield { type: "finish", reason: "stop", usage: { inputTokens: 3, outputTokens: 1 } };
  }
}

async function collect(model: ModelProvider) {
  const events: ModelEvent[] = [];
  for await (const e of model.stream(request)) events.push(e);
  return events;
}

describe("resilient model", () => {
  it("retries a retryable failure before the first token, then answers", async () => {
    const flaky = new Flaky("flaky-retry", [new ProviderError("flaky-retry", "busy", { status: 503 })]);
    const model = new ResilientModel([flaky, new OfflineModel()], { clock });
    const events = await collect(model);
    expect(flaky.calls).toBe(2);
    expect(events[0]).toEqual({ type: "text", delta: "Hello" });
    expect(answeredBy(model)).toEqual({ provider: "flaky-retry", degraded: false, failures: [], fallback: null });
  });

  it("falls back to the offline model, flagged degraded, when the primary keeps failing", async () => {
    const down = new Flaky("down", [
      new ProviderError("down", "x", { status: 500 }),
      new ProviderError("down", "x", { status: 500 }),
      new ProviderError("down", "x", { status: 500 }),
    ]);
    const model = new ResilientModel([down, new OfflineModel()], { clock });
    const events = await collect(model);
    const text = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(text).toContain("Paris");
    expect(answeredBy(model)).toMatchObject({ provider: "offline", degraded: true, failures: [{ provider: "down" }] });
    // Why, as data: the configured model failed, with the status it answered (not "no model configured").
    expect(answeredBy(model).fallback).toEqual({ reason: "model_failed", model: "down", status: 500 });
    expect(text).toMatch(/^The agent's model \(down\) failed to answer \(HTTP 500\)/);
  });

  it("does not retry a non-retryable failure, and skips a provider whose breaker is open", async () => {
    const bad = new Flaky("bad-request", [new ProviderError("bad-request", "invalid", { status: 400 })]);
    const model = new ResilientModel([bad, new OfflineModel()], { clock });
    await collect(model);
    expect(bad.calls).toBe(1);

    const breaker = breakerFor("model:tripped", { failureThreshold: 1 });
    await expect(
      breaker.run(() => Promise.reject(new ProviderError("tripped", "down", { status: 503 }))),
    ).rejects.toThrow();
    const tripped = new Flaky("tripped", []);
    const model2 = new ResilientModel([tripped, new OfflineModel()], { clock });
    await collect(model2);
    expect(tripped.calls).toBe(0);
    expect(answeredBy(model2).failures[0]?.error).toContain("circuit open");
    expect(answeredBy(model2).fallback).toEqual({ reason: "circuit_open", model: "tripped" });
  });

  it("says the configured model timed out when it sends nothing before the first-event deadline", async () => {
    const silent: ModelProvider = {
      id: "silent",
      degraded: false,
      stream: (r: GenerateRequest) => ({
        [Symbol.asyncIterator]: () => ({
          next: () =>
            new Promise<IteratorResult<ModelEvent>>((_, reject) =>
              r.signal?.addEventListener("abort", () => reject(r.signal?.reason)),
            ),
        }),
      }),
    };
    const model = new ResilientModel([silent, new OfflineModel()], { clock, firstEventMs: 20, maxAttempts: 1 });
    const text = (await collect(model)).flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(answeredBy(model).fallback).toEqual({ reason: "timeout", model: "silent" });
    expect(text).toMatch(/^The agent's model \(silent\) timed out before answering/);
  });

  it("says no model is configured only when the offline model answers alone", async () => {
    const model = new ResilientModel([new OfflineModel()], { clock });
    const text = (await collect(model)).flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(answeredBy(model).fallback).toEqual({ reason: "no_model" });
    expect(text).toMatch(/^No language model is configured/);
  });

  it("hands a stream that breaks after the first token to the next provider, which continues it", async () => {
    const broken = new Flaky("broken", [], true);
    const model = new ResilientModel([broken, new OfflineModel()], { clock });
    const events = await collect(model);
    const text = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(text.startsWith("Hello\n\n[The agent's model (broken) failed mid-answer")).toBe(true);
    expect(text).toContain("Paris");
    expect(broken.calls).toBe(1);
    expect(answeredBy(model)).toMatchObject({ provider: "offline", degraded: true });
    expect(answeredBy(model).fallback).toEqual({
      reason: "model_failed",
      model: "broken",
      status: 502,
      switched_at: 5,
    });
  });
});
