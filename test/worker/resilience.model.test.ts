// Model calls under faults, through chat and /v1: an OpenAI-compatible server (a fake `fetch`
// serving the bench's fault responses) that hangs, fails, cuts its stream or never finishes in
// time. The user always gets one answer, flagged degraded with the true reason (and where it
// switched), or, when nothing can continue, an error event with the partial answer stored.
import { SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cutWords, DEFAULT_SHAPE, type FaultMode, faultResponse } from "../../bench/faults/responses";
import type { ChatEvent } from "../../worker/chat/events";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import type { ModelDeadlines } from "../../worker/core/providers/deadlines";
import { OpenAiCompatibleModel } from "../../worker/core/providers/openai-compatible-model";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { type AgentInput, chat, createAgent, text } from "./helpers/chat";
import { adminToken, BASE, expectStatus, newUserAccess } from "./helpers/harness";

const FAST: Partial<ModelDeadlines> = { firstEventMs: 400, idleMs: 400, turnMs: 10_000 };

let token: string;
beforeAll(async () => {
  token = await newUserAccess();
});
afterEach(() => clearProviderOverrides());

/** The agent's primary model is served by a fake server answering request n with `modes[n]` (then "ok"). */
function flakyServer(modes: FaultMode[], deadlines: Partial<ModelDeadlines> = FAST) {
  const calls: { body: { messages: { role: string; content: string }[] } }[] = [];
  const model = new OpenAiCompatibleModel({
    baseUrl: "http://flaky.test/v1",
    model: "flaky",
    fetch: async (_url, init) => {
      calls.push({ body: JSON.parse(String(init?.body)) });
      const mode = modes[calls.length - 1] ?? "ok";
      return faultResponse(mode, { ...DEFAULT_SHAPE, hangMs: 60_000, tokenDelayMs: 1 }, init?.signal ?? undefined);
    },
  });
  setProviderOverrides({ model, deadlines });
  return calls;
}

let agents = 0;
/** Each test gets its own model id, so its breaker starts closed. */
async function agentOn(input: AgentInput = {}) {
  const id = `flaky-${++agents}-${Date.now().toString(36)}`;
  const agent = await createAgent(token, { model: { provider: "openai-compatible", id }, ...input });
  return { agent, label: `openai-compatible:${id}` };
}

const usageOf = (events: ChatEvent[]) => events.find((e) => e.type === "usage");

async function storedAnswer(conversationId: string) {
  const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, { token });
  return detail.messages.data.filter((m) => m.role === "assistant").at(-1);
}

describe("before the first token", () => {
  it("falls back within the first-event deadline when the model hangs, and says it timed out", async () => {
    const calls = flakyServer(["hang", "hang", "hang"]);
    const { agent, label } = await agentOn();
    const started = Date.now();
    const { events } = await chat(token, agent.id, "What does the flaky server say?");
    const elapsed = Date.now() - started;
    expect(calls.length).toBe(1);
    // The deadline (400 ms) plus the offline model's own time and the test's overhead, far from the 60 s hang.
    expect(elapsed).toBeLessThan(3_000);
    expect(usageOf(events)).toMatchObject({ degraded: true, model: "offline:offline" });
    expect(usageOf(events)).toMatchObject({ fallback: { reason: "timeout", model: label } });
    expect(text(events)).toMatch(new RegExp(`^The agent's model \\(${label}\\) timed out before answering`));
    expect(text(events)).not.toMatch(/No language model is configured/);
    expect(events.at(-1)).toMatchObject({ type: "done", degraded: true });
  });

  it("retries a 500 and answers from the model itself, not degraded", async () => {
    const calls = flakyServer(["5xx"]);
    const { agent } = await agentOn();
    const { events } = await chat(token, agent.id, "Hello?");
    expect(calls.length).toBe(2);
    expect(text(events)).toBe(DEFAULT_SHAPE.text);
    const usage = usageOf(events);
    expect(usage).toMatchObject({ degraded: false });
    expect(usage).not.toHaveProperty("fallback");
  });

  it("falls back on a malformed first chunk with the reason that the model failed", async () => {
    flakyServer(["malformed", "malformed", "malformed"]);
    const { agent, label } = await agentOn();
    const { events } = await chat(token, agent.id, "Hello?");
    expect(usageOf(events)).toMatchObject({ degraded: true, fallback: { reason: "model_failed", model: label } });
    expect(text(events)).toMatch(new RegExp(`^The agent's model \\(${label}\\) failed to answer`));
  });
});

describe("hedged first token", () => {
  it("starts the fallback alongside a model silent past the hedge delay, keeps the first to answer", async () => {
    const calls = flakyServer(["hang"], { ...FAST, firstEventMs: 5_000, hedgeDelayMs: 100 });
    const { agent, label } = await agentOn({ fallback_models: [{ provider: "scripted", id: "2:1" }] });
    const started = Date.now();
    const { events } = await chat(token, agent.id, "Hello?");
    // Far inside the 5 s first-event deadline: the hedge answered while the primary still hung.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(calls.length).toBe(1);
    expect(text(events)).toBe("tok0 tok1");
    expect(usageOf(events)).toMatchObject({
      model: "scripted:2:1",
      degraded: true,
      fallback: { reason: "timeout", model: label },
    });
  });
});

describe("after the first token", () => {
  it("continues a cut stream with the next model, marked degraded with where it switched and why", async () => {
    const calls = flakyServer(["cut"]);
    const { agent, label } = await agentOn({ fallback_models: [{ provider: "scripted", id: "3:1" }] });
    const { events, conversationId } = await chat(token, agent.id, "What does the flaky server say?");
    const half = cutWords(DEFAULT_SHAPE.text).join("");
    expect(calls.length).toBe(1);
    expect(text(events)).toBe(`${half}tok0 tok1 tok2`);
    expect(usageOf(events)).toMatchObject({
      model: "scripted:3:1",
      degraded: true,
      fallback: { reason: "model_failed", model: label, switched_at: half.length },
    });
    expect(events.at(-1)).toMatchObject({ type: "done", reason: "stop", degraded: true });
    const stored = await storedAnswer(conversationId);
    expect(stored).toMatchObject({ content: `${half}tok0 tok1 tok2`, status: "complete", degraded: true });
  });

  it("lets the offline model continue when nothing else can, saying it took over", async () => {
    flakyServer(["cut"]);
    const { agent, label } = await agentOn();
    const { events } = await chat(token, agent.id, "What does the flaky server say?");
    const half = cutWords(DEFAULT_SHAPE.text).join("");
    expect(text(events).startsWith(`${half}\n\n[The agent's model (${label}) failed mid-answer`)).toBe(true);
    expect(usageOf(events)).toMatchObject({ model: "offline:offline", fallback: { switched_at: half.length } });
  });

  it("ends with an error event and stores the partial answer when the turn's deadline passes mid-answer", async () => {
    // Slow tokens (250 ms apart) against a 1.2 s turn: the answer is cut by the deadline, and nothing may continue.
    flakyServer(["slow"], { firstEventMs: 1_000, idleMs: 1_000, turnMs: 1_200 });
    const { agent } = await agentOn();
    const { events, conversationId } = await chat(token, agent.id, "What does the flaky server say?");
    const partial = text(events);
    expect(partial.length).toBeGreaterThan(0);
    expect(DEFAULT_SHAPE.text.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(DEFAULT_SHAPE.text.length);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "error", code: "MODEL_ERROR" });
    expect(last?.type === "error" && last.message).toMatch(/no other model could continue/);
    const stored = await storedAnswer(conversationId);
    expect(stored).toMatchObject({ content: partial, status: "error" });
  });
});

describe("/v1", () => {
  async function v1(model: string, stream: boolean) {
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "What does the flaky server say?" }] }),
    });
    return res;
  }

  it("streaming: a cut stream is continued by the next model in the same completion", async () => {
    flakyServer(["cut"]);
    const { agent, label } = await agentOn({ fallback_models: [{ provider: "scripted", id: "2:1" }] });
    const res = await v1(agent.id, true);
    expect(res.status).toBe(200);
    const chunks = (await res.text())
      .split("\n\n")
      .map((f) => f.replace(/^data: /, ""))
      .filter((d) => d && d !== "[DONE]")
      .map(
        (d) =>
          JSON.parse(d) as {
            choices: { delta: { content?: string }; finish_reason: string | null }[];
            degraded?: boolean;
            fallback?: unknown;
          },
      );
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    const half = cutWords(DEFAULT_SHAPE.text).join("");
    expect(content).toBe(`${half}tok0 tok1`);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    // The extension on the finishing chunk: degraded, and where and why it switched.
    expect(chunks.at(-1)).toMatchObject({
      degraded: true,
      fallback: { reason: "model_failed", model: label, switched_at: half.length },
    });
  });

  it("non-streaming: a cut answer is thrown away and the next model answers whole", async () => {
    flakyServer(["cut"]);
    const { agent, label } = await agentOn({ fallback_models: [{ provider: "scripted", id: "2:1" }] });
    const res = await v1(agent.id, false);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("tok0 tok1");
    expect(body).toMatchObject({ degraded: true, fallback: { reason: "model_failed", model: label } });
    expect(body).not.toHaveProperty("fallback.switched_at");
  });
});

describe("the breaker", () => {
  it("opens on the failure rate (not only consecutive failures), half-opens after its cool-down, and shows admins", async () => {
    // Every other call fails: never five in a row, but half of the window, so the breaker opens.
    const alternating = Array.from({ length: 11 }, (_, i): FaultMode => (i % 2 === 0 ? "5xx" : "ok"));
    const calls = flakyServer(alternating, { ...FAST, breakerCooldownMs: 2_000 });
    const { agent, label } = await agentOn();
    for (let i = 0; i < 6; i++) await chat(token, agent.id, `Question ${i}?`);
    const asked = calls.length;
    expect(asked).toBe(11);
    const { events } = await chat(token, agent.id, "And now?");
    expect(calls.length).toBe(asked);
    expect(usageOf(events)).toMatchObject({ degraded: true, fallback: { reason: "circuit_open", model: label } });
    expect(text(events)).toMatch(/paused after repeated failures \(circuit open\)/);

    const admin = await adminToken();
    type Ready = { providers: { breakers: ({ name: string; state: string } & Record<string, number>)[] } };
    const breaker = async () =>
      (await expectStatus<Ready>(200, "GET", "/ready", { token: admin })).providers.breakers.find(
        (b) => b.name === `model:${label}`,
      );
    const open = await breaker();
    expect(open).toMatchObject({ state: "open", failures: 1 });
    expect(open?.failure_rate).toBeGreaterThanOrEqual(0.5);
    const metrics = await (
      await SELF.fetch(`${BASE}/metrics`, { headers: { Authorization: `Bearer ${admin}` } })
    ).text();
    expect(metrics).toContain(`circuit_breaker_state{provider="model:${label}"} 2`);

    // After the cool-down one probe goes through; the model answers, and the breaker closes.
    await new Promise((r) => setTimeout(r, (open?.retry_after_ms ?? 0) + 50));
    expect(await breaker()).toMatchObject({ state: "half_open" });
    const probe = await chat(token, agent.id, "Back?");
    expect(calls.length).toBe(asked + 1);
    expect(text(probe.events)).toBe(DEFAULT_SHAPE.text);
    expect(usageOf(probe.events)).toMatchObject({ degraded: false });
    expect(await breaker()).toMatchObject({ state: "closed" });
  });
});
