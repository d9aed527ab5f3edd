// Evaluation runs in D1: what a new run pins (the dataset version and its cases, the agent
// version and its definition, the scorers with their defaults, the judge model), the run row,
// and reads. Every query filters by the caller's workspace: another workspace's dataset, agent
// or run is simply not found.
import type {
  EvalCaseInput,
  EvalResult,
  EvalRun,
  EvalRunCreate,
  EvalRunStatus,
  EvalScore,
  EvalScorerConfig,
} from "@hive/shared/api-types/evals";
import { StartRunBody } from "@hive/shared/swarm-protocol";
import { and, asc, eq, gt, gte, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { findVisibleAgent, loadDefinition } from "../agents/service";
import type { Config } from "../core/config";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { evalCases, evalResults, evalRuns } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { checkBudgets, resolveAgents } from "../swarm/service";
import { defaultScorers } from "./case-expectations";
import { findDataset } from "./datasets-store";
import { isJudge, judgeSpec } from "./judges";
import type { RunPlan } from "./run-store";
import { observableInSwarms } from "./run-swarm-case";

export type RunRow = typeof evalRuns.$inferSelect;

const badRequest = (message: string, path: string) =>
  new ApiError("BAD_REQUEST", message, { details: { fields: [{ path, message, code: "custom" }] } });

export interface VersionCase {
  caseId: string;
  caseKey: string;
  position: number;
  body: EvalCaseInput;
}

/** The dataset's cases at one version, in order. */
export async function casesAt(db: Database, workspaceId: string, datasetId: string, version: number) {
  const rows = await db
    .select()
    .from(evalCases)
    .where(
      and(
        eq(evalCases.workspaceId, workspaceId),
        eq(evalCases.datasetId, datasetId),
        lte(evalCases.addedIn, version),
        or(isNull(evalCases.removedIn), gt(evalCases.removedIn, version)),
      ),
    )
    .orderBy(asc(evalCases.position));
  return rows.map(
    (r): VersionCase => ({
      caseId: r.id,
      caseKey: r.caseKey,
      position: r.position,
      body: r.body as unknown as EvalCaseInput,
    }),
  );
}

/** The scorers as requested (judges only with a model bound, a rubric with its text), or the defaults. */
function checkScorers(
  requested: EvalScorerConfig[] | undefined,
  cases: readonly VersionCase[],
  judgeBound: boolean,
): EvalScorerConfig[] {
  if (!requested) return defaultScorers(cases.map((c) => c.body));
  requested.forEach((s, i) => {
    if (isJudge(s.name) && !judgeBound)
      throw badRequest(
        `"${s.name}" asks a model to judge, and only the offline model is bound here; bind Workers AI or set LLM_BASE_URL, or leave it out`,
        `scorers.${i}.name`,
      );
    if (s.name === "rubric" && typeof s.options?.rubric !== "string")
      throw badRequest("The rubric scorer needs its text in options.rubric", `scorers.${i}.options.rubric`);
    const k = s.options?.k;
    if (s.name === "recall_at_k" && k !== undefined && !(Number.isInteger(k) && (k as number) >= 1))
      throw badRequest("k must be a whole number of at least 1", `scorers.${i}.options.k`);
  });
  if (new Set(requested.map((s) => s.name)).size !== requested.length)
    throw badRequest("Each scorer may be named once", "scorers");
  return requested;
}

/** The target as the run row shows it and as the coordinator runs it: an agent version, or a swarm's agents. */
async function pinTarget(
  db: Database,
  p: AuthenticatedPrincipal,
  target: EvalRunCreate["target"],
): Promise<{ row: EvalRun["target"]; plan: RunPlan["target"] }> {
  if (target.kind === "agent") {
    const agent = await findVisibleAgent(db, p, target.agent_id);
    const agentVersion = target.agent_version ?? agent.currentVersion;
    const definition = await loadDefinition(db, agent, agentVersion);
    return {
      row: { kind: "agent", agent_id: agent.id, agent_version: agentVersion },
      plan: { agentId: agent.id, agentVersion, definition },
    };
  }
  if ("task" in target.config)
    throw badRequest("Leave the task out: each case's input is the task", "target.config.task");
  // The same schema and checks as POST /api/swarm/runs, with the task each case will bring.
  const parsed = StartRunBody.safeParse({ ...target.config, task: "-" });
  if (!parsed.success)
    throw new ApiError("BAD_REQUEST", "The swarm configuration is invalid", {
      details: {
        fields: parsed.error.issues.map((i) => ({
          path: ["target", "config", ...i.path].join("."),
          message: i.message,
          code: i.code,
        })),
      },
    });
  const swarm = { ...parsed.data, task: "" };
  checkBudgets(swarm);
  const agents = await resolveAgents(db, p, swarm);
  return { row: target, plan: { kind: "swarm", config: swarm, agents } };
}

export interface NewRun {
  row: typeof evalRuns.$inferInsert;
  plan: RunPlan;
  cases: VersionCase[];
}

/** Everything a run pins, checked: 404 for what the caller cannot see, 400 for what cannot run. */
export async function planRun(
  db: Database,
  env: Pick<Env, "AI">,
  config: Config,
  p: AuthenticatedPrincipal,
  id: string,
  body: EvalRunCreate,
): Promise<NewRun> {
  const dataset = await findDataset(db, p.workspaceId, body.dataset_id);
  const version = body.dataset_version ?? dataset.version;
  if (version > dataset.version) throw notFound("Dataset version");
  const cases = await casesAt(db, p.workspaceId, dataset.id, version);
  if (cases.length === 0) throw badRequest(`Version ${version} of the dataset has no cases`, "dataset_version");
  const judge = judgeSpec(env, config);
  const pinned = await pinTarget(db, p, body.target);
  const checked = checkScorers(body.scorers, cases, judge !== null);
  // A swarm reports no retrieval or tool calls: its defaults leave out the scorers that read them.
  const scorers = pinned.plan.kind === "swarm" && !body.scorers ? observableInSwarms(checked) : checked;
  const concurrency = body.concurrency ?? 2;
  return {
    row: {
      id,
      workspaceId: p.workspaceId,
      datasetId: dataset.id,
      datasetVersion: version,
      target: pinned.row,
      scorers,
      concurrency,
      budgetTokens: body.budget_tokens ?? null,
      budgetMs: body.budget_ms ?? null,
      status: "pending",
      casesTotal: cases.length,
      label: body.label ?? null,
      createdBy: p.userId,
      createdAt: Date.now(),
    },
    plan: {
      runId: id,
      workspaceId: p.workspaceId,
      createdBy: p.userId,
      target: pinned.plan,
      scorers,
      concurrency,
      budgetTokens: body.budget_tokens ?? null,
      budgetMs: body.budget_ms ?? null,
      judge: scorers.some((s) => isJudge(s.name)) ? judge : null,
    },
    cases,
  };
}

export const toRun = (r: RunRow): EvalRun => ({
  id: r.id,
  dataset_id: r.datasetId,
  dataset_version: r.datasetVersion,
  target: r.target as unknown as EvalRun["target"],
  scorers: r.scorers as EvalScorerConfig[],
  concurrency: r.concurrency,
  budget_tokens: r.budgetTokens,
  budget_ms: r.budgetMs,
  status: r.status,
  reason: r.reason,
  cases_total: r.casesTotal,
  cases_done: r.casesDone,
  tokens_used: r.tokensUsed,
  cost_usd: r.costUsd,
  summary: (r.summary as EvalRun["summary"]) ?? null,
  label: r.label,
  created_by: r.createdBy,
  started_at: r.startedAt,
  ended_at: r.endedAt,
  created_at: r.createdAt,
});

export function findRun(db: Database, p: AuthenticatedPrincipal, id: string): Promise<RunRow> {
  return findRow(db, evalRuns, and(eq(evalRuns.id, id), eq(evalRuns.workspaceId, p.workspaceId)), "Run");
}

export async function listRuns(
  db: Database,
  p: AuthenticatedPrincipal,
  q: {
    limit: number;
    cursor?: string | undefined;
    dataset_id?: string | undefined;
    status?: EvalRunStatus | undefined;
  },
) {
  const rows = await newestFirst(
    db.select().from(evalRuns).$dynamic(),
    evalRuns,
    q,
    eq(evalRuns.workspaceId, p.workspaceId),
    q.dataset_id ? eq(evalRuns.datasetId, q.dataset_id) : undefined,
    q.status ? eq(evalRuns.status, q.status) : undefined,
  );
  return toPage(rows, q.limit, toRun);
}

/** A result failed when it errored or any scorer did not pass. */
const failedOnly: SQL = sql`(${evalResults.status} = 'error' OR EXISTS (SELECT 1 FROM json_each(${evalResults.scores}) WHERE json_extract(json_each.value, '$.pass') = 0))`;

/** The run's results in case order, each with its case key; `after` is the last position seen. */
export async function resultsOf(
  db: Database,
  run: Pick<RunRow, "id" | "workspaceId">,
  page: { limit: number; after?: number; failed?: boolean; endedSince?: number },
) {
  return db
    .select({ result: evalResults, caseKey: evalCases.caseKey })
    .from(evalResults)
    .leftJoin(evalCases, eq(evalCases.id, evalResults.caseId))
    .where(
      and(
        eq(evalResults.runId, run.id),
        eq(evalResults.workspaceId, run.workspaceId),
        page.after !== undefined ? gt(evalResults.position, page.after) : undefined,
        page.failed ? failedOnly : undefined,
        page.endedSince !== undefined ? gte(evalResults.endedAt, page.endedSince) : undefined,
      ),
    )
    .orderBy(asc(evalResults.position))
    .limit(page.limit);
}

export type ResultRow = Awaited<ReturnType<typeof resultsOf>>[number];

export const toResult = ({ result: r, caseKey }: ResultRow): EvalResult => ({
  case_id: r.caseId,
  case_key: caseKey ?? r.caseId,
  position: r.position,
  status: r.status,
  output: r.output,
  scores: (r.scores ?? []) as EvalScore[],
  conversation_id: r.conversationId,
  swarm_run_id: r.swarmRunId,
  trace_id: r.traceId,
  tokens_in: r.tokensIn,
  tokens_out: r.tokensOut,
  cost_usd: r.costUsd,
  latency_ms: r.latencyMs,
  error: r.error,
});

/** Workspace admins cancel any run; everyone else (and their API keys) only their own. */
export const coordinator = (env: Env, runId: string) => env.EVAL_COORDINATOR.getByName(runId);
