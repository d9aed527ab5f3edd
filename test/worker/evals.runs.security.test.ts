// Who may start, read, follow, cancel and compare evaluation runs: tenants never see each
// other's runs, results, datasets or agents (404, not 403); read-only members read but do not
// start; API keys need the `evals` scope; only the creator or an admin cancels.
import type { EvalRun } from "@hive/shared/api-types/evals";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { seedDataset, startRun, waitForRun } from "./evals.helpers";
import { createAgent } from "./helpers/chat";
import { api, apiKey, createTeam, type ErrorBody, type Team } from "./helpers/harness";
import { signedInUser } from "./knowledge.helpers";

// Each run is several real agent turns: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let team: Team;
let agent: Agent;
let datasetId: string;
let run: EvalRun;
let outsider: { token: string; workspaceId: string; userId: string };
let outsiderRun: EvalRun;

const body = () => ({ dataset_id: datasetId, target: { kind: "agent", agent_id: agent.id } });

beforeAll(async () => {
  team = await createTeam();
  agent = await createAgent(team.admin.token, { name: "Team bot", visibility: "workspace" });
  datasetId = (
    await seedDataset(team.workspaceId, team.admin.id, [{ input: { message: "hello" }, must_include: ["hello"] }])
  ).id;
  run = await waitForRun(team.admin.token, (await startRun(team.admin.token, body())).id);
  outsider = await signedInUser();
  const theirAgent = await createAgent(outsider.token, { name: "Their bot" });
  const theirSet = await seedDataset(outsider.workspaceId, outsider.userId, [
    { input: { message: "hi" }, must_include: ["hi"] },
  ]);
  outsiderRun = await startRun(outsider.token, {
    dataset_id: theirSet.id,
    target: { kind: "agent", agent_id: theirAgent.id },
  });
});

describe("tenancy", () => {
  it("answers 404 for another workspace's run, its results, events, cancel and compare", async () => {
    for (const [method, path] of [
      ["GET", `/api/evals/runs/${run.id}`],
      ["GET", `/api/evals/runs/${run.id}/results`],
      ["GET", `/api/evals/runs/${run.id}/events`],
      ["POST", `/api/evals/runs/${run.id}/cancel`],
      ["GET", `/api/evals/compare?baseline=${run.id}&candidate=${outsiderRun.id}`],
      ["GET", `/api/evals/compare?baseline=${outsiderRun.id}&candidate=${run.id}`],
    ] as const) {
      const res = await api<ErrorBody>(method, path, { token: outsider.token });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const list = await api<{ data: EvalRun[] }>("GET", "/api/evals/runs", { token: outsider.token });
    expect(list.body.data.map((r) => r.id)).not.toContain(run.id);
  });

  it("answers 404 for a run over another workspace's dataset or agent", async () => {
    const foreignDataset = await api<ErrorBody>("POST", "/api/evals/runs", { token: outsider.token, body: body() });
    expect(foreignDataset.status).toBe(404);
    const theirs = await seedDataset(outsider.workspaceId, outsider.userId, [{ input: { message: "x" } }]);
    const foreignAgent = await api<ErrorBody>("POST", "/api/evals/runs", {
      token: outsider.token,
      body: { dataset_id: theirs.id, target: { kind: "agent", agent_id: agent.id } },
    });
    expect(foreignAgent.status).toBe(404);
    expect(foreignAgent.body.error.message).toMatch(/Agent/);
  });
});

describe("roles and scopes", () => {
  it("lets read-only members read runs and results but not start or cancel them", async () => {
    const t = team.readOnly.token;
    expect((await api("GET", `/api/evals/runs/${run.id}`, { token: t })).status).toBe(200);
    expect((await api("GET", `/api/evals/runs/${run.id}/results`, { token: t })).status).toBe(200);
    expect((await api("GET", `/api/evals/compare?baseline=${run.id}&candidate=${run.id}`, { token: t })).status).toBe(
      200,
    );
    expect((await api("POST", "/api/evals/runs", { token: t, body: body() })).status).toBe(403);
    expect((await api("POST", `/api/evals/runs/${run.id}/cancel`, { token: t })).status).toBe(403);
  });

  it("lets users start runs, and cancel their own but not an admin's", async () => {
    const mine = await startRun(team.user.token, body());
    expect(mine.created_by).toBe(team.user.id);
    const theirs = await api<ErrorBody>("POST", `/api/evals/runs/${run.id}/cancel`, { token: team.user.token });
    expect(theirs.status).toBe(403);
    expect((await api("POST", `/api/evals/runs/${mine.id}/cancel`, { token: team.user.token })).status).toBe(200);
  });

  it("needs the evals scope on API keys", async () => {
    const without = await apiKey(team.admin.token, ["agents:read"]);
    expect((await api("GET", "/api/evals/runs", { token: without.key })).status).toBe(403);
    expect((await api("POST", "/api/evals/runs", { token: without.key, body: body() })).status).toBe(403);
    const withScope = await apiKey(team.admin.token, ["evals"]);
    expect((await api("GET", `/api/evals/runs/${run.id}`, { token: withScope.key })).status).toBe(200);
    expect((await api("POST", "/api/evals/runs", { token: withScope.key, body: body() })).status).toBe(201);
  });

  it("audits starting and cancelling", async () => {
    const audit = await api<{ data: { action: string; target_id: string | null }[] }>("GET", "/api/audit?limit=100", {
      token: team.admin.token,
    });
    const actions = audit.body.data.map((a) => `${a.action} ${a.target_id}`);
    expect(actions).toContain(`eval_run.start ${run.id}`);
    expect(audit.body.data.some((a) => a.action === "eval_run.cancel")).toBe(true);
  });
});
