// A run's life outside the happy path of its strategy: cancelled mid-run, its coordinator
// evicted mid-run and resumed, and the record left in D1 (get, list, pagination).
import { env } from "cloudflare:test";
import type { SwarmCancelResult, SwarmRunPage } from "@hive/shared/swarm-protocol";
import { describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { coordinator } from "../../worker/swarm/service";
import { evict, expectStatus } from "./helpers/harness";
import { getRun, SwarmModel, startHungRun, startRun, useSwarmFixture, waitFor, waitForRun } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b", "c", "agg"]);
const id = swarm.id;

describe("cancel", () => {
  it("stops every agent in flight, ends the run cancelled and starts nothing after", async () => {
    const { model, started } = await startHungRun(swarm);
    await waitFor(() => model.calls.length === 3);

    const result = await expectStatus<SwarmCancelResult>(200, "POST", `/api/swarm/runs/${started.id}/cancel`, {
      token: swarm.access,
    });
    expect(result.cancelled).toBe(true);
    expect(result.run.status).toBe("cancelled");
    expect(result.run.reason).toMatch(/^cancelled by usr_/);
    expect(result.run.steps.map((s) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    await waitFor(() => model.calls.every((c) => c.outcome === "aborted"));

    const again = await expectStatus<SwarmCancelResult>(200, "POST", `/api/swarm/runs/${started.id}/cancel`, {
      token: swarm.access,
    });
    expect(again.cancelled).toBe(false);
    const run = await getRun(swarm.access, started.id);
    expect(run.status).toBe("cancelled");
    expect(run.ended_at).not.toBeNull();
    expect(model.calls).toHaveLength(3);
  });
});

describe("eviction", () => {
  it("resumes a run whose coordinator was aborted mid-step; finished steps are not run again", async () => {
    const model = new SwarmModel({
      a: { reply: "one", delayMs: 50 },
      b: { reply: "two", delayMs: 300 },
      c: { reply: (i) => (i.includes("two") ? "three" : "lost two"), delayMs: 50 },
    });
    setProviderOverrides({ model });
    const started = await startRun(swarm.access, {
      strategy: "pipeline",
      task: "t",
      agent_ids: swarm.ids("a", "b", "c"),
    });
    await waitFor(() => model.callsOf("b").length === 1);

    // Evicts the run's coordinator and the agent object it waits on (only this run's objects:
    // test files running alongside share the runtime): the alarm handler dies mid-step.
    await Promise.all([
      evict(coordinator(env, started.id)),
      evict(env.CONVERSATION_AGENT.getByName(`swarm_${started.id}_${id("b")}`)),
    ]);
    expect(model.callsOf("b")[0]?.outcome).toBeNull();

    const run = await waitForRun(swarm.access, started.id);
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("three");
    expect(model.calls.map((c) => c.tag)).toEqual(["a", "b", "b", "c"]);
    expect(run.steps.map((s) => [s.seq, s.key, s.attempts, s.status])).toEqual([
      [1, "pipe:0", 1, "succeeded"],
      [2, "pipe:1", 2, "succeeded"],
      [3, "pipe:2", 1, "succeeded"],
    ]);
    expect(run.steps_used).toBe(3);
  });
});

describe("the record", () => {
  it("keeps the ended run and its steps in D1 and lists runs newest first with a cursor", async () => {
    setProviderOverrides({ model: new SwarmModel({}) });
    const first = await swarm.run({ strategy: "pipeline", task: "first", agent_ids: swarm.ids("a") });
    const second = await swarm.run({ strategy: "pipeline", task: "second", agent_ids: swarm.ids("b") });
    const agentTokens = async () =>
      (
        await expectStatus<Agent>(200, "GET", `/api/agents/${id("c")}`, {
          token: swarm.access,
          headers: { "Cache-Control": "no-cache" },
        })
      ).tokens_in;
    const tokensBefore = await agentTokens();
    const third = await swarm.run({ strategy: "pipeline", task: "third", agent_ids: swarm.ids("c") });
    expect(third.steps[0]).toMatchObject({
      agent_id: id("c"),
      role: "worker",
      input: "Task:\nthird",
      output: "answer from c",
      tokens_in: 10,
      tokens_out: 5,
    });
    expect(third.agents).toEqual([{ id: id("c"), name: "Agent c", description: "Scripted c", version: 1 }]);
    // The turn's tokens are charged to the agent's running totals after its wave.
    for (let i = 0; i < 50 && (await agentTokens()) < tokensBefore + 10; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await agentTokens()).toBe(tokensBefore + 10);
    expect(third.config).toMatchObject({
      strategy: "pipeline",
      budget: { max_agents: 10, max_steps: 50, max_tokens: 200_000, deadline_ms: 300_000 },
      step: { timeout_ms: 60_000, max_attempts: 2 },
    });

    const page1 = await expectStatus<SwarmRunPage>(200, "GET", "/api/swarm/runs?limit=2&status=succeeded", {
      token: swarm.access,
    });
    const page2 = await expectStatus<SwarmRunPage>(
      200,
      "GET",
      `/api/swarm/runs?limit=2&status=succeeded&cursor=${page1.next_cursor ?? ""}`,
      { token: swarm.access },
    );
    const listed = [...page1.data, ...page2.data].map((r) => r.id);
    expect(listed.indexOf(third.id)).toBeLessThan(listed.indexOf(second.id));
    expect(listed.indexOf(second.id)).toBeLessThan(listed.indexOf(first.id));
    expect(page1.data).toHaveLength(2);
    expect(page1.next_cursor).not.toBeNull();
    const cancelled = await expectStatus<SwarmRunPage>(200, "GET", "/api/swarm/runs?status=cancelled", {
      token: swarm.access,
    });
    expect(cancelled.data.every((r) => r.status === "cancelled")).toBe(true);
  });
});
