// /api/evals/runs and /api/evals/compare: start a run (its coordinator Durable Object drives it),
// list and read runs and their per-case results, follow a run live (Server-Sent Events read from
// D1, so any instance can serve them and a coordinator reset does not cut them), cancel, and
// compare two runs over the same dataset version.
import { audit, auditRow } from "../audit/audit";
import { callerWith } from "../core/caller";
import { auditLogs, evalRuns } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { cancelRun } from "../core/run-cancel";
import { signedIn } from "../core/signed-in";
import { UsageMeter } from "../usage/meter";
import { compareRuns } from "./compare";
import { judgeSpec } from "./judges";
import { preferences } from "./pairwise";
import { isTerminal } from "./run-engine";
import { runEvents } from "./run-events";
import { updateRun } from "./run-record";
import {
  CompareQuery,
  EvalCancelResult,
  EvalCompare,
  EvalResultPage,
  EvalRun,
  EvalRunCreate,
  EvalRunEvent,
  EvalRunPage,
  ResultListQuery,
  RunIdParam,
  RunListQuery,
} from "./run-schemas";
import { coordinator, findRun, listRuns, planRun, resultsOf, toResult, toRun } from "./run-service";

const tags = ["evals"];
/** Results read per run for a comparison: datasets are at most this large. */
const COMPARE_MAX_CASES = 5000;

export function registerEvalRuns(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/evals/runs",
      tags,
      summary:
        "Start an evaluation run: an agent (pinned version) or a swarm configuration over a dataset version, scored case by case",
      body: EvalRunCreate,
      created: [EvalRun, "The run, started"],
      errors: {
        422: "A swarm configuration naming agents the caller cannot use, or budgets it cannot fit in",
        503: "The coordinator could not be reached",
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const id = newId("erun");
      const { row, plan, cases } = await planRun(db, c.env, c.var.config, p, id, c.req.valid("json"));
      const started = auditRow(c, {
        action: "eval_run.start",
        targetType: "eval_run",
        targetId: id,
        detail: { dataset_id: row.datasetId, dataset_version: row.datasetVersion, target: row.target },
      });
      await db.batch([db.insert(evalRuns).values(row), db.insert(auditLogs).values(started)]);
      try {
        await coordinator(c.env, id).start(plan, cases);
      } catch (err) {
        await updateRun(db, id, p.workspaceId, { status: "failed", reason: "the coordinator could not be started" });
        throw new ApiError("UNAVAILABLE", "The evaluation coordinator could not be reached; try again", { cause: err });
      }
      return c.json(toRun(await findRun(db, p, id)), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/runs",
      tags,
      summary: "List the workspace's evaluation runs, newest first",
      query: RunListQuery,
      ok: [EvalRunPage, "A page of runs"],
    }),
    async (c) => c.json(await listRuns(c.var.services.db, signedIn(c.var.principal), c.req.valid("query")), 200),
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/runs/{id}",
      tags,
      summary: "A run: status, progress, tokens, cost and the summary per scorer and per tag",
      params: RunIdParam,
      ok: [EvalRun, "The run"],
    }),
    async (c) => {
      const { row } = await callerWith(c, findRun, c.req.valid("param").id);
      // Reading an open run wakes its coordinator if it was evicted (it resumes on waking).
      if (!isTerminal(row.status)) await coordinator(c.env, row.id).poke();
      return c.json(toRun(row), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/runs/{id}/results",
      tags,
      summary: "A run's per-case results in case order: answer, scores, conversation, tokens, latency",
      params: RunIdParam,
      query: ResultListQuery,
      ok: [EvalResultPage, "A page of results; next_cursor is the last position on it"],
    }),
    async (c) => {
      const { db, row: run } = await callerWith(c, findRun, c.req.valid("param").id);
      const { limit, cursor, failed } = c.req.valid("query");
      const rows = await resultsOf(db, run, {
        limit: limit + 1,
        failed,
        ...(cursor !== undefined ? { after: Number(cursor) } : {}),
      });
      const data = rows.slice(0, limit).map(toResult);
      const last = data.at(-1);
      return c.json({ data, next_cursor: rows.length > limit && last ? String(last.position) : null }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/runs/{id}/events",
      tags,
      summary: "Follow a run live as Server-Sent Events",
      description:
        "Events: `status` (the run, at once and whenever its progress changes), `result` (each case as it finishes), then `done` (the ended run). Each frame is `event: <type>` plus `data: <EvalRunEvent JSON>`.",
      params: RunIdParam,
      stream: [EvalRunEvent, "The run's progress as a stream of EvalRunEvent"],
    }),
    async (c) => {
      const { row } = await callerWith(c, findRun, c.req.valid("param").id);
      return runEvents(c, row);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/evals/runs/{id}/cancel",
      tags,
      summary: "Cancel a run: no case starts after this; cases in flight finish and are recorded",
      params: RunIdParam,
      ok: [EvalCancelResult, "Whether the run was cancelled, and the run"],
    }),
    async (c) => {
      const { p, db, row } = await callerWith(c, findRun, c.req.valid("param").id);
      const result = await cancelRun(p, row, () => coordinator(c.env, row.id).cancel(p.workspaceId, p.userId));
      await audit(c, {
        action: "eval_run.cancel",
        targetType: "eval_run",
        targetId: row.id,
        detail: { cancelled: result.cancelled },
      });
      return c.json({ cancelled: result.cancelled, run: toRun(await findRun(db, p, row.id)) }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/compare",
      tags,
      summary: "Compare a candidate run with a baseline over the same dataset version: regressions first",
      query: CompareQuery,
      ok: [EvalCompare, "Per-case deltas and the summary per scorer"],
      errors: { 409: "The runs are over different datasets or dataset versions" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const q = c.req.valid("query");
      const [baseline, candidate] = await Promise.all([findRun(db, p, q.baseline), findRun(db, p, q.candidate)]);
      if (baseline.datasetId !== candidate.datasetId || baseline.datasetVersion !== candidate.datasetVersion)
        throw new ApiError("CONFLICT", "Runs can only be compared over the same dataset version", {
          details: {
            baseline: { dataset_id: baseline.datasetId, dataset_version: baseline.datasetVersion },
            candidate: { dataset_id: candidate.datasetId, dataset_version: candidate.datasetVersion },
          },
        });
      const judge = q.pairwise ? judgeSpec(c.env, c.var.config) : null;
      if (q.pairwise && !judge)
        throw new ApiError(
          "BAD_REQUEST",
          "A pairwise preference asks a model to judge, and only the offline model is bound here; bind Workers AI or set LLM_BASE_URL",
        );
      const scored = async (run: typeof baseline) =>
        (await resultsOf(db, run, { limit: COMPARE_MAX_CASES })).map((r) => {
          const result = toResult(r);
          return { caseKey: result.case_key, scores: result.scores, output: result.output };
        });
      const [b, cand] = await Promise.all([scored(baseline), scored(candidate)]);
      const ids = {
        baseline: baseline.id,
        candidate: candidate.id,
        datasetId: baseline.datasetId,
        datasetVersion: baseline.datasetVersion,
      };
      const compared = compareRuns(ids, b, cand, q.tolerance);
      if (judge) {
        // The judge's calls are the comparison's, charged to whoever asked for it (no run's).
        const usage = { workspaceId: p.workspaceId, userId: p.userId, agentId: null, agentVersion: null };
        const meter = new UsageMeter(db, { ...usage, surface: "eval" });
        compared.pairwise = await preferences(c.env, p.workspaceId, judge, baseline, b, cand, meter);
      }
      return c.json(compared, 200);
    },
  );
}
