// /api/evals: datasets of cases (looked up here by name), runs of an agent over a dataset version,
// their per-case results, live progress as Server-Sent Events, and the comparison of two runs.
import type {
  EvalCompare,
  EvalResult,
  EvalRun,
  EvalRunCreate,
  EvalRunEvent,
  EvalRunStatus,
  EvalScorerName,
} from "../api-types/evals";
import type { Page } from "../api-types/page";
import { readSse } from "../sse";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export interface EvalRunListParams extends PageParams {
  dataset_id?: string;
  status?: EvalRunStatus;
}

export interface EvalResultListParams extends PageParams {
  /** Only cases with a failed score or an error. */
  failed?: boolean;
}

// Every scorer the API knows, as a record so the compiler checks none is missing; the last three use
// a model and run only when one is bound.
const SCORERS: Record<EvalScorerName, true> = {
  ...{ exact_match: true, normalized_match: true, contains: true, not_contains: true, json_schema: true },
  ...{ numeric: true, citation_validity: true, recall_at_k: true, mrr: true, tool_call_f1: true, refusal: true },
  ...{ attack_success: true, latency: true, tokens: true, cost: true },
  ...{ faithfulness: true, answer_relevance: true, rubric: true },
};
export const EVAL_SCORERS = Object.keys(SCORERS) as EvalScorerName[];
export const isEvalScorer = (name: string): name is EvalScorerName => Object.hasOwn(SCORERS, name);

const ENDED: ReadonlySet<EvalRunStatus> = new Set<EvalRunStatus>([
  "succeeded",
  "failed",
  "cancelled",
  "budget_exceeded",
]);
export const isEvalRunEnded = (status: EvalRunStatus): boolean => ENDED.has(status);

const EVENT_TYPES: ReadonlySet<string> = new Set<EvalRunEvent["type"]>(["status", "result", "done"]);

/** Run events from an SSE body; frames this client does not know are skipped, so a newer Worker cannot break it. */
export async function* evalRunEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<EvalRunEvent> {
  for await (const message of readSse(body, signal)) {
    const frame = objectOf(message.data);
    const type = frame && typeof frame.type === "string" ? frame.type : message.event;
    if (frame && EVENT_TYPES.has(type)) yield { ...frame, type } as EvalRunEvent;
  }
}

/** The frame's JSON object, or null for anything else (a comment, a newer Worker's other data). */
function objectOf(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export class EvalsApi extends ApiCalls {
  startRun(body: EvalRunCreate, opts?: CallOptions): Promise<EvalRun> {
    return this.http.json<EvalRun>("POST", "/api/evals/runs", body, opts);
  }

  listRuns(params: EvalRunListParams = {}, opts?: CallOptions): Promise<Page<EvalRun>> {
    return this.read<Page<EvalRun>>("/api/evals/runs", { ...params }, opts);
  }

  getRun(id: string, opts?: CallOptions): Promise<EvalRun> {
    return this.read<EvalRun>(`/api/evals/runs/${segment(id)}`, {}, opts);
  }

  results(id: string, params: EvalResultListParams = {}, opts?: CallOptions): Promise<Page<EvalResult>> {
    return this.read<Page<EvalResult>>(`/api/evals/runs/${segment(id)}/results`, { ...params }, opts);
  }

  /** Stops a run: cases in flight finish or are abandoned; answers the run as it now stands. */
  cancelRun(id: string, opts?: CallOptions): Promise<EvalRun> {
    return this.http.json<EvalRun>("POST", `/api/evals/runs/${segment(id)}/cancel`, undefined, opts);
  }

  /** The run's live progress: `status`, one `result` per finished case, then `done`. */
  async events(id: string, opts: CallOptions = {}): Promise<AsyncIterable<EvalRunEvent>> {
    const res = await this.http.stream("GET", `/api/evals/runs/${segment(id)}/events`, undefined, opts);
    return evalRunEvents(res.body, opts.signal);
  }

  /** Per-case deltas (regressions first) and per-scorer summary deltas of two runs on one dataset version. */
  compare(baseline: string, candidate: string, tolerance?: number, opts?: CallOptions): Promise<EvalCompare> {
    return this.read<EvalCompare>("/api/evals/compare", { baseline, candidate, tolerance }, opts);
  }
}
