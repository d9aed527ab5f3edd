// Comparing runs: a deliberately worse agent version (its knowledge base detached) run over the
// same dataset version shows its regressions first and the scorers that fell flagged
// `regressed`; runs over different dataset versions cannot be compared.
import type { EvalCompare, EvalRun } from "@hive/shared/api-types/evals";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { seedDataset, startRun, waitForRun } from "./evals.helpers";
import { createAgent } from "./helpers/chat";
import { api, type ErrorBody, expectStatus } from "./helpers/harness";
import { AERO_DOCS } from "./knowledge.fixtures";
import { type Caller, createKb, signedInUser, uploadIngested } from "./knowledge.helpers";

// Each run is several real agent turns: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let caller: Caller;
let agent: Agent;
let datasetId: string;
let baseline: EvalRun;
let candidate: EvalRun;

beforeAll(async () => {
  caller = await signedInUser();
  const kb = await createKb(caller, { name: "Shells" });
  await uploadIngested(caller, kb.id, "buckling.txt", AERO_DOCS["buckling.txt"]);
  agent = await createAgent(caller.token, { name: "Shellbot", knowledge_base_ids: [kb.id] });
  datasetId = (
    await seedDataset(caller.workspaceId, caller.userId, [
      { input: { message: "Why do thin cylindrical shells buckle?" }, expected_sources: ["buckling.txt"] },
      { input: { message: "hello there" }, must_include: ["/./"] },
    ])
  ).id;
  baseline = await waitForRun(
    caller.token,
    (await startRun(caller.token, { dataset_id: datasetId, target: { kind: "agent", agent_id: agent.id } })).id,
  );
  // Version 2 forgets its knowledge base: a worse agent.
  await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, {
    token: caller.token,
    body: { knowledge_base_ids: [] },
  });
  candidate = await waitForRun(
    caller.token,
    (
      await startRun(caller.token, {
        dataset_id: datasetId,
        target: { kind: "agent", agent_id: agent.id, agent_version: 2 },
      })
    ).id,
  );
});

describe("compare", () => {
  it("puts the worse version's regressions first and flags the scorers that fell", async () => {
    expect(baseline.target).toMatchObject({ agent_version: 1 });
    expect(candidate.target).toMatchObject({ agent_version: 2 });
    const cmp = await expectStatus<EvalCompare>(
      200,
      "GET",
      `/api/evals/compare?baseline=${baseline.id}&candidate=${candidate.id}`,
      { token: caller.token },
    );
    expect(cmp).toMatchObject({ baseline_run_id: baseline.id, candidate_run_id: candidate.id, tolerance: 0.05 });
    expect(cmp.regressions).toBe(1);
    expect(cmp.cases[0]).toMatchObject({ case_key: "k0", verdict: "regression" });
    expect(cmp.cases[1]).toMatchObject({ case_key: "k1", verdict: "unchanged" });
    const recall = cmp.cases[0]?.deltas.find((d) => d.scorer === "recall_at_k");
    expect(recall).toEqual({ scorer: "recall_at_k", baseline: 1, candidate: 0, delta: -1 });
    const byScorer = Object.fromEntries(cmp.summary.map((s) => [s.scorer, s]));
    expect(byScorer.recall_at_k).toMatchObject({
      baseline_mean: 1,
      candidate_mean: 0,
      delta: -1,
      n: 1,
      regressed: true,
    });
    expect(byScorer.mrr?.regressed).toBe(true);
    expect(byScorer.contains).toMatchObject({ n: 1, regressed: false });

    // The other way round, the same cases are improvements.
    const back = await expectStatus<EvalCompare>(
      200,
      "GET",
      `/api/evals/compare?baseline=${candidate.id}&candidate=${baseline.id}&tolerance=0.5`,
      { token: caller.token },
    );
    expect(back).toMatchObject({ regressions: 0, improvements: 1, tolerance: 0.5 });
    expect(back.summary.every((s) => !s.regressed)).toBe(true);
  });

  it("refuses runs over different dataset versions with 409", async () => {
    const other = await seedDataset(caller.workspaceId, caller.userId, [
      { input: { message: "x" }, must_include: ["x"] },
    ]);
    const elsewhere = await startRun(caller.token, {
      dataset_id: other.id,
      target: { kind: "agent", agent_id: agent.id },
    });
    const res = await api<ErrorBody>("GET", `/api/evals/compare?baseline=${baseline.id}&candidate=${elsewhere.id}`, {
      token: caller.token,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
  });

  it("refuses a pairwise preference when only the offline model is bound, saying why", async () => {
    const res = await api<ErrorBody>(
      "GET",
      `/api/evals/compare?baseline=${baseline.id}&candidate=${candidate.id}&pairwise=true`,
      { token: caller.token },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only the offline model is bound/);
  });

  it("rejects a tolerance outside [0, 1] with 400", async () => {
    const res = await api("GET", `/api/evals/compare?baseline=${baseline.id}&candidate=${candidate.id}&tolerance=2`, {
      token: caller.token,
    });
    expect(res.status).toBe(400);
  });
});
