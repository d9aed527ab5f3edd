// Shared steps for the evaluation run tests: a dataset written straight into D1 (its API is
// another feature's), starting a run, waiting for it to end, and reading its SSE stream.
import { env, SELF } from "cloudflare:test";
import type { EvalCaseInput, EvalResult, EvalRun, EvalRunEvent } from "@hive/shared/api-types/evals";
import { createDb } from "../../worker/core/db";
import { evalCases, evalDatasets } from "../../worker/core/db/schema";
import { newId } from "../../worker/core/ids";
import { BASE, expectStatus } from "./helpers/harness";

export interface SeededDataset {
  id: string;
  caseIds: string[];
}

let counter = 0;

/** A dataset at version 1 holding `cases` in order. */
export async function seedDataset(
  workspaceId: string,
  createdBy: string,
  cases: EvalCaseInput[],
): Promise<SeededDataset> {
  const db = createDb(env.DB);
  const id = newId("eds");
  await db.insert(evalDatasets).values({ id, workspaceId, name: `set ${++counter}`, version: 1, createdBy });
  const caseIds = cases.map(() => newId("ecs"));
  await db.insert(evalCases).values(
    cases.map((body, position) => ({
      id: caseIds[position] as string,
      workspaceId,
      datasetId: id,
      caseKey: `k${position}`,
      addedIn: 1,
      position,
      body: body as unknown as Record<string, unknown>,
    })),
  );
  return { id, caseIds };
}

export const startRun = (token: string, body: Record<string, unknown>) =>
  expectStatus<EvalRun>(201, "POST", "/api/evals/runs", { token, body });

export const getRun = (token: string, id: string) =>
  expectStatus<EvalRun>(200, "GET", `/api/evals/runs/${id}`, { token });

const ENDED = ["succeeded", "failed", "cancelled", "budget_exceeded"];

/** Polls the run (which also wakes an evicted coordinator) until it has ended. */
export async function waitForRun(token: string, id: string, timeoutMs = 60_000): Promise<EvalRun> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const run = await getRun(token, id);
    if (ENDED.includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not end within ${timeoutMs} ms`);
}

export async function resultsOf(token: string, id: string, query = ""): Promise<EvalResult[]> {
  const page = await expectStatus<{ data: EvalResult[] }>(
    200,
    "GET",
    `/api/evals/runs/${id}/results?limit=200${query}`,
    {
      token,
    },
  );
  return page.data;
}

/** The run's whole SSE stream (it ends after `done`). */
export async function followRun(token: string, id: string): Promise<EvalRunEvent[]> {
  const res = await SELF.fetch(`${BASE}/api/evals/runs/${id}/events`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text
    .split("\n\n")
    .flatMap((frame) => frame.split("\n").filter((l) => l.startsWith("data: ")))
    .map((l) => JSON.parse(l.slice(6)) as EvalRunEvent);
}

export const scoreOf = (r: EvalResult, scorer: string) => r.scores.find((s) => s.scorer === scorer)?.value;

export const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};
