// Bad requests to /api/swarm/runs get the error envelope with a useful message and field
// details, and never reach a coordinator: unknown strategy, no agents, another tenant's
// agents, budgets out of range or too small for the run.

import type { SwarmRunPage } from "@hive/shared/swarm-protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { api, createTeam, createUser, type ErrorBody, expectStatus, type Team, token } from "./helpers/harness";
import { createSwarmAgents, startRun, useSwarmFixture } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b", "c"]);
const id = swarm.id;
let otherTenantAgent: string;
let team: Team;

beforeAll(async () => {
  const other = await createUser();
  otherTenantAgent =
    (await createSwarmAgents((await token(other.email, other.password)).access_token, ["theirs"])).theirs ?? "";
  team = await createTeam();
});

async function refused(body: unknown, status: number, code: string) {
  const res = await api<ErrorBody>("POST", "/api/swarm/runs", { token: swarm.access, body });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.request_id).toMatch(/^req_/);
  return res.body.error;
}

const fields = (e: ErrorBody["error"]) =>
  (e.details.fields as { path: string; message: string }[]).map((f) => `${f.path}: ${f.message}`);

describe("POST /api/swarm/runs refuses", () => {
  it("an unknown strategy, naming the ones that exist", async () => {
    const e = await refused({ strategy: "anarchy", task: "t", agent_ids: swarm.ids("a") }, 400, "VALIDATION_ERROR");
    expect(fields(e)).toEqual(["strategy: strategy must be one of pipeline, parallel, router, debate"]);
  });

  it("a run with zero agents", async () => {
    const e = await refused({ strategy: "pipeline", task: "t", agent_ids: [] }, 400, "VALIDATION_ERROR");
    expect(fields(e)).toEqual(["agent_ids: a run needs at least one agent"]);
  });

  it("another tenant's agent as if it did not exist", async () => {
    const e = await refused(
      { strategy: "parallel", task: "t", agent_ids: [id("a"), otherTenantAgent], aggregator_id: otherTenantAgent },
      422,
      "UNPROCESSABLE",
    );
    expect(e.message).toBe(`Unknown agents: ${otherTenantAgent}`);
    expect(fields(e)).toEqual([
      "agent_ids.1: no such agent in this workspace",
      "aggregator_id: no such agent in this workspace",
    ]);
  });

  it.each([
    ["deadline_ms", { budget: { deadline_ms: 0 } }, "budget.deadline_ms"],
    ["max_tokens", { budget: { max_tokens: 5_000_000 } }, "budget.max_tokens"],
    ["max_agents", { budget: { max_agents: 0 } }, "budget.max_agents"],
    ["max_steps", { budget: { max_steps: 1000 } }, "budget.max_steps"],
    ["step timeout", { step: { timeout_ms: 10 } }, "step.timeout_ms"],
    ["attempts", { step: { max_attempts: 9 } }, "step.max_attempts"],
    ["an unknown budget key", { budget: { max_money: 5 } }, "budget"],
  ])("a budget out of range: %s", async (_name, extra, path) => {
    const e = await refused(
      { strategy: "pipeline", task: "t", agent_ids: swarm.ids("a"), ...extra },
      400,
      "VALIDATION_ERROR",
    );
    expect(fields(e).some((f) => f.startsWith(`${path}:`))).toBe(true);
  });

  it("budgets the run cannot fit in: more agents than max_agents, fewer steps than it needs", async () => {
    const agents = await refused(
      { strategy: "pipeline", task: "t", agent_ids: swarm.ids("a", "b", "c"), budget: { max_agents: 2 } },
      422,
      "UNPROCESSABLE",
    );
    expect(agents.message).toBe("The run involves 3 agents; max_agents is 2");
    const steps = await refused(
      { strategy: "debate", task: "t", agent_ids: swarm.ids("a", "b", "c"), rounds: 2, budget: { max_steps: 8 } },
      422,
      "UNPROCESSABLE",
    );
    expect(steps.message).toBe("A debate run with these settings takes at least 9 steps; max_steps is 8");
  });

  it("a quorum above the number of agents, repeated agents, a judge decision without a judge", async () => {
    expect(
      fields(
        await refused(
          { strategy: "parallel", task: "t", agent_ids: swarm.ids("a"), aggregator_id: id("b"), quorum: 2 },
          400,
          "VALIDATION_ERROR",
        ),
      ),
    ).toEqual(["quorum: cannot exceed the number of agents (1)"]);
    expect(
      fields(
        await refused({ strategy: "pipeline", task: "t", agent_ids: swarm.ids("a", "a") }, 400, "VALIDATION_ERROR"),
      ),
    ).toEqual(["agent_ids: must not repeat an agent"]);
    expect(
      fields(
        await refused(
          { strategy: "debate", task: "t", agent_ids: swarm.ids("a", "b"), decision: "judge" },
          400,
          "VALIDATION_ERROR",
        ),
      ),
    ).toEqual(["judge_id: is required when decision or tie_break is judge"]);
  });

  it("missing strategy fields, an empty task and malformed JSON", async () => {
    expect(
      fields(await refused({ strategy: "router", task: "t", agent_ids: swarm.ids("a") }, 400, "VALIDATION_ERROR"))[0],
    ).toMatch(/^router_id:/);
    expect(
      fields(
        await refused({ strategy: "pipeline", task: "   ", agent_ids: swarm.ids("a") }, 400, "VALIDATION_ERROR"),
      )[0],
    ).toMatch(/^task:/);
    const res = await api<ErrorBody>("POST", "/api/swarm/runs", {
      token: swarm.access,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
  });

  it("starts nothing for a refused request", async () => {
    const list = await expectStatus<SwarmRunPage>(200, "GET", "/api/swarm/runs", { token: swarm.access });
    expect(list.data).toEqual([]);
  });
});

describe("runs of other workspaces and other people", () => {
  it("answers 404 for another workspace's run, on every route", async () => {
    const run = await startRun(swarm.access, { strategy: "pipeline", task: "mine", agent_ids: swarm.ids("a") });
    for (const [method, path] of [
      ["GET", `/api/swarm/runs/${run.id}`],
      ["POST", `/api/swarm/runs/${run.id}/cancel`],
      ["POST", `/api/swarm/runs/${run.id}/socket-token`],
    ] as const) {
      const res = await api<ErrorBody>(method, path, { token: team.user.token });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const theirs = await expectStatus<SwarmRunPage>(200, "GET", "/api/swarm/runs", { token: team.user.token });
    expect(theirs.data.map((r) => r.id)).not.toContain(run.id);
  });

  it("lets members read a colleague's run but only its creator or an admin cancel it", async () => {
    const [agent] = Object.values(await createSwarmAgents(team.user.token, ["team"]));
    const run = await startRun(team.user.token, {
      strategy: "pipeline",
      task: "team work",
      agent_ids: [agent ?? ""],
      step: { timeout_ms: 100, max_attempts: 1 },
    });
    await expectStatus(200, "GET", `/api/swarm/runs/${run.id}`, { token: team.readOnly.token });
    const reader = await api<ErrorBody>("POST", `/api/swarm/runs/${run.id}/cancel`, { token: team.readOnly.token });
    expect(reader.status).toBe(403);
    await expectStatus(200, "POST", `/api/swarm/runs/${run.id}/cancel`, { token: team.admin.token });
  });
});
