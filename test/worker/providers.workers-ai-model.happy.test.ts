import { describe, expect, it } from "vitest";
import { generate } from "../../worker/core/providers/generate";
import type { ModelEvent } from "../../worker/core/providers/types";
import type { AiRunner } from "../../worker/core/providers/workers-ai";
import { DEFAULT_WORKERS_AI_MODEL, WorkersAiModel } from "../../worker/core/providers/workers-ai-model";
import { byteStream, sseEvents } from "./helpers/scripted-model";

interface Call {
  model: string;
  inputs: Record<string, unknown>;
}

function fakeAi(answer: (call: Call) => unknown) {
  const calls: Call[] = [];
  const ai: AiRunner = {
    async run(model, inputs) {
      const call = { model, inputs };
      calls.push(call);
      return answer(call);
    },
  };
  return { ai, calls };
}

describe("WorkersAiModel streaming", () => {
  it("parses the SSE body into text deltas and reports the model's usage", async () => {
    // Chunk edges deliberately split a line and an event.
    const body = sseEvents([
      { response: "Hello" },
      { response: ", world" },
      { response: "", usage: { prompt_tokens: 12, completion_tokens: 3 } },
    ]).join("");
    const { ai, calls } = fakeAi(() => byteStream([body.slice(0, 7), body.slice(7, 30), body.slice(30)]));
    const model = new WorkersAiModel(ai);
    const events: ModelEvent[] = [];
    for await (const e of model.stream({
      messages: [{ role: "user", content: "Hi" }],
      maxTokens: 64,
      temperature: 0.2,
    }))
      events.push(e);
    expect(events).toEqual([
      { type: "text", delta: "Hello" },
      { type: "text", delta: ", world" },
      { type: "finish", reason: "stop", usage: { inputTokens: 12, outputTokens: 3 } },
    ]);
    expect(calls).toEqual([
      {
        model: DEFAULT_WORKERS_AI_MODEL,
        inputs: { messages: [{ role: "user", content: "Hi" }], max_tokens: 64, temperature: 0.2, stream: true },
      },
    ]);
  });

  it("estimates usage when the stream carries none, and handles CRLF framing", async () => {
    const { ai } = fakeAi(() =>
      byteStream(['data: {"response":"abcd"}\r\n\r\n', 'data: {"response":"efgh"}\r\n\r\ndata: [DONE]\r\n\r\n']),
    );
    const result = await generate(new WorkersAiModel(ai), { messages: [{ role: "user", content: "12345678" }] });
    expect(result.text).toBe("abcdefgh");
    expect(result.usage).toEqual({ inputTokens: 2, outputTokens: 2 });
    expect(result.finishReason).toBe("stop");
  });

  it("uses a Workers AI model id from the request and ignores names meant for other servers", async () => {
    const { ai, calls } = fakeAi(() => byteStream(sseEvents([{ response: "ok" }])));
    const model = new WorkersAiModel(ai);
    await generate(model, {
      model: "@cf/mistral/mistral-7b-instruct-v0.1",
      messages: [{ role: "user", content: "x" }],
    });
    await generate(model, { model: "llama3.1", messages: [{ role: "user", content: "x" }] });
    expect(calls.map((c) => c.model)).toEqual(["@cf/mistral/mistral-7b-instruct-v0.1", DEFAULT_WORKERS_AI_MODEL]);
  });

  it("puts context passages in a system message after the agent's own, and cites the markers it uses", async () => {
    const { ai, calls } = fakeAi(() => byteStream(sseEvents([{ response: "Refunds take 5 days [2]." }])));
    const result = await generate(new WorkersAiModel(ai), {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "How long do refunds take?" },
      ],
      context: [
        { id: "chk_a", text: "Invoices go out monthly." },
        { id: "chk_b", text: "Refunds take 5 business days.", source: "billing.md" },
      ],
    });
    const messages = calls[0]?.inputs.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(["system", "system", "user"]);
    expect(messages[0]?.content).toBe("Be brief.");
    expect(messages[1]?.content).toContain("[1] Invoices go out monthly.");
    expect(messages[1]?.content).toContain("[2] (billing.md) Refunds take 5 business days.");
    expect(result.citations).toEqual(["chk_b"]);
  });
});

describe("WorkersAiModel with tools", () => {
  const tools = [
    {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  ];

  it("runs in non-stream mode and turns tool_calls into events", async () => {
    const { ai, calls } = fakeAi(() => ({
      response: null,
      tool_calls: [{ name: "get_weather", arguments: { city: "Lisbon" } }],
      usage: { prompt_tokens: 40, completion_tokens: 9 },
    }));
    const result = await generate(new WorkersAiModel(ai), {
      messages: [{ role: "user", content: "Weather in Lisbon?" }],
      tools,
    });
    expect(calls[0]?.inputs.stream).toBeUndefined();
    expect(calls[0]?.inputs.tools).toEqual([{ type: "function", function: tools[0] }]);
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ name: "get_weather", arguments: '{"city":"Lisbon"}' });
    expect(result.toolCalls[0]?.id).toMatch(/^call_/);
    expect(result.finishReason).toBe("tool_calls");
    expect(result.usage).toEqual({ inputTokens: 40, outputTokens: 9 });
  });

  it("accepts the OpenAI completion shape some models return, and plain text answers", async () => {
    const { ai } = fakeAi(() => ({
      choices: [
        {
          finish_reason: "tool_calls",
          message: {
            content: "",
            tool_calls: [
              { id: "call_9", type: "function", function: { name: "get_weather", arguments: '{"city":"Porto"}' } },
            ],
          },
        },
      ],
    }));
    const result = await generate(new WorkersAiModel(ai), { messages: [{ role: "user", content: "Porto?" }], tools });
    expect(result.toolCalls).toEqual([{ id: "call_9", name: "get_weather", arguments: '{"city":"Porto"}' }]);

    const plain = fakeAi(() => ({ response: "No tool needed." }));
    const answer = await generate(new WorkersAiModel(plain.ai), { messages: [{ role: "user", content: "Hi" }], tools });
    expect(answer).toMatchObject({ text: "No tool needed.", toolCalls: [], finishReason: "stop" });
  });

  it("sends earlier tool calls and tool results in the OpenAI wire format", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "It is sunny." }));
    await generate(new WorkersAiModel(ai), {
      tools,
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: "",
          toolCalls: [{ id: "c1", name: "get_weather", arguments: '{"city":"Faro"}' }],
        },
        { role: "tool", content: '{"sky":"clear"}', toolCallId: "c1" },
      ],
    });
    expect(calls[0]?.inputs.messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Faro"}' } }],
      },
      { role: "tool", content: '{"sky":"clear"}', tool_call_id: "c1" },
    ]);
  });
});
