import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/core/providers/errors";
import { generate } from "../../worker/core/providers/generate";
import { OpenAiCompatibleModel } from "../../worker/core/providers/openai-compatible-model";
import type { ModelEvent } from "../../worker/core/providers/types";
import { rejectionOf } from "./helpers/rejections";
import { sseEvents } from "./helpers/scripted-model";

const ask = { messages: [{ role: "user" as const, content: "Hi" }] };
const model = (fetcher: typeof fetch, extra: { timeoutMs?: number; idleTimeoutMs?: number } = {}) =>
  new OpenAiCompatibleModel({ baseUrl: "http://llm.test/v1", model: "m", fetch: fetcher, ...extra });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

/** A fetch that never answers until its signal aborts, like a hung server. */
const hanging: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) =>
    init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
  );

describe("OpenAiCompatibleModel failures", () => {
  it("reports an upstream 5xx as retryable and a 4xx as not, with the status", async () => {
    const down = await failure(
      generate(
        model(async () => new Response("overloaded", { status: 503 })),
        ask,
      ),
    );
    expect(down).toMatchObject({ status: 503, retryable: true, provider: "openai-compatible" });
    expect(down.message).toContain("HTTP 503: overloaded");
    const denied = await failure(
      generate(
        model(async () => new Response("bad key", { status: 401 })),
        ask,
      ),
    );
    expect(denied).toMatchObject({ status: 401, retryable: false });
  });

  it("reports an unreachable server", async () => {
    const err = await failure(
      generate(
        model(async () => {
          throw new TypeError("fetch failed: connection refused");
        }),
        ask,
      ),
    );
    expect(err.message).toMatch(/could not be reached/);
    expect(err.retryable).toBe(true);
  });

  it("times out waiting for response headers", async () => {
    const err = await failure(generate(model(hanging, { timeoutMs: 20 }), ask));
    expect(err.message).toMatch(/timed out/);
  });

  it("times out when the stream goes silent", async () => {
    const first = new TextEncoder().encode(
      sseEvents([{ choices: [{ index: 0, delta: { content: "Hel" } }] }], false).join(""),
    );
    let sent = false;
    const stalled: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (!sent) controller.enqueue(first);
            sent = true;
            // After the first chunk, never enqueue again.
            return new Promise(() => undefined);
          },
        }),
      );
    const err = await failure(generate(model(stalled, { idleTimeoutMs: 30 }), ask));
    expect(err.message).toMatch(/idle timeout/);
  });

  it("surfaces an error object sent inside the stream and rejects malformed chunks", async () => {
    const withError: typeof fetch = async () =>
      new Response(sseEvents([{ error: { message: "model not loaded" } }]).join(""));
    expect((await failure(generate(model(withError), ask))).message).toMatch(/model not loaded/);
    const garbage: typeof fetch = async () => new Response("data: {oops\n\n");
    expect((await failure(generate(model(garbage), ask))).message).toMatch(/malformed/);
  });

  it("ends with 'cancelled', not an error, when the caller aborts", async () => {
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    const pending = (async () => {
      for await (const e of model(hanging).stream({ ...ask, signal: controller.signal })) events.push(e);
    })();
    controller.abort();
    await pending;
    expect(events).toEqual([{ type: "finish", reason: "cancelled", usage: { inputTokens: 1, outputTokens: 0 } }]);
  });
});
