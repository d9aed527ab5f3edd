// Each strategy end to end through the API, with one scripted model playing every agent: the
// run ends succeeded with the right output, and its steps record who did what, in order.

import type { StartRunBody } from "@hive/shared/swarm-protocol";
import { describe, expect, it } from "vitest";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { type Behaviour, SwarmModel, startRun, useSwarmFixture, waitForRun } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b", "c", "d", "e", "agg", "router", "judge"]);
const id = swarm.id;

/** Every agent of the next run follows its script. */
const script = (behaviours: Record<string, Behaviour>) => setProviderOverrides({ model: new SwarmModel(behaviours) });

const ms = (from: string | null, to: string | null) => Date.parse(to ?? "") - Date.parse(from ?? "");

describe("pipeline", () => {
  it("runs the agents in order, each given the previous output; the last output is the run's", async () => {
    const model = new SwarmModel({
      a: { reply: "draft-1" },
      b: { reply: (input) => (input.includes("draft-1") ? "draft-2" : "missing draft-1") },
      c: { reply: (input) => (input.includes("draft-2") ? "final" : "missing draft-2") },
    });
    setProviderOverrides({ model });
    const started = await startRun(swarm.access, {
      strategy: "pipeline",
      task: "write it",
      agent_ids: swarm.ids("a", "b", "c"),
    });
    expect(started.status).toBe("running");
    const run = await waitForRun(swarm.access, started.id);
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("final");
    expect(run.steps.map((s) => [s.seq, s.key, s.agent_id, s.role, s.status])).toEqual([
      [1, "pipe:0", id("a"), "worker", "succeeded"],
      [2, "pipe:1", id("b"), "worker", "succeeded"],
      [3, "pipe:2", id("c"), "worker", "succeeded"],
    ]);
    expect(
      run.steps.every(
        (s) => s.tokens_in === 10 && s.tokens_out === 5 && s.attempts === 1 && s.started_at && s.ended_at,
      ),
    ).toBe(true);
    expect(run.tokens_used).toBe(45);
    expect(run.steps_used).toBe(3);
  });
});

describe("parallel", () => {
  it("fans 5 agents out at once (200 ms models) in under twice the time of a single agent, then merges", async () => {
    const workers = ["a", "b", "c", "d", "e"];
    const behaviours = Object.fromEntries(workers.map((t) => [t, { reply: `idea-${t}`, delayMs: 200 }]));
    script({
      ...behaviours,
      agg: { reply: (input) => `merged ${(input.match(/idea-[a-e]/g) ?? []).sort().join(",")}` },
    });

    const single = await swarm.run({
      strategy: "parallel",
      task: "ideas",
      agent_ids: swarm.ids("a"),
      aggregator_id: id("agg"),
    });
    const fanned = await swarm.run({
      strategy: "parallel",
      task: "ideas",
      agent_ids: workers.map(id),
      aggregator_id: id("agg"),
    });

    expect(fanned.status).toBe("succeeded");
    expect(fanned.output).toBe("merged idea-a,idea-b,idea-c,idea-d,idea-e");
    const maps = fanned.steps.filter((s) => s.role === "worker");
    expect(maps).toHaveLength(5);
    // All five were in flight together: each started before the first one ended.
    const firstEnd = Math.min(...maps.map((s) => Date.parse(s.ended_at ?? "")));
    expect(maps.every((s) => Date.parse(s.started_at ?? "") < firstEnd)).toBe(true);
    const singleMs = ms(single.started_at, single.ended_at);
    const fannedMs = ms(fanned.started_at, fanned.ended_at);
    expect(singleMs).toBeGreaterThanOrEqual(200);
    expect(fannedMs).toBeLessThan(2 * singleMs);
    expect(fannedMs).toBeLessThan(5 * 200);
  });
});

describe("router", () => {
  type RouterOptions = Partial<Omit<Extract<StartRunBody, { strategy: "router" }>, "strategy" | "agent_ids">>;
  /** A run of the given specialists, routed by the router agent. */
  const routed = (tags: string[], options: RouterOptions = {}) =>
    swarm.run({ strategy: "router", task: "t", agent_ids: swarm.ids(...tags), router_id: id("router"), ...options });

  it("hands the task to the specialist the router names", async () => {
    script({
      router: { reply: `I would pick the second one.\nROUTE: ${id("b")}` },
      a: { reply: "a answers" },
      b: { reply: "b answers" },
    });
    const run = await routed(["a", "b"], { task: "route me" });
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("b answers");
    expect(run.steps.map((s) => [s.key, s.role, s.agent_id, s.choice])).toEqual([
      ["route", "router", id("router"), id("b")],
      ["hop:0", "specialist", id("b"), null],
    ]);
  });

  it("reads a choice given as a number or a name", async () => {
    script({ router: { reply: "**ROUTE:** 2" }, b: { reply: "b by number" } });
    const byNumber = await routed(["a", "b"]);
    expect(byNumber.output).toBe("b by number");
    script({ router: { reply: 'ROUTE: "Agent c"' }, c: { reply: "c by name" } });
    const byName = await routed(["a", "c"]);
    expect(byName.output).toBe("c by name");
  });

  it("records an invalid choice as an error step and falls back to the first specialist", async () => {
    script({ router: { reply: "ROUTE: the best one" }, a: { reply: "a took it" } });
    const run = await routed(["a", "b"]);
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("a took it");
    const route = run.steps.find((s) => s.key === "route");
    expect(route?.status).toBe("invalid");
    expect(route?.error).toContain('"the best one" is not one of');
  });

  it("fails the run on an invalid choice when fallback is fail", async () => {
    script({ router: { reply: "no idea" } });
    const run = await routed(["a", "b"], { fallback: "fail" });
    expect(run.status).toBe("failed");
    expect(run.reason).toContain("the router made no valid choice");
    expect(run.steps.map((s) => s.key)).toEqual(["route"]);
  });

  it("follows a HANDOFF line to another specialist, passing the note along", async () => {
    script({
      router: { reply: `ROUTE: ${id("a")}` },
      a: { reply: `Half done: outline ready.\nHANDOFF: ${id("c")}` },
      c: {
        reply: (input) =>
          input.includes("Handed over by Agent a:\nHalf done: outline ready.") && !input.includes(`HANDOFF: ${id("c")}`)
            ? "c finished it"
            : "c lacked the note",
      },
    });
    const run = await routed(["a", "b", "c"]);
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("c finished it");
    expect(run.steps.map((s) => [s.key, s.agent_id, s.choice])).toEqual([
      ["route", id("router"), id("a")],
      ["hop:0", id("a"), id("c")],
      ["hop:1", id("c"), null],
    ]);
  });

  it("fails the run on a handoff to an agent outside the run, recording the invalid step", async () => {
    script({ router: { reply: "ROUTE: 1" }, a: { reply: "HANDOFF: agt_nobody" } });
    const run = await routed(["a", "b"]);
    expect(run.status).toBe("failed");
    expect(run.reason).toContain("Agent a handed off to no specialist of this run");
    expect(run.steps.at(-1)).toMatchObject({ key: "hop:0", status: "invalid", choice: null });
  });

  it("fails a run whose specialists hand off more often than max_handoffs allows", async () => {
    script({
      router: { reply: "ROUTE: 1" },
      a: { reply: `HANDOFF: ${id("b")}` },
      b: { reply: `HANDOFF: ${id("a")}` },
    });
    const run = await routed(["a", "b"], { max_handoffs: 1 });
    expect(run.status).toBe("failed");
    expect(run.reason).toContain("the handoff limit of 1 was reached");
    expect(run.steps.map((s) => s.key)).toEqual(["route", "hop:0", "hop:1"]);
  });
});

describe("debate", () => {
  it("runs proposal rounds (later rounds see earlier proposals), then a vote picks the winner", async () => {
    const propose = (tag: string) => (input: string) =>
      input.includes("Proposals from round 1") ? `${tag}-v2` : `${tag}-v1`;
    script({
      a: { reply: (i) => (i.includes("Vote for the best") ? "VOTE: 2" : propose("a")(i)) },
      b: { reply: (i) => (i.includes("Vote for the best") ? "I like [2].\nVOTE: 2" : propose("b")(i)) },
      c: { reply: (i) => (i.includes("Vote for the best") ? "VOTE: 1" : propose("c")(i)) },
    });
    const run = await swarm.run({ strategy: "debate", task: "argue", agent_ids: swarm.ids("a", "b", "c"), rounds: 2 });
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("b-v2");
    expect(run.reason).toBe("proposal 2 by Agent b won with 2 of 3 votes");
    const votes = run.steps.filter((s) => s.role === "voter").map((s) => [s.agent_id, s.choice]);
    expect(votes).toEqual([
      [id("a"), id("b")],
      [id("b"), id("b")],
      [id("c"), id("a")],
    ]);
    expect(run.steps.filter((s) => s.role === "proposer").map((s) => s.round)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it("lets a judge decide when decision is judge", async () => {
    script({
      a: { reply: "plan A" },
      b: { reply: "plan B" },
      judge: { reply: "Both fine; B is safer.\nWINNER: 2" },
    });
    const run = await swarm.run({
      strategy: "debate",
      task: "choose",
      agent_ids: swarm.ids("a", "b"),
      decision: "judge",
      judge_id: id("judge"),
    });
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("plan B");
    expect(run.steps.at(-1)).toMatchObject({ key: "judge", role: "judge", choice: id("b") });
  });
});
