// Every model call is charged to its workspace's token budget (the rate limiter's `chat_tokens`
// bucket), whatever the surface: chat, /v1 (streamed or not, finished or dropped by the client)
// and swarm runs (including turns that failed); and no surface starts model calls once the
// budget is spent.
import { env, SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chatRequest, createAgent } from "./helpers/chat";
import { api, apiKey, BASE, createUser, type ErrorBody, expectStatus, token } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { createSwarmAgents, SwarmModel, startRun, waitForRun } from "./swarm.helpers";

const BIG = 1_000_000_000;

/** Tokens charged to the workspace in the current window (a zero-cost probe of its budget). */
async function charged(workspaceId: string): Promise<number> {
  const r = await env.RATE_LIMITER.getByName(`ws:${workspaceId}`).hit({
    bucket: "chat_tokens",
    limit: BIG,
    windowMs: 60_000,
    cost: 0,
  });
  return BIG - r.remaining;
}

/** Waits for background charges to land, until `check` holds on the charged total. */
async function chargedWhen(workspaceId: string, check: (n: number) => boolean, timeoutMs = 5_000): Promise<number> {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const n = await charged(workspaceId);
    if (check(n) || Date.now() > stop) return n;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Reads a stream until `enough` holds on what came so far, or the stream ends (never spins on a finished one). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, enough: (seen: string) => boolean) {
  const decoder = new TextDecoder();
  let seen = "";
  while (!enough(seen)) {
    const r = await reader.read();
    if (r.done) throw new Error(`the stream ended before the test saw what it waits for: ${seen.slice(-300)}`);
    seen += decoder.decode(r.value, { stream: true });
  }
  return seen;
}

interface Account {
  access: string;
  workspaceId: string;
}

async function account(policy?: string): Promise<Account> {
  const u = await createUser();
  const access = (await token(u.email, u.password)).access_token;
  if (policy) await env.CACHE.put(`rl:policy:${u.personalWorkspaceId}`, policy);
  return { access, workspaceId: u.personalWorkspaceId };
}

afterEach(() => clearProviderOverrides());

describe("chat", () => {
  it("charges an answer the user stopped half way, not only finished ones", async () => {
    const a = await account();
    const agent = await createAgent(a.access, { name: "Talker" });
    setProviderOverrides({
      model: new ScriptedModel(textScript(Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ")), {
        delayMs: 10,
      }),
    });
    const res = await chatRequest(a.access, agent.id, "talk for a long time");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, (seen) => seen.includes("event: token"));
    await expectStatus(200, "POST", `/api/conversations/${res.headers.get("X-Conversation-Id")}/cancel`, {
      token: a.access,
    });
    while (!(await reader.read()).done);
    // The prompt was read and some words were written: that is not free.
    expect(await chargedWhen(a.workspaceId, (n) => n > 0)).toBeGreaterThan(0);
  });
});

describe("/v1/chat/completions", () => {
  let a: Account;
  let key: string;
  let agent: Agent;
  beforeAll(async () => {
    a = await account();
    key = (await apiKey(a.access, ["chat", "agents:read"])).key;
    agent = await createAgent(a.access, { name: "Completer" });
  });
  const post = (body: Record<string, unknown>) =>
    SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("charges each completion, streamed or not, raw model or agent, by the tokens it used", async () => {
    for (const [model, stream] of [
      ["offline", false],
      ["offline", true],
      [agent.id, false],
      [agent.id, true],
    ] as const) {
      setProviderOverrides({
        model: new ScriptedModel(textScript("four words of answer", { inputTokens: 9, outputTokens: 4 })),
      });
      const before = await charged(a.workspaceId);
      const res = await post({ model, stream, messages: [{ role: "user", content: "hi" }] });
      expect(res.status, `${model} stream=${stream}`).toBe(200);
      await res.text();
      expect(await chargedWhen(a.workspaceId, (n) => n >= before + 13), `${model} stream=${stream}`).toBe(before + 13);
    }
  });

  it("charges a stream the client dropped before it finished", async () => {
    const model = new ScriptedModel(textScript(Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ")), {
      delayMs: 10,
    });
    setProviderOverrides({ model });
    const before = await charged(a.workspaceId);
    const res = await post({
      model: "offline",
      stream: true,
      messages: [{ role: "user", content: "talk for a long time" }],
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    // Some words in (the output guard releases each word once the next one starts): then drop it.
    await readUntil(reader, (seen) => (seen.match(/"content":"[^"]/g) ?? []).length >= 3);
    await reader.cancel();
    expect(await chargedWhen(a.workspaceId, (n) => n > before)).toBeGreaterThan(before);
  });
});

describe("swarm runs", () => {
  it("charges the turns of a run, including attempts that failed", async () => {
    const a = await account();
    const ids = await createSwarmAgents(a.access, ["ok", "broken"]);
    setProviderOverrides({
      model: new SwarmModel({
        ok: { reply: "fine", usage: { inputTokens: 10, outputTokens: 5 } },
        broken: { fail: "error", usage: { inputTokens: 100, outputTokens: 50 } },
      }),
    });
    const run = await waitForRun(
      a.access,
      (
        await startRun(a.access, {
          strategy: "pipeline",
          task: "t",
          agent_ids: [ids.ok as string, ids.broken as string],
          step: { timeout_ms: 2_000, max_attempts: 2, backoff_ms: 10 },
        })
      ).id,
    );
    expect(run.status).toBe("failed");
    // One good turn (15) and two failed attempts (150 each).
    expect(await chargedWhen(a.workspaceId, (n) => n >= 315)).toBe(315);
  });

  it("refuses to start a run, or resume a turn after an approval, once the workspace's tokens are spent", async () => {
    const a = await account("chat_tokens=5/60");
    const ids = await createSwarmAgents(a.access, ["ok"]);
    const agent = await createAgent(a.access, { name: "Spender" });
    setProviderOverrides({
      model: new ScriptedModel(
        textScript("enough words to spend the whole budget", { inputTokens: 10, outputTokens: 0 }),
      ),
    });
    expect(
      (await api("POST", `/api/agents/${agent.id}/chat`, { token: a.access, body: { message: "spend it" } })).status,
    ).toBe(200);
    await chargedWhen(a.workspaceId, (n) => n > 5);
    const refused = await api<ErrorBody>("POST", "/api/swarm/runs", {
      token: a.access,
      body: { strategy: "pipeline", task: "t", agent_ids: [ids.ok] },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain("model tokens");
    const approval = await api<ErrorBody>("POST", "/api/conversations/conv_missing/approvals/call_x", {
      token: a.access,
      body: { decision: "approve" },
    });
    expect(approval.status).toBe(429);
    expect((await api<{ data: unknown[] }>("GET", "/api/swarm/runs", { token: a.access })).body.data).toHaveLength(0);
  });
});
