import { describe, expect, it } from "vitest";
import type { Fallback } from "../../worker/core/providers/fallback";
import { generate } from "../../worker/core/providers/generate";
import { OfflineModel } from "../../worker/core/providers/offline-model";
import type { ContextPassage, GenerateRequest, ModelEvent } from "../../worker/core/providers/types";
import { estimateTokens } from "../../worker/core/tokens";

const model = new OfflineModel();

const context: ContextPassage[] = [
  {
    id: "chk_billing",
    text: "Invoices are issued on the first day of each month. Refunds are processed within 5 business days of approval.",
  },
  {
    id: "chk_security",
    text: "Passwords are hashed with PBKDF2. To reset your password, open the login page and choose 'Forgot password'.",
  },
  { id: "chk_office", text: "The Lisbon office is closed on public holidays." },
];

const ask = (question: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [
    { role: "system", content: "You are a support agent." },
    { role: "user", content: "Hello there" },
    { role: "assistant", content: "Hi! How can I help?" },
    { role: "user", content: question },
  ],
  ...extra,
});

async function events(request: GenerateRequest): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const e of model.stream(request)) out.push(e);
  return out;
}

describe("OfflineModel", () => {
  it("declares itself degraded", () => {
    expect(model.id).toBe("offline");
    expect(model.degraded).toBe(true);
  });

  it("answers extractively from the passage matching the last user message, with citations", async () => {
    const result = await generate(model, ask("How do I reset my password?", { context }));
    expect(result.text).toContain(`"To reset your password, open the login page and choose 'Forgot password'." [2]`);
    expect(result.text).toMatch(/^No language model is configured/);
    expect(result.text).not.toContain("Invoices");
    expect(result.citations).toEqual(["chk_security"]);
    expect(result.finishReason).toBe("stop");
    expect(result.toolCalls).toEqual([]);
  });

  it("quotes several passages when the question spans them, citing each once", async () => {
    const result = await generate(model, ask("When are invoices issued and how are refunds processed?", { context }));
    expect(result.text).toContain("[1]");
    expect(result.text).toContain("Refunds are processed within 5 business days of approval.");
    expect(result.text).toContain("Invoices are issued on the first day of each month.");
    expect(result.citations).toEqual(["chk_billing"]);
  });

  it("says plainly that nothing matched instead of inventing an answer", async () => {
    const result = await generate(model, ask("What is the capital of Peru?", { context }));
    expect(result.text).toMatch(/none of the 3 retrieved passages match your question/);
    expect(result.citations).toEqual([]);
  });

  it("without context, states that no language model is configured and what it can do", async () => {
    const result = await generate(model, ask("Write me a poem about the sea"));
    expect(result.text).toMatch(/^No language model is configured/);
    expect(result.text).toMatch(/can only quote its sources/);
    expect(result.text).toMatch(/LLM_BASE_URL/);
    expect(result.text).not.toMatch(/sea/i);
    expect(result.citations).toEqual([]);
  });

  it("says why there is nothing to quote: no knowledge base, nothing found, or a search failure", async () => {
    const none = (await generate(model, ask("How do I reset my password?", { contextNote: "no_knowledge_base" }))).text;
    expect(none).toMatch(/has no knowledge base attached/);
    const nothing = (await generate(model, ask("How do I reset my password?", { contextNote: "no_results" }))).text;
    expect(nothing).toMatch(/found no passage for your question/);
    expect(nothing).not.toMatch(/Attach a knowledge base/);
    const failed = (await generate(model, ask("How do I reset my password?", { contextNote: "search_failed" }))).text;
    expect(failed).toMatch(/Searching this agent's knowledge bases failed just now/);
  });

  it("says which configured model failed when it answers as a fallback, and still quotes", async () => {
    const failedBefore: Fallback[] = [{ reason: "model_failed", model: "openai-compatible:llama3.1", status: 500 }];
    const result = await generate(model, ask("How do I reset my password?", { context, failedBefore }));
    expect(result.text).toMatch(/^The agent's model \(openai-compatible:llama3\.1\) failed to answer \(HTTP 500\)/);
    expect(result.text).not.toMatch(/No language model is configured/);
    expect(result.text).toContain("[2]");
    const alone = (
      await generate(model, ask("How do I reset my password?", { failedBefore, contextNote: "no_knowledge_base" }))
    ).text;
    expect(alone).not.toMatch(/LLM_BASE_URL/);
    expect(alone).toMatch(/once the model is back/);
  });

  it("says whether the configured model timed out, is paused (circuit open) or several failed", async () => {
    const says = async (failedBefore: Fallback[]) =>
      (await generate(model, ask("How do I reset my password?", { context, failedBefore }))).text;
    expect(await says([{ reason: "timeout", model: "workers-ai:@cf/m" }])).toMatch(
      /^The agent's model \(workers-ai:@cf\/m\) timed out before answering, so/,
    );
    expect(await says([{ reason: "circuit_open", model: "openai-compatible:q" }])).toMatch(
      /^The agent's model \(openai-compatible:q\) is paused after repeated failures \(circuit open\)/,
    );
    const both = await says([
      { reason: "model_failed", model: "a:x", status: 503 },
      { reason: "model_failed", model: "b:y" },
    ]);
    expect(both).toMatch(/^The agent's models failed \(a:x failed to answer \(HTTP 503\); b:y failed to answer\)/);
    const off = (await generate(new OfflineModel("inference_off"), ask("How do I reset my password?", { context })))
      .text;
    expect(off).toMatch(/^Model calls are switched off for this workspace right now/);
    expect(off).not.toMatch(/No language model is configured/);
  });

  it("quotes with the previous question when the last one is a short follow-up", async () => {
    const request: GenerateRequest = {
      messages: [
        { role: "user", content: "How are refunds processed?" },
        { role: "assistant", content: "..." },
        { role: "user", content: "And invoices?" },
      ],
      context,
    };
    const result = await generate(model, request);
    expect(result.text).toContain("Invoices are issued on the first day of each month.");
  });

  it("quotes each of the search's top three passages that matches before better matches ranked lower", async () => {
    const ranked: ContextPassage[] = [
      { id: "a", text: "Suction increases the heat." },
      { id: "b", text: "The boundary layer thins at the wall." },
      { id: "c", text: "Cones were tested in the tunnel." },
      { id: "d", text: "Heat transfer in a boundary layer depends on its thickness." },
    ];
    const result = await generate(model, ask("What affects heat transfer in a boundary layer?", { context: ranked }));
    expect(result.citations).toEqual(["a", "b", "d"]);
    expect(result.text).toContain('"Suction increases the heat." [1]');
  });

  it("answers a ballot with the option its passages support best, and the first option when none is", async () => {
    const ballot = {
      keyword: "VOTE",
      options: [
        { label: 1, text: "Close the Lisbon office every Friday afternoon." },
        { label: 2, text: "Refunds are processed within five business days of approval." },
      ],
    };
    const supported = await generate(model, ask("Vote for the best proposal.", { context, ballot }));
    expect(supported.text).toMatch(/option 2 is the one this agent's sources support best/);
    expect(supported.text).toMatch(/\n\nVOTE: 2$/);
    const unsupported = await generate(model, ask("Vote for the best proposal.", { ballot }));
    expect(unsupported.text).toMatch(/\n\nVOTE: 1$/);
  });

  it("streams word-sized deltas followed by one finish event with estimated usage", async () => {
    const request = ask("How do I reset my password?", { context });
    const stream = await events(request);
    const texts = stream.filter((e): e is Extract<ModelEvent, { type: "text" }> => e.type === "text");
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.every((t) => /^\s*\S+$/.test(t.delta))).toBe(true);
    const finish = stream.at(-1);
    expect(stream.filter((e) => e.type === "finish")).toHaveLength(1);
    const text = texts.map((t) => t.delta).join("");
    const input =
      request.messages.reduce((n, m) => n + estimateTokens(m.content), 0) +
      context.reduce((n, p) => n + estimateTokens(p.text), 0);
    expect(finish).toEqual({
      type: "finish",
      reason: "stop",
      usage: { inputTokens: input, outputTokens: estimateTokens(text) },
    });
    // The citation follows the quote it belongs to.
    const citationAt = stream.findIndex((e) => e.type === "citation");
    expect(
      stream
        .slice(0, citationAt)
        .map((e) => (e.type === "text" ? e.delta : ""))
        .join(""),
    ).toContain("[2]");
  });

  it("is deterministic", async () => {
    const request = ask("reset password", { context });
    expect(await events(request)).toEqual(await events(request));
  });

  it("stops at maxTokens with finish reason 'length'", async () => {
    const result = await generate(model, ask("How do I reset my password?", { context, maxTokens: 12 }));
    expect(result.finishReason).toBe("length");
    expect(result.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it("stops with 'cancelled' once the request is aborted", async () => {
    const controller = new AbortController();
    const seen: ModelEvent[] = [];
    for await (const e of model.stream(ask("How do I reset my password?", { context, signal: controller.signal }))) {
      seen.push(e);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toHaveLength(4);
    expect(seen.at(-1)).toMatchObject({ type: "finish", reason: "cancelled" });
  });
});
