// The README's walk-through with no language model: create a knowledge base, upload documents,
// create an agent with knowledge_search, chat. The offline model answers by quoting the agent's
// documents with structured citations (document, knowledge base, quoted range) over chat, /v1
// and MCP; when a configured OpenAI-compatible server fails, the fallback keeps the knowledge
// and says the configured model failed; with nothing to quote it says why.
import { SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ChatEvent } from "../../worker/chat/events";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { OpenAiCompatibleModel } from "../../worker/core/providers/openai-compatible-model";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { Citation } from "../../worker/core/providers/types";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { chat, createAgent } from "./helpers/chat";
import { BASE, expectStatus } from "./helpers/harness";
import { connectMcp } from "./helpers/mcp";
import { type Caller, createKb, documentText, getDocument, signedInUser, uploadIngested } from "./knowledge.helpers";

const DOCS = {
  "boundary-layers.txt":
    "Boundary layer flow over a heated flat plate.\n\nThe heat transfer in a laminar boundary layer depends on the Prandtl number and the wall temperature gradient. " +
    "Suction at the wall thins the boundary layer and increases the heat transfer rate.",
  "wings.txt":
    "Slender wings at supersonic speeds.\n\nThe lift of a slender delta wing grows with the angle of attack, and leading edge vortices add nonlinear lift.",
  "buckling.txt":
    "Buckling of thin cylindrical shells.\n\nAxial compression of a thin cylinder causes buckling at loads far below the classical prediction, because of initial imperfections.",
};
const QUESTION = "What affects heat transfer in a boundary layer?";

let caller: Caller;
let kb: KnowledgeBase;
let agent: Agent;
const texts = new Map<string, string>();

const citationsOf = (events: ChatEvent[]) => events.flatMap((e) => (e.type === "citation" ? [e] : []));
const answerOf = (events: ChatEvent[]) => events.map((e) => (e.type === "token" ? e.delta : "")).join("");
const collapse = (s: string) => s.replace(/\s+/g, " ");

/** A citation names an uploaded document of the agent's knowledge base, and its range holds the quoted text. */
function expectLinked(c: Citation, answer: string) {
  expect(c.knowledge_base_id).toBe(kb.id);
  expect(c.document_name).toBe("boundary-layers.txt");
  const text = texts.get(c.document_id);
  expect(text).toBeDefined();
  expect(collapse((text as string).slice(c.snippet.start_offset, c.snippet.end_offset))).toBe(c.snippet.text);
  expect(answer).toContain(`"${c.snippet.text}" [${c.marker}]`);
}

beforeAll(async () => {
  caller = await signedInUser();
  kb = await createKb(caller, { name: "Aero" });
  for (const [name, content] of Object.entries(DOCS)) {
    const uploaded = await uploadIngested(caller, kb.id, name, content);
    texts.set(uploaded.id, await documentText(caller, kb.id, uploaded.id));
    expect((await getDocument(caller, kb.id, uploaded.id)).status).toBe("ready");
  }
  agent = await createAgent(caller.token, {
    name: "Aerobot",
    tools: ["knowledge_search"],
    knowledge_base_ids: [kb.id],
  });
});

afterEach(() => clearProviderOverrides());

describe("offline answers from the agent's knowledge", () => {
  it("quotes the agent's documents with structured citations, and stores them on the message", async () => {
    const { status, events, conversationId } = await chat(caller.token, agent.id, QUESTION);
    expect(status).toBe(200);
    const answer = answerOf(events);
    expect(answer).toMatch(/^No language model is configured for this agent/);
    expect(events.find((e) => e.type === "usage")).toMatchObject({ degraded: true, fallback: { reason: "no_model" } });
    expect(answer).not.toMatch(/Attach a knowledge base/);
    expect(answer).toContain("Prandtl number");
    const citations = citationsOf(events);
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expectLinked(c, answer);
    expect(events.at(-1)).toMatchObject({ type: "done", reason: "stop", degraded: true });

    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
      token: caller.token,
    });
    const stored = detail.messages.data.find((m) => m.role === "assistant");
    expect(stored?.citations).toEqual(citations.map(({ type: _type, ...c }) => c));
  });

  it("searches with the previous question when a follow-up is short", async () => {
    const first = await chat(caller.token, agent.id, "How does suction change the boundary layer?");
    const follow = await chat(caller.token, agent.id, "And heat transfer?", first.conversationId);
    const citations = citationsOf(follow.events);
    expect(citations.length).toBeGreaterThan(0);
    expect(answerOf(follow.events)).toContain("heat transfer");
    for (const c of citations) expectLinked(c, answerOf(follow.events));
  });

  it("says what is missing when there is nothing to quote, without asking for a knowledge base that is attached", async () => {
    const unmatched = answerOf((await chat(caller.token, agent.id, "zebra xylophone quasar")).events);
    expect(unmatched).toMatch(/none of the 3 retrieved passages match your question closely enough/);
    expect(unmatched).not.toMatch(/Attach a knowledge base/);

    const empty = await createKb(caller, { name: "Empty" });
    const emptyAgent = await createAgent(caller.token, { name: "Empty shelves", knowledge_base_ids: [empty.id] });
    const nothing = answerOf((await chat(caller.token, emptyAgent.id, QUESTION)).events);
    expect(nothing).toMatch(/searched this agent's knowledge bases and found no passage/);
    expect(nothing).not.toMatch(/Attach a knowledge base/);

    const bare = await createAgent(caller.token, { name: "No knowledge" });
    const none = answerOf((await chat(caller.token, bare.id, QUESTION)).events);
    expect(none).toMatch(/has no knowledge base attached/);
  });

  it("keeps the knowledge when a configured OpenAI-compatible server fails, and says the model failed", async () => {
    let calls = 0;
    const failing = new OpenAiCompatibleModel({
      baseUrl: "http://llm.test/v1",
      model: "llama3.1",
      fetch: async () => {
        calls++;
        return new Response(JSON.stringify({ error: { message: "upstream exploded" } }), { status: 500 });
      },
    });
    setProviderOverrides({ model: failing });
    const llmAgent = await createAgent(caller.token, {
      name: "Aerobot LLM",
      model: { provider: "openai-compatible", id: "llama3.1" },
      tools: ["knowledge_search"],
      knowledge_base_ids: [kb.id],
    });
    const { events } = await chat(caller.token, llmAgent.id, QUESTION);
    expect(calls).toBeGreaterThan(0);
    const answer = answerOf(events);
    expect(answer).toMatch(/^The agent's model \(openai-compatible:llama3\.1\) failed to answer \(HTTP 500\)/);
    expect(answer).not.toMatch(/No language model is configured/);
    expect(answer).not.toContain("upstream exploded");
    // The reason as data, for the dashboard and the CLI: which model failed, and how.
    const fallback = { reason: "model_failed", model: "openai-compatible:llama3.1", status: 500 };
    expect(events.find((e) => e.type === "usage")).toMatchObject({ degraded: true, fallback });
    const citations = citationsOf(events);
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expectLinked(c, answer);
    expect(events.find((e) => e.type === "usage")).toMatchObject({ model: "offline:offline", degraded: true });
  });

  it("returns the citations in /v1's `citations` extension, streamed and not", async () => {
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${caller.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: agent.id, messages: [{ role: "user", content: QUESTION }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[]; citations: Citation[] };
    expect(body.citations.length).toBeGreaterThan(0);
    for (const c of body.citations) expectLinked(c, body.choices[0]?.message.content ?? "");

    const streamed = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${caller.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: agent.id, stream: true, messages: [{ role: "user", content: QUESTION }] }),
    });
    const chunks = (await streamed.text())
      .split("\n\n")
      .filter((f) => f.startsWith("data: {"))
      .map((f) => JSON.parse(f.slice(6)) as { choices: { finish_reason: string | null }[]; citations?: Citation[] });
    const last = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(last?.citations).toEqual(body.citations);
  });

  it("returns the citations in MCP chat_with_agent's tool result", async () => {
    const client = await connectMcp(caller.token);
    const result = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agent.id, message: QUESTION },
    });
    await client.close();
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as { answer: string; citations: Citation[]; degraded: boolean };
    expect(data.degraded).toBe(true);
    expect(data.citations.length).toBeGreaterThan(0);
    for (const c of data.citations) expectLinked(c, data.answer);
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
    expect(text).toContain(`Sources:\n[${data.citations[0]?.marker}] boundary-layers.txt`);
  });
});
