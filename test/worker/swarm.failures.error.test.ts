// Runs that meet failing agents, slow agents and their budgets: retries with backoff, quorum,
// the deadline, token and step budgets. Every run ends with a status and a reason, never hangs.
import { describe, expect, it } from "vitest";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { SwarmModel, startHungRun, useSwarmFixture, waitForRun } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b", "c", "agg", "router"]);
const id = swarm.id;

const fast = { timeout_ms: 300, max_attempts: 2, backoff_ms: 10 };

describe("failing agents", () => {
  it("continues when the quorum answered although one agent failed every attempt", async () => {
    const model = new SwarmModel({
      a: { reply: "from a" },
      b: { fail: "error" },
      c: { reply: "from c" },
      agg: { reply: (i) => (i.includes("2 independent answers") ? "merged two" : "wrong count") },
    });
    setProviderOverrides({ model });
    const run = await swarm.run({
      strategy: "parallel",
      task: "t",
      agent_ids: swarm.ids("a", "b", "c"),
      aggregator_id: id("agg"),
      quorum: 2,
      step: fast,
    });
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("merged two");
    expect(run.reason).toContain("2 of 3 agents answered (quorum 2)");
    const failed = run.steps.find((s) => s.agent_id === id("b"));
    expect(failed).toMatchObject({ status: "failed", attempts: 2 });
    expect(failed?.error).toContain("The model reported an error");
    expect(model.callsOf("b")).toHaveLength(2);
  });

  it("counts the tokens of failed attempts toward the step and the run", async () => {
    setProviderOverrides({
      model: new SwarmModel({
        a: { reply: "fine", usage: { inputTokens: 10, outputTokens: 5 } },
        b: { fail: "error", usage: { inputTokens: 100, outputTokens: 50 } },
      }),
    });
    const run = await swarm.run({ strategy: "pipeline", task: "t", agent_ids: swarm.ids("a", "b"), step: fast });
    expect(run.status).toBe("failed");
    expect(run.steps.find((s) => s.agent_id === id("b"))).toMatchObject({
      status: "failed",
      attempts: 2,
      tokens_in: 200,
      tokens_out: 100,
    });
    // One answer (15) and two failed attempts (150 each).
    expect(run.tokens_used).toBe(315);
  });

  it("counts a timed-out attempt's tokens (the prompt, estimated) toward the step and the run", async () => {
    const model = new SwarmModel({
      a: { reply: "late but fine", usage: { inputTokens: 10, outputTokens: 5 }, failFirst: { times: 1, how: "hang" } },
    });
    setProviderOverrides({ model });
    const run = await swarm.run({ strategy: "pipeline", task: "t", agent_ids: swarm.ids("a"), step: fast });
    expect(run.status).toBe("succeeded");
    const step = run.steps[0];
    expect(step).toMatchObject({ status: "succeeded", attempts: 2, tokens_out: 5 });
    // The answer's 10 input tokens plus the abandoned attempt's prompt.
    expect(step?.tokens_in).toBeGreaterThan(10);
    expect(run.tokens_used).toBe((step?.tokens_in ?? 0) + (step?.tokens_out ?? 0));
  });

  it("fails with the reason when fewer than the quorum answered", async () => {
    setProviderOverrides({
      model: new SwarmModel({ a: { reply: "from a" }, b: { fail: "error" }, c: { fail: "error" } }),
    });
    const run = await swarm.run({
      strategy: "parallel",
      task: "t",
      agent_ids: swarm.ids("a", "b", "c"),
      aggregator_id: id("agg"),
      step: fast,
    });
    expect(run.status).toBe("failed");
    expect(run.reason).toBe("1 of 3 agents answered; the quorum is 2");
    expect(run.steps.some((s) => s.role === "aggregator")).toBe(false);
  });

  it("retries a step that timed out, with the attempts recorded, and goes on when the retry answers", async () => {
    const model = new SwarmModel({
      a: { reply: "late but fine", failFirst: { times: 1, how: "hang" } },
      b: { reply: "done" },
    });
    setProviderOverrides({ model });
    const run = await swarm.run({ strategy: "pipeline", task: "t", agent_ids: swarm.ids("a", "b"), step: fast });
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]).toMatchObject({ status: "succeeded", attempts: 2, output: "late but fine" });
    expect(model.callsOf("a").map((c) => c.outcome)).toEqual(["aborted", "answered"]);
  });

  it("fails a pipeline whose step never answers, after its last attempt", async () => {
    setProviderOverrides({ model: new SwarmModel({ a: { fail: "hang" } }) });
    const run = await swarm.run({
      strategy: "pipeline",
      task: "t",
      agent_ids: swarm.ids("a", "b"),
      step: { timeout_ms: 150, max_attempts: 2, backoff_ms: 0 },
    });
    expect(run.status).toBe("failed");
    expect(run.reason).toContain("step pipe:0 (Agent a) failed: step pipe:0 timed out after 150 ms");
    expect(run.steps[0]?.attempts).toBe(2);
  });
});

describe("deadline", () => {
  it("ends a run timed_out at its deadline and aborts every agent still working", async () => {
    const { model, started } = await startHungRun(swarm, { deadline_ms: 1000 });
    const run = await waitForRun(swarm.access, started.id, 5_000);
    expect(run.status).toBe("timed_out");
    expect(run.reason).toBe("the deadline of 1000 ms passed");
    const took = Date.parse(run.ended_at ?? "") - Date.parse(run.started_at ?? "");
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(2000);
    expect(run.steps.map((s) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(model.calls).toHaveLength(3);
    expect(model.calls.map((c) => c.outcome)).toEqual(["aborted", "aborted", "aborted"]);
  });
});

describe("budgets", () => {
  it("stops a run once its tokens exceed max_tokens, before the next step", async () => {
    const usage = { inputTokens: 40, outputTokens: 20 };
    const model = new SwarmModel({ a: { usage }, b: { usage }, c: { usage } });
    setProviderOverrides({ model });
    const run = await swarm.run({
      strategy: "pipeline",
      task: "t",
      agent_ids: swarm.ids("a", "b", "c"),
      budget: { max_tokens: 100 },
    });
    expect(run.status).toBe("failed");
    expect(run.reason).toBe("the token budget was exceeded: 120 of 100 tokens used");
    expect(model.calls.map((c) => c.tag)).toEqual(["a", "b"]);
    expect(run.tokens_used).toBe(120);
  });

  it("stops a run before the step that would exceed max_steps", async () => {
    const model = new SwarmModel({
      router: { reply: "ROUTE: 1" },
      a: { reply: `HANDOFF: ${id("b")}` },
      b: { reply: "b answers" },
    });
    setProviderOverrides({ model });
    const run = await swarm.run({
      strategy: "router",
      task: "t",
      agent_ids: swarm.ids("a", "b"),
      router_id: id("router"),
      budget: { max_steps: 2 },
    });
    expect(run.status).toBe("failed");
    expect(run.reason).toBe("the next 1 step(s) would exceed max_steps (2 of 2 used)");
    expect(model.calls.map((c) => c.tag)).toEqual(["router", "a"]);
    expect(run.steps_used).toBe(2);
  });
});
