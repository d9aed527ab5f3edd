// Evaluation: datasets of cases, runs of an agent or a swarm over a dataset version, per-case
// scores, and the comparison of two runs (worker/evals). JSONL import/export uses EvalCaseInput,
// one object per line.

/** What a case sends: one message, or a conversation whose last message is the user's. */
export type EvalInput = { message: string } | { messages: { role: "user" | "assistant"; content: string }[] };

/** A case as written (create, edit, JSONL line). Every expectation is optional. */
export interface EvalCaseInput {
  input: EvalInput;
  /** The whole expected answer (exact / normalised match). */
  expected_output?: string;
  /** Strings or `/pattern/flags` that must appear in the answer. */
  must_include?: string[];
  /** Strings or `/pattern/flags` that must not appear (an attack succeeds when one does). */
  must_not_include?: string[];
  /** Document ids or names the answer should rest on, most relevant first. */
  expected_sources?: string[];
  /** Tools the agent should call, with the arguments that matter. */
  expected_tool_calls?: { name: string; arguments?: Record<string, unknown> }[];
  /** A JSON Schema the answer, parsed as JSON, must satisfy. */
  json_schema?: Record<string, unknown>;
  /** A number the answer must state, within a relative tolerance (default 0.01). */
  expected_number?: { value: number; tolerance?: number };
  /** The answer should be refused or blocked by the safety policy. */
  expect_refusal?: boolean;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

export interface EvalCase extends EvalCaseInput {
  id: string;
  /** Stable across versions: an edited case keeps its key and gets a new id. */
  case_key: string;
  position: number;
  added_in: number;
}

export interface EvalDataset {
  id: string;
  name: string;
  description: string;
  /** The current version; every change to its cases adds one. */
  version: number;
  case_count: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export type EvalScorerName =
  | "exact_match"
  | "normalized_match"
  | "contains"
  | "not_contains"
  | "json_schema"
  | "numeric"
  | "citation_validity"
  | "recall_at_k"
  | "mrr"
  | "tool_call_f1"
  | "refusal"
  | "attack_success"
  | "latency"
  | "tokens"
  | "cost"
  // With a model (only when a non-offline model is bound; labelled `judge` in results):
  | "faithfulness"
  | "answer_relevance"
  | "rubric";

export interface EvalScorerConfig {
  name: EvalScorerName;
  /** Pass threshold in [0, 1]; scorer default when absent. */
  threshold?: number;
  /** recall_at_k's k (default 5); rubric's text; latency/tokens/cost limits. */
  options?: Record<string, unknown>;
}

export type EvalTarget =
  | { kind: "agent"; agent_id: string; agent_version?: number }
  | { kind: "swarm"; config: Record<string, unknown> };

export interface EvalRunCreate {
  dataset_id: string;
  /** Defaults to the dataset's current version. */
  dataset_version?: number;
  target: EvalTarget;
  /** Defaults to every model-free scorer whose expectation some case states. */
  scorers?: EvalScorerConfig[];
  /** Cases in flight at once (1–8, default 2). */
  concurrency?: number;
  budget_tokens?: number;
  budget_ms?: number;
  label?: string;
}

export type EvalRunStatus = "pending" | "running" | "succeeded" | "failed" | "cancelled" | "budget_exceeded";

export interface EvalScoreSummary {
  mean: number;
  pass_rate: number;
  /** Cases the scorer applied to. */
  n: number;
  /** True for scorers that used a model. */
  judge?: boolean;
}

export interface EvalRun {
  id: string;
  dataset_id: string;
  dataset_version: number;
  /** The agent's version is always pinned here, even when the request left it out. */
  target: EvalTarget;
  scorers: EvalScorerConfig[];
  concurrency: number;
  budget_tokens: number | null;
  budget_ms: number | null;
  status: EvalRunStatus;
  reason: string | null;
  cases_total: number;
  cases_done: number;
  tokens_used: number;
  cost_usd: number;
  summary: { scorers: Record<string, EvalScoreSummary>; tags: Record<string, Record<string, EvalScoreSummary>> } | null;
  label: string | null;
  created_by: string;
  started_at: number | null;
  ended_at: number | null;
  created_at: number;
}

export interface EvalScore {
  scorer: EvalScorerName;
  /** In [0, 1]. */
  value: number;
  pass: boolean;
  threshold: number;
  reason?: string;
  judge?: boolean;
}

export interface EvalResult {
  case_id: string;
  case_key: string;
  position: number;
  status: "pending" | "running" | "done" | "error" | "skipped";
  output: string | null;
  scores: EvalScore[];
  conversation_id: string | null;
  swarm_run_id: string | null;
  trace_id: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  latency_ms: number | null;
  error: string | null;
}

/** Live progress (the run's SSE stream `GET /api/evals/runs/:id/events`). */
export type EvalRunEvent =
  | { type: "status"; run: EvalRun }
  | { type: "result"; result: EvalResult }
  | { type: "done"; run: EvalRun };

export interface EvalCompareCase {
  case_key: string;
  /** Per scorer: baseline and candidate value and their difference (candidate − baseline). */
  deltas: { scorer: EvalScorerName; baseline: number | null; candidate: number | null; delta: number | null }[];
  verdict: "regression" | "improvement" | "unchanged";
}

export interface EvalCompare {
  baseline_run_id: string;
  candidate_run_id: string;
  dataset_id: string;
  dataset_version: number;
  /** Regressions first, then improvements, then the unchanged. */
  cases: EvalCompareCase[];
  summary: {
    scorer: EvalScorerName;
    baseline_mean: number;
    candidate_mean: number;
    delta: number;
    /** Cases scored in both runs. */
    n: number;
    regressed: boolean;
  }[];
  /** The tolerance used: a scorer regresses when its mean falls by more than this. */
  tolerance: number;
  regressions: number;
  improvements: number;
  /** With `pairwise=true` (a model bound): a judge's preference per case, answers shown in random order. */
  pairwise?: EvalPreference[];
}

export interface EvalPreference {
  case_key: string;
  winner: "baseline" | "candidate" | "tie";
  /** Where the baseline's answer was shown to the judge ("A" first). */
  baseline_position: "A" | "B";
  reason: string;
}

// ---- Dataset and case requests (worker/evals/datasets-*.ts, cases-*.ts)

export interface EvalDatasetCreate {
  name: string;
  description?: string;
}

export interface EvalDatasetUpdate {
  name?: string;
  description?: string;
}

/** `POST /api/evals/datasets/:id/cases`: one case, or many at once (one new version either way). */
export type EvalCasesAdd = EvalCaseInput | { cases: EvalCaseInput[] };

/** What a change to the cases answers: the dataset at its new version and the cases written. */
export interface EvalCaseChange {
  dataset: EvalDataset;
  cases: EvalCase[];
}

/** `POST …/import?mode=append|replace`: the dataset at its new version and what changed. */
export interface EvalImportResult {
  dataset: EvalDataset;
  mode: "append" | "replace";
  added: number;
  removed: number;
}

/** One bad JSONL line, in the 400 answer's `details.lines`. Lines count from 1. */
export interface EvalImportLineError {
  line: number;
  path: string;
  message: string;
}

/** `POST …/cases/from-conversation`: a case from one of the caller's conversations. */
export interface EvalCaseFromConversation {
  conversation_id: string;
  /** The assistant answer to take (default: the conversation's last complete answer). */
  message_seq?: number;
}

/** A page of the cases of one dataset version (`GET …/cases?version=N`). */
export interface EvalCasePage {
  data: EvalCase[];
  next_cursor: string | null;
  /** The version these cases belong to. */
  version: number;
}
