import { describe, expect, it } from "vitest";
import { generate } from "../../worker/core/providers/generate";
import type { ModelEvent } from "../../worker/core/providers/types";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

describe("generate", () => {
  it("collects text, tool calls, unique citations, finish reason and usage", async () => {
    const model = new ScriptedModel([
      { type: "text", delta: "See" },
      { type: "citation", passageId: "p1" },
      { type: "text", delta: " [1]" },
      { type: "citation", passageId: "p1" },
      { type: "tool_call", call: { id: "c1", name: "lookup", arguments: "{}" } },
      { type: "finish", reason: "tool_calls", usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
    expect(await generate(model, { messages: [{ role: "user", content: "q" }] })).toEqual({
      text: "See [1]",
      toolCalls: [{ id: "c1", name: "lookup", arguments: "{}" }],
      citations: ["p1"],
      finishReason: "tool_calls",
      usage: { inputTokens: 7, outputTokens: 3 },
    });
  });

  it("marks a stream that ends without a finish event as an error", async () => {
    const result = await generate(new ScriptedModel([{ type: "text", delta: "cut" }]), { messages: [] });
    expect(result).toMatchObject({ text: "cut", finishReason: "error" });
  });
});

describe("ScriptedModel", () => {
  it("plays its script, records requests and can script from the request", async () => {
    const model = new ScriptedModel((request) => textScript(`echo ${request.messages.at(-1)?.content ?? ""}`));
    const result = await generate(model, { messages: [{ role: "user", content: "ping" }] });
    expect(result.text).toBe("echo ping");
    expect(result.usage.outputTokens).toBe(2);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]?.messages[0]?.content).toBe("ping");
    expect(model.id).toBe("scripted");
    expect(new ScriptedModel([], { id: "fake-offline", degraded: true }).degraded).toBe(true);
  });

  it("delays each event and stops with 'cancelled' when aborted mid-stream", async () => {
    const model = new ScriptedModel(textScript("one two three four five six"), { delayMs: 15 });
    const controller = new AbortController();
    const seen: ModelEvent[] = [];
    const started = Date.now();
    for await (const e of model.stream({ messages: [], signal: controller.signal })) {
      seen.push(e);
      if (seen.length === 2) controller.abort();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(seen.map((e) => e.type)).toEqual(["text", "text", "finish"]);
    expect(seen.at(-1)).toEqual({ type: "finish", reason: "cancelled", usage: { inputTokens: 0, outputTokens: 2 } });
  });
});
