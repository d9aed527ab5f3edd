// A swarm run as clients see it: the request that starts one (strategy, agents, budgets) and
// the run and step records the API returns. Shared with the dashboard and the CLI; the
// OpenAPI document takes its component names from the `id` in each schema's metadata.
import { z } from "zod";
import { LIMITS, STRATEGIES } from "./constants";
import { RUN_STATUSES, STEP_ROLES, STEP_STATUSES } from "./messages";

export { LIMITS, STRATEGIES };
export type Strategy = (typeof STRATEGIES)[number];

const AgentId = z.string().regex(/^agt_[A-Za-z0-9]{1,40}$/, "must be an agent id (agt_...)");
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const Budget = z
  .object({
    max_agents: int(1, LIMITS.agents)
      .default(10)
      .meta({ description: "Distinct agents the run may involve (workers, aggregator, router, judge)" }),
    max_steps: int(1, LIMITS.steps)
      .default(50)
      .meta({ description: "Agent turns the run may take; retries of a turn do not count" }),
    max_tokens: int(100, LIMITS.tokens)
      .default(200_000)
      .meta({ description: "Model tokens (in + out) across the run" }),
    deadline_ms: int(1_000, LIMITS.deadlineMs)
      .default(300_000)
      .meta({ description: "Wall time from start; past it the run ends timed_out" }),
  })
  .strict()
  .meta({ id: "SwarmBudget" });

export const StepPolicy = z
  .object({
    timeout_ms: int(100, 300_000).default(60_000).meta({ description: "One attempt of one agent turn" }),
    max_attempts: int(1, 5)
      .default(2)
      .meta({ description: "Tries per turn, the first included; retries back off exponentially with jitter" }),
    backoff_ms: int(0, 10_000).default(250).meta({ description: "Base delay of the backoff" }),
  })
  .strict()
  .meta({ id: "SwarmStepPolicy" });

const common = {
  task: z.string().trim().min(1).max(20_000),
  agent_ids: z.array(AgentId).min(1, "a run needs at least one agent").max(LIMITS.agents),
  budget: Budget.prefault({}),
  step: StepPolicy.prefault({}),
};

const quorum = int(1, LIMITS.agents)
  .optional()
  .meta({ description: "Answers needed to go on (k of n); default a majority, floor(n/2)+1" });

export const PipelineConfig = z.object({ strategy: z.literal("pipeline"), ...common }).strict();

export const ParallelConfig = z
  .object({
    strategy: z.literal("parallel"),
    ...common,
    aggregator_id: AgentId.meta({ description: "Merges the answers (reduce)" }),
    quorum,
  })
  .strict();

export const RouterConfig = z
  .object({
    strategy: z.literal("router"),
    ...common,
    router_id: AgentId.meta({ description: "Picks one specialist from agent_ids with a line `ROUTE: <agent id>`" }),
    fallback: z.enum(["first", "fail"]).default("first").meta({
      description: "When the router's choice is invalid: hand the task to the first specialist, or fail the run",
    }),
    max_handoffs: int(0, LIMITS.handoffs)
      .default(2)
      .meta({ description: "A specialist may pass the task on with a line `HANDOFF: <agent id>`" }),
  })
  .strict();

export const DebateConfig = z
  .object({
    strategy: z.literal("debate"),
    ...common,
    rounds: int(1, LIMITS.rounds)
      .default(1)
      .meta({ description: "Proposal rounds; from the second on, agents see the previous round's proposals" }),
    decision: z.enum(["vote", "judge"]).default("vote"),
    judge_id: AgentId.optional().meta({
      description: "Decides with a line `WINNER: <n>` (decision judge, or tie_break judge)",
    }),
    quorum,
    tie_break: z.enum(["first", "judge", "fail"]).default("first").meta({
      description:
        "A tied vote goes to the tied proposal whose agent comes first in agent_ids, to the judge, or fails the run",
    }),
  })
  .strict();

const STRATEGY_ERROR = `strategy must be one of ${STRATEGIES.join(", ")}`;

export const StartRunBody = z
  .discriminatedUnion("strategy", [PipelineConfig, ParallelConfig, RouterConfig, DebateConfig], {
    error: (issue) => (issue.code === "invalid_union" ? STRATEGY_ERROR : undefined),
  })
  .superRefine((body, ctx) => {
    if (new Set(body.agent_ids).size !== body.agent_ids.length)
      ctx.addIssue({ code: "custom", path: ["agent_ids"], message: "must not repeat an agent" });
    if ("quorum" in body && body.quorum !== undefined && body.quorum > body.agent_ids.length) {
      ctx.addIssue({
        code: "custom",
        path: ["quorum"],
        message: `cannot exceed the number of agents (${body.agent_ids.length})`,
      });
    }
    if (body.strategy === "debate" && !body.judge_id && (body.decision === "judge" || body.tie_break === "judge")) {
      ctx.addIssue({ code: "custom", path: ["judge_id"], message: "is required when decision or tie_break is judge" });
    }
  })
  .meta({ id: "StartSwarmRun" });

export type StartRunBody = z.input<typeof StartRunBody>;
export type RunConfig = z.output<typeof StartRunBody>;
export type Budget = z.output<typeof Budget>;
export type StepPolicy = z.output<typeof StepPolicy>;

/** An agent as the run uses it: pinned to the version current when the run started. */
export const RunAgent = z
  .object({ id: z.string(), name: z.string(), description: z.string(), version: z.number().int() })
  .meta({ id: "SwarmRunAgent" });
export type RunAgent = z.output<typeof RunAgent>;

export const SwarmRun = z
  .object({
    id: z.string().meta({ example: "run_3kT9aZ" }),
    workspace_id: z.string(),
    created_by: z.string(),
    strategy: z.enum(STRATEGIES),
    task: z.string(),
    status: z.enum(RUN_STATUSES),
    reason: z.string().nullable().meta({ description: "Why the run ended the way it did" }),
    output: z.string().nullable(),
    config: StartRunBody,
    agents: z.array(RunAgent),
    tokens_used: z.number().int(),
    steps_used: z.number().int(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    deadline_at: z.string().nullable(),
  })
  .meta({ id: "SwarmRun" });

export const SwarmStep = z
  .object({
    seq: z.number().int(),
    key: z.string().meta({ description: "The step's place in the plan, e.g. map:2, r1:propose:0, vote:3" }),
    agent_id: z.string().nullable(),
    role: z.enum(STEP_ROLES),
    round: z.number().int(),
    status: z.enum(STEP_STATUSES),
    input: z.string().nullable(),
    output: z.string().nullable(),
    choice: z.string().nullable().meta({
      description: "The agent this step chose: a vote, the router's pick, the judge's winner or a handoff target",
    }),
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    attempts: z.number().int(),
    model: z.string().nullable(),
    degraded: z.boolean(),
    error: z.string().nullable(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    latency_ms: z.number().int().nullable().meta({ description: "Of the attempt that settled the step" }),
    trace_id: z.string().nullable().optional().meta({ description: "The trace of the step (GET /api/traces/:id)" }),
  })
  .meta({ id: "SwarmStep" });

export const SwarmRunDetail = SwarmRun.extend({ steps: z.array(SwarmStep) }).meta({ id: "SwarmRunDetail" });

export const SwarmRunPage = z
  .object({ data: z.array(SwarmRun), next_cursor: z.string().nullable() })
  .meta({ id: "SwarmRunPage" });

export const SwarmCancelResult = z
  .object({ cancelled: z.boolean().meta({ description: "False when the run had already ended" }), run: SwarmRunDetail })
  .meta({ id: "SwarmCancelResult" });

export const SwarmSocketToken = z
  .object({
    token: z.string(),
    expires_at: z.string(),
    url: z.string().meta({ description: "Path of the run's event WebSocket with the token" }),
  })
  .meta({ id: "SwarmSocketToken" });

export type SwarmRun = z.output<typeof SwarmRun>;
export type SwarmStep = z.output<typeof SwarmStep>;
export type SwarmRunDetail = z.output<typeof SwarmRunDetail>;
export type SwarmRunPage = z.output<typeof SwarmRunPage>;
export type SwarmSocketToken = z.output<typeof SwarmSocketToken>;
export type SwarmCancelResult = z.output<typeof SwarmCancelResult>;
