// The OpenAI-compatible API driven by the official `openai` npm client, unchanged except for
// its baseURL and fetch: completions stream and not, agents as models, the model list.
import { SELF } from "cloudflare:test";
import OpenAI from "openai";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { createAgent, toolCallScript } from "./helpers/chat";
import { apiKey, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let client: OpenAI;
let agent: Agent;

beforeAll(async () => {
  const access = await newUserAccess();
  const key = await apiKey(access, ["chat", "agents:read"]);
  client = new OpenAI({ apiKey: key.key, baseURL: "http://localhost/v1", fetch: SELF.fetch.bind(SELF), maxRetries: 0 });
  agent = await createAgent(access, {
    name: "Maths tutor",
    system_prompt: "Show your working.",
    tools: ["calculator", "http_get"],
  });
});

afterEach(() => clearProviderOverrides());

describe("official openai client", () => {
  it("gets a non-streamed completion from a raw model", async () => {
    setProviderOverrides({
      model: new ScriptedModel(textScript("Hello from the edge", { inputTokens: 9, outputTokens: 4 })),
    });
    const completion = await client.chat.completions.create({
      model: "offline",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("offline");
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: "Hello from the edge" });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });

  it("streams a completion chunk by chunk, with a usage chunk when asked", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("one two three")) });
    const stream = await client.chat.completions.create({
      model: "offline",
      messages: [{ role: "user", content: "count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let textOut = "";
    const finishes: (string | null | undefined)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      textOut += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(textOut).toBe("one two three");
    expect(finishes.at(-1)).toBe("stop");
    expect(usage?.completion_tokens).toBe(3);
  });

  it("works with the client's strict stream helper", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("helper ok")) });
    const runner = client.chat.completions.stream({ model: "offline", messages: [{ role: "user", content: "go" }] });
    const deltas: string[] = [];
    runner.on("content", (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("helper ok");
    expect(deltas.join("")).toBe("helper ok");
  });

  it("uses an agent as the model: its system prompt first and its safe tools run server-side", async () => {
    const model = new ScriptedModel((req) =>
      req.messages.at(-1)?.role === "tool"
        ? textScript(`It is ${req.messages.at(-1)?.content}.`)
        : toolCallScript("calculator", { expression: "12*12" }),
    );
    setProviderOverrides({ model });
    const completion = await client.chat.completions.create({
      model: agent.id,
      messages: [{ role: "user", content: "12 squared?" }],
    });
    expect(completion.choices[0]?.message.content).toBe("It is 144.");
    expect(completion.model).toBe(agent.id);
    // The agent's prompt first; the safety service adds its data-not-instructions note and the canary.
    expect(model.requests[0]?.messages.slice(0, 2)).toEqual([
      {
        role: "system",
        content: expect.stringMatching(/^Show your working\.\n\n.*<untrusted[\s\S]*hive-canary-[0-9a-f]{16}/),
      },
      { role: "user", content: "12 squared?" },
    ]);
    // Nobody could approve a side-effecting call on this stateless API, so it is never offered.
    expect(model.requests[0]?.tools?.map((t) => t.name)).toEqual(["calculator"]);
  });

  it("streams an agent's answer too", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("agent streaming")) });
    const stream = await client.chat.completions.create({
      model: agent.id,
      messages: [{ role: "user", content: "go" }],
      stream: true,
    });
    let out = "";
    for await (const chunk of stream) out += chunk.choices[0]?.delta.content ?? "";
    expect(out).toBe("agent streaming");
  });

  it("passes client-defined tools through to a raw model and returns its tool calls", async () => {
    const model = new ScriptedModel(toolCallScript("lookup_weather", { city: "Oslo" }, "call_w1"));
    setProviderOverrides({ model });
    const completion = await client.chat.completions.create({
      model: "offline",
      messages: [{ role: "user", content: "weather in Oslo?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "lookup_weather",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ],
    });
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: "call_w1", type: "function", function: { name: "lookup_weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(model.requests[0]?.tools?.[0]?.name).toBe("lookup_weather");
  });

  it("lists the workspace's agents and the raw models", async () => {
    const list = await client.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain(agent.id);
    expect(ids).toContain("offline");
  });
});
