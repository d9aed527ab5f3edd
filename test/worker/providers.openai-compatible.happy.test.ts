import { describe, expect, it } from "vitest";
import { generate } from "../../worker/core/providers/generate";
import { OpenAiCompatibleModel } from "../../worker/core/providers/openai-compatible-model";
import type { ModelEvent } from "../../worker/core/providers/types";
import { estimateTokens } from "../../worker/core/tokens";
import { byteStream, sseEvents } from "./helpers/scripted-model";

interface Captured {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A fake server: records each request and answers with the given SSE chunks. */
function fakeServer(chunks: string[]) {
  const requests: Captured[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    });
    return new Response(byteStream(chunks), { headers: { "Content-Type": "text/event-stream" } });
  };
  return { fetcher, requests };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe("OpenAiCompatibleModel", () => {
  it("streams content deltas and reads the usage chunk", async () => {
    const { fetcher, requests } = fakeServer(
      sseEvents([
        chunk({ role: "assistant", content: "" }),
        chunk({ content: "Hel" }),
        chunk({ content: "lo!" }),
        chunk({}, "stop"),
        { id: "chatcmpl-1", choices: [], usage: { prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 } },
      ]),
    );
    const model = new OpenAiCompatibleModel({
      baseUrl: "http://localhost:11434/v1/",
      model: "llama3.1",
      apiKey: "sk-local",
      fetch: fetcher,
    });
    const events: ModelEvent[] = [];
    for await (const e of model.stream({ messages: [{ role: "user", content: "Hi" }], maxTokens: 50, temperature: 0 }))
      events.push(e);
    expect(events).toEqual([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo!" },
      { type: "finish", reason: "stop", usage: { inputTokens: 21, outputTokens: 2 } },
    ]);
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.url).toBe("http://localhost:11434/v1/chat/completions");
    expect(req?.headers.get("Authorization")).toBe("Bearer sk-local");
    expect(req?.headers.get("Content-Type")).toBe("application/json");
    expect(req?.body).toEqual({
      model: "llama3.1",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0,
    });
    expect(model.degraded).toBe(false);
  });

  it("assembles tool-call deltas by index, in index order", async () => {
    const { fetcher, requests } = fakeServer(
      sseEvents([
        chunk({
          role: "assistant",
          tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "" } }],
        }),
        chunk({
          tool_calls: [
            { index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"ci' } },
          ],
        }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"UTC"}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Lisbon"}' } }] }),
        chunk({}, "tool_calls"),
      ]),
    );
    const model = new OpenAiCompatibleModel({ baseUrl: "http://llm.test/v1", model: "qwen2.5", fetch: fetcher });
    const tools = [{ name: "get_weather", description: "Weather", parameters: { type: "object" } }];
    const result = await generate(model, { messages: [{ role: "user", content: "Weather and time?" }], tools });
    expect(result.toolCalls).toEqual([
      { id: "call_a", name: "get_weather", arguments: '{"city":"Lisbon"}' },
      { id: "call_b", name: "get_time", arguments: '{"tz":"UTC"}' },
    ]);
    expect(result.finishReason).toBe("tool_calls");
    expect(result.text).toBe("");
    expect(requests[0]?.body.tools).toEqual([{ type: "function", function: tools[0] }]);
    expect(requests[0]?.headers.has("Authorization")).toBe(false);
    // No usage chunk: both counts are estimated (core/tokens.ts: a word is ~4 characters a token,
    // each quote, brace and colon of the JSON arguments one token).
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 19 });
  });

  it("maps a length stop, estimates missing usage and cites context markers", async () => {
    const { fetcher, requests } = fakeServer(
      sseEvents([chunk({ content: "See [1] and [3] and [9]" }), chunk({}, "length")]),
    );
    const model = new OpenAiCompatibleModel({ baseUrl: "http://llm.test/v1", model: "m", fetch: fetcher });
    const result = await generate(model, {
      model: "@cf/meta/llama-3.1-8b-instruct",
      messages: [{ role: "user", content: "q" }],
      context: [
        { id: "p1", text: "one" },
        { id: "p2", text: "two" },
        { id: "p3", text: "three" },
      ],
    });
    expect(requests[0]?.body.model).toBe("m");
    expect(result.finishReason).toBe("length");
    expect(result.citations).toEqual(["p1", "p3"]);
    // The one estimate (core/tokens.ts): words by 4 characters, each bracket and digit its own token.
    expect(result.usage.outputTokens).toBe(estimateTokens("See [1] and [3] and [9]"));
    expect(result.usage.outputTokens).toBe(12);
  });

  it("reads any valid event stream: CR line ends, comments, event names and frames split anywhere", async () => {
    // One string cut into 7-character pieces, so line ends, field names and JSON fall across chunks.
    const stream = [
      ": keep-alive\r\r",
      `event: message\rdata: ${JSON.stringify(chunk({ role: "assistant", content: "Bon" }))}\r\r`,
      `data: ${JSON.stringify(chunk({ content: "jour" }))}\r\n\r\n`,
      `data: ${JSON.stringify(chunk({}, "stop"))}\n\n`,
      "data: [DONE]\r\r",
    ].join("");
    const pieces = stream.match(/[\s\S]{1,7}/g) ?? [];
    const { fetcher } = fakeServer(pieces);
    const model = new OpenAiCompatibleModel({ baseUrl: "http://llm.test/v1", model: "m", fetch: fetcher });
    const result = await generate(model, { messages: [{ role: "user", content: "Greet me" }] });
    expect(result.text).toBe("Bonjour");
    expect(result.finishReason).toBe("stop");
  });
});
