import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/core/providers/errors";
import { generate } from "../../worker/core/providers/generate";
import type { ModelEvent } from "../../worker/core/providers/types";
import type { AiRunner } from "../../worker/core/providers/workers-ai";
import { WorkersAiModel } from "../../worker/core/providers/workers-ai-model";
import { byteStream } from "./helpers/scripted-model";

const ask = { messages: [{ role: "user" as const, content: "Hi" }] };

describe("WorkersAiModel failures", () => {
  it("turns a binding error into a ProviderError", async () => {
    const ai: AiRunner = {
      run: async () => {
        throw new Error("AiError: 5007: No such model @cf/nope");
      },
    };
    const err = await generate(new WorkersAiModel(ai), ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
  });

  it("rejects a non-stream answer to a stream request and a malformed chunk", async () => {
    const notStream: AiRunner = { run: async () => ({ response: "x" }) };
    await expect(generate(new WorkersAiModel(notStream), ask)).rejects.toThrow(/did not return a stream/);
    const garbage: AiRunner = { run: async () => byteStream(["data: {not json\n\n"]) };
    await expect(generate(new WorkersAiModel(garbage), ask)).rejects.toThrow(ProviderError);
  });

  it("stops reading and reports 'cancelled' when the request is aborted mid-stream", async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode(`data: {"response":"t${pulls} "}\n\n`));
      },
    });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const e of new WorkersAiModel({ run: async () => endless }).stream({
      ...ask,
      signal: controller.signal,
    })) {
      events.push(e);
      if (events.length === 2) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: "finish", reason: "cancelled" });
    expect(events.filter((e) => e.type === "text").length).toBeLessThanOrEqual(3);
  });
});
