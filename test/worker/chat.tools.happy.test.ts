// The tool loop through the API: results fed back to the model, the step limit, and invalid
// arguments turned into a tool error the model sees (never a 500).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, text, toolCallScript, types } from "./helpers/chat";
import { expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;

beforeAll(async () => {
  access = await newUserAccess();
});

afterEach(() => clearProviderOverrides());

/** Calls the calculator once, then answers with what the tool said. */
const calculatorThenAnswer = (expression: string) =>
  new ScriptedModel((req) => {
    const last = req.messages.at(-1);
    return last?.role === "tool"
      ? textScript(`The answer is ${last.content}.`)
      : toolCallScript("calculator", { expression });
  });

describe("tool loop", () => {
  it("runs a tool, feeds the result back and streams tool_call, tool_result, then the answer", async () => {
    const agent = await createAgent(access, { tools: ["calculator", "current_time"] });
    const model = calculatorThenAnswer("(2 + 3) * 2^3");
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "what is (2+3)*2^3?");
    // Consecutive tokens as one: the output guard may cut the answer at other places than the model.
    expect(types(r.events).filter((t, i, all) => t !== "token" || all[i - 1] !== "token")).toEqual([
      "start",
      "usage",
      "tool_call",
      "tool_result",
      "token",
      "usage",
      "done",
    ]);
    expect(r.events.find((e) => e.type === "tool_call")).toMatchObject({ name: "calculator", side_effects: false });
    expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({
      name: "calculator",
      status: "ok",
      content: "40",
    });
    expect(text(r.events)).toBe("The answer is 40.");
    expect(model.requests[0]?.tools?.map((t) => t.name).sort()).toEqual(["calculator", "current_time"]);
    expect(model.requests[0]?.tools?.find((t) => t.name === "calculator")?.parameters).toMatchObject({
      type: "object",
      required: ["expression"],
    });

    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail.messages.data.map((m) => `${m.role}:${m.status}`)).toEqual([
      "user:complete",
      "assistant:complete",
      "tool:ok",
      "assistant:complete",
    ]);
    expect(detail.messages.data[1]?.tool_calls).toEqual([
      { id: "call_calculator", name: "calculator", arguments: '{"expression":"(2 + 3) * 2^3"}' },
    ]);
    expect(detail.messages.data[2]).toMatchObject({
      tool_call_id: "call_calculator",
      tool_name: "calculator",
      content: "40",
    });
  });

  it("stops at the agent's step limit even if the model keeps calling tools", async () => {
    const agent = await createAgent(access, { tools: ["calculator"], max_steps: 3 });
    let n = 0;
    const model = new ScriptedModel(() => toolCallScript("calculator", { expression: "1+1" }, `call_${++n}`));
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "loop forever");
    expect(model.requests).toHaveLength(3);
    expect(r.events.filter((e) => e.type === "tool_result")).toHaveLength(3);
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "step_limit" });
  });

  it("defaults to five steps", async () => {
    const agent = await createAgent(access, { tools: ["calculator"] });
    const model = new ScriptedModel(() => toolCallScript("calculator", { expression: "2" }));
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "again and again");
    expect(model.requests).toHaveLength(5);
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "step_limit" });
  });

  it("turns invalid tool arguments into a tool error the model reads, then lets it answer", async () => {
    const agent = await createAgent(access, { tools: ["calculator", "current_time"] });
    const model = new ScriptedModel((req) => {
      const last = req.messages.at(-1);
      if (last?.role !== "tool") {
        return [
          { type: "tool_call", call: { id: "c1", name: "calculator", arguments: '{"expr": 1}' } },
          { type: "tool_call", call: { id: "c2", name: "current_time", arguments: '{"timezone":"Mars/Olympus"}' } },
          { type: "tool_call", call: { id: "c3", name: "calculator", arguments: "not json" } },
          { type: "tool_call", call: { id: "c4", name: "rm_rf", arguments: "{}" } },
          { type: "finish", reason: "tool_calls", usage: { inputTokens: 1, outputTokens: 1 } },
        ];
      }
      return textScript("Sorry, those failed.");
    });
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "break things");
    expect(r.status).toBe(200);
    const results = r.events.filter((e) => e.type === "tool_result");
    expect(results.map((e) => (e.type === "tool_result" ? [e.call_id, e.status] : []))).toEqual([
      ["c1", "error"],
      ["c2", "error"],
      ["c3", "error"],
      ["c4", "error"],
    ]);
    const contents = results.map((e) => (e.type === "tool_result" ? e.content : ""));
    expect(contents[0]).toMatch(/Invalid arguments: expression/);
    expect(contents[1]).toMatch(/IANA time zone/);
    expect(contents[2]).toMatch(/not valid JSON/);
    expect(contents[3]).toMatch(/no tool named rm_rf/);
    const toolMessages = model.requests[1]?.messages.filter((m) => m.role === "tool") ?? [];
    expect(toolMessages.map((m) => m.toolCallId)).toEqual(["c1", "c2", "c3", "c4"]);
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
  });

  it("refuses a tool the agent has not enabled", async () => {
    const agent = await createAgent(access, { tools: [] });
    setProviderOverrides({ model: calculatorThenAnswer("1+1") });
    const r = await chat(access, agent.id, "use a tool anyway");
    expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({
      status: "error",
      content: expect.stringMatching(/not enabled/),
    });
  });

  it("answers the current time in a requested time zone", async () => {
    const agent = await createAgent(access, { tools: ["current_time"] });
    setProviderOverrides({
      model: new ScriptedModel((req) =>
        req.messages.at(-1)?.role === "tool"
          ? textScript("done")
          : toolCallScript("current_time", { timezone: "Asia/Tokyo" }),
      ),
    });
    const r = await chat(access, agent.id, "time in Tokyo?");
    const result = r.events.find((e) => e.type === "tool_result");
    expect(result).toMatchObject({
      status: "ok",
      content: expect.stringMatching(/GMT\+9 \(Asia\/Tokyo\); UTC \d{4}-\d\d-\d\dT/),
    });
  });

  it("offers knowledge_search over the agent's knowledge bases (registered by the knowledge feature)", async () => {
    const kb = await expectStatus<{ id: string }>(201, "POST", "/api/knowledge-bases", {
      token: access,
      body: { name: "Empty shelf" },
    });
    const agent = await createAgent(access, { tools: ["knowledge_search"], knowledge_base_ids: [kb.id] });
    const model = new ScriptedModel((req) =>
      req.messages.at(-1)?.role === "tool"
        ? textScript("searched")
        : toolCallScript("knowledge_search", { query: "anything" }),
    );
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "look it up");
    expect(model.requests[0]?.tools?.map((t) => t.name)).toEqual(["knowledge_search"]);
    expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({ name: "knowledge_search", status: "ok" });
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
  });
});
