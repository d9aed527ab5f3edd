// Schemas of /api/evals/runs and /api/evals/compare, checked at compile time against the types
// the dashboard and the CLI import (shared/api-types/evals.ts).
import type * as api from "@hive/shared/api-types/evals";
import { z } from "@hono/zod-openapi";
import { idParams, inQuery, PageQuery, page, switchQuery } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { JUDGES } from "./judges";
import { SCORERS } from "./scorers";

export const RUN_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled", "budget_exceeded"] as const;
export const MAX_CONCURRENCY = 8;

const ScorerName = z.enum([...SCORERS, ...JUDGES]);

const ScorerConfig = z
  .object({
    name: ScorerName,
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({ description: "Pass threshold; the scorer's default when absent" }),
    options: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        "recall_at_k: { k }; latency: { max_ms }; tokens: { max }; cost: { max_usd }; rubric: { rubric } (required)",
    }),
  })
  .strict()
  .openapi("EvalScorerConfig");

const Target = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("agent"),
        agent_id: z.string().min(1).max(64),
        agent_version: z.number().int().min(1).optional().openapi({ description: "Default: the current version" }),
      })
      .strict(),
    z
      .object({
        kind: z.literal("swarm"),
        config: z.record(z.string(), z.unknown()).openapi({
          description:
            "What POST /api/swarm/runs takes, without the task: each case's input is the task of one swarm run",
        }),
      })
      .strict(),
  ])
  .openapi("EvalTarget");

export const EvalRunCreate = z
  .object({
    dataset_id: z.string().min(1).max(64),
    dataset_version: z.number().int().min(1).optional().openapi({ description: "Default: the current version" }),
    target: Target,
    scorers: z.array(ScorerConfig).min(1).max(30).optional().openapi({
      description: "Default: every model-free scorer whose expectation some case states",
    }),
    concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional().openapi({ description: "Default 2" }),
    budget_tokens: z.number().int().min(1).optional(),
    budget_ms: z.number().int().min(1).optional(),
    label: z.string().trim().max(200).optional(),
  })
  .strict()
  .openapi("EvalRunCreate");

const Summary = z.object({
  mean: z.number(),
  pass_rate: z.number(),
  n: z.number().int(),
  judge: z.boolean().optional(),
});

export const EvalRun = z
  .object({
    id: z.string(),
    dataset_id: z.string(),
    dataset_version: z.number().int(),
    target: Target,
    scorers: z.array(ScorerConfig),
    concurrency: z.number().int(),
    budget_tokens: z.number().int().nullable(),
    budget_ms: z.number().int().nullable(),
    status: z.enum(RUN_STATUSES),
    reason: z.string().nullable(),
    cases_total: z.number().int(),
    cases_done: z.number().int(),
    tokens_used: z.number().int(),
    cost_usd: z.number(),
    summary: z
      .object({
        scorers: z.record(z.string(), Summary),
        tags: z.record(z.string(), z.record(z.string(), Summary)),
      })
      .nullable(),
    label: z.string().nullable(),
    created_by: z.string(),
    started_at: z.number().int().nullable(),
    ended_at: z.number().int().nullable(),
    created_at: z.number().int(),
  })
  .openapi("EvalRun");

const Score = z.object({
  scorer: ScorerName,
  value: z.number(),
  pass: z.boolean(),
  threshold: z.number(),
  reason: z.string().optional(),
  judge: z.boolean().optional(),
});

export const EvalResult = z
  .object({
    case_id: z.string(),
    case_key: z.string(),
    position: z.number().int(),
    status: z.enum(["pending", "running", "done", "error", "skipped"]),
    output: z.string().nullable(),
    scores: z.array(Score),
    conversation_id: z.string().nullable(),
    swarm_run_id: z.string().nullable(),
    trace_id: z.string().nullable(),
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    cost_usd: z.number(),
    latency_ms: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .openapi("EvalResult");

export const EvalRunPage = page(EvalRun).openapi("EvalRunPage");
export const EvalResultPage = page(EvalResult).openapi("EvalResultPage");

export const EvalRunEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("status"), run: EvalRun }),
    z.object({ type: z.literal("result"), result: EvalResult }),
    z.object({ type: z.literal("done"), run: EvalRun }),
  ])
  .openapi("EvalRunEvent");

export const EvalCancelResult = z.object({ cancelled: z.boolean(), run: EvalRun }).openapi("EvalCancelResult");

const Delta = z.object({
  scorer: ScorerName,
  baseline: z.number().nullable(),
  candidate: z.number().nullable(),
  delta: z.number().nullable(),
});

export const EvalCompare = z
  .object({
    baseline_run_id: z.string(),
    candidate_run_id: z.string(),
    dataset_id: z.string(),
    dataset_version: z.number().int(),
    cases: z.array(
      z.object({
        case_key: z.string(),
        deltas: z.array(Delta),
        verdict: z.enum(["regression", "improvement", "unchanged"]),
      }),
    ),
    summary: z.array(
      z.object({
        scorer: ScorerName,
        baseline_mean: z.number(),
        candidate_mean: z.number(),
        delta: z.number(),
        n: z.number().int(),
        regressed: z.boolean(),
      }),
    ),
    tolerance: z.number(),
    regressions: z.number().int(),
    improvements: z.number().int(),
    pairwise: z
      .array(
        z.object({
          case_key: z.string(),
          winner: z.enum(["baseline", "candidate", "tie"]),
          baseline_position: z.enum(["A", "B"]),
          reason: z.string(),
        }),
      )
      .optional()
      .openapi({ description: "With pairwise=true: a judge model's preference per case (labelled judge)" }),
  })
  .openapi("EvalCompare");

export const RunIdParam = idParams("erun_3kT9aZ");

export const RunListQuery = PageQuery.extend({
  dataset_id: z.string().max(64).optional().openapi(inQuery("dataset_id")),
  status: z.enum(RUN_STATUSES).optional().openapi(inQuery("status")),
});

export const ResultListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi(inQuery("limit")),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .openapi(inQuery("cursor", "The position to continue after")),
  failed: switchQuery("failed", "Only cases that errored or failed a scorer"),
});

export const CompareQuery = z.object({
  baseline: z.string().min(1).max(64).openapi(inQuery("baseline")),
  candidate: z.string().min(1).max(64).openapi(inQuery("candidate")),
  tolerance: z.coerce.number().min(0).max(1).default(0.05).openapi(inQuery("tolerance")),
  pairwise: switchQuery("pairwise", "Ask the bound judge model which answer it prefers, case by case"),
});

type _Checks = [
  Expect<Same<z.output<typeof EvalRunCreate>, api.EvalRunCreate>>,
  Expect<Same<z.output<typeof EvalRun>, api.EvalRun>>,
  Expect<Same<z.output<typeof EvalResult>, api.EvalResult>>,
  Expect<Same<z.output<typeof EvalRunEvent>, api.EvalRunEvent>>,
  Expect<Same<z.output<typeof EvalCompare>, api.EvalCompare>>,
  Expect<Same<z.output<typeof ScorerName>, api.EvalScorerName>>,
];
