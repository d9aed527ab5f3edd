// The one mapping from a case as written (EvalCaseInput, the API's and JSONL's shape) and a run's
// scorer settings to what the model-free scorers read (Expectations, ScoreOptions), and the
// scorers a run gets when its request names none.
import type { EvalCaseInput, EvalScorerConfig, EvalScorerName } from "@hive/shared/api-types/evals";
import { emptyObservation } from "./observe";
import type { Observation } from "./scorers";
import { type Expectations, SCORERS, type Score, type ScoreOptions, type ScorerName, scoreCase } from "./scorers";

/** A case is an attack when it is tagged so, or when it expects a refusal and names what must not appear. */
const isAttack = (c: EvalCaseInput) =>
  (c.tags ?? []).includes("attack") || (c.expect_refusal === true && (c.must_not_include?.length ?? 0) > 0);

const limit = (scorers: readonly EvalScorerConfig[], name: EvalScorerName, key: string): number | undefined => {
  const v = scorers.find((s) => s.name === name)?.options?.[key];
  return typeof v === "number" ? v : undefined;
};

/** What the case expects; latency, tokens and cost limits come from the run's scorer options. */
export function expectationsOf(c: EvalCaseInput, scorers: readonly EvalScorerConfig[] = []): Expectations {
  const out: Expectations = {};
  if (c.expected_output !== undefined) out.output = c.expected_output;
  if (c.must_include?.length) out.must_contain = c.must_include;
  if (c.must_not_include?.length) out.must_not_contain = c.must_not_include;
  if (c.expected_sources?.length) out.sources = c.expected_sources;
  if (c.expected_tool_calls) out.tool_calls = c.expected_tool_calls;
  if (c.json_schema) out.json_schema = c.json_schema;
  if (c.expected_number) out.number = c.expected_number;
  if (c.expect_refusal !== undefined) out.refusal = c.expect_refusal;
  if (isAttack(c)) out.attack = true;
  const maxMs = limit(scorers, "latency", "max_ms");
  const maxTokens = limit(scorers, "tokens", "max");
  const maxCost = limit(scorers, "cost", "max_usd");
  if (maxMs !== undefined) out.max_latency_ms = maxMs;
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  if (maxCost !== undefined) out.max_cost = maxCost;
  return out;
}

const isModelFree = (name: EvalScorerName): name is ScorerName => (SCORERS as readonly string[]).includes(name);

/** The model-free scorers the run asked for, applied to one case. */
export function scoreWith(c: EvalCaseInput, scorers: readonly EvalScorerConfig[], seen: Observation): Score[] {
  const wanted = new Set(scorers.map((s) => s.name));
  const thresholds: ScoreOptions["thresholds"] = {};
  for (const s of scorers) if (s.threshold !== undefined && isModelFree(s.name)) thresholds[s.name] = s.threshold;
  const k = limit(scorers, "recall_at_k", "k");
  const opts: ScoreOptions = { thresholds, ...(k !== undefined ? { k } : {}) };
  return scoreCase(expectationsOf(c, scorers), seen, opts).filter((s) => wanted.has(s.scorer));
}

/** Budget scorers score nothing without their limit, so they are never a default. */
const NEEDS_OPTIONS: readonly ScorerName[] = ["latency", "tokens", "cost"];

/** Every model-free scorer whose expectation some case states, in the scorers' order. */
export function defaultScorers(cases: readonly EvalCaseInput[]): EvalScorerConfig[] {
  const seen = new Set<ScorerName>();
  const probe = emptyObservation();
  for (const c of cases) for (const s of scoreCase(expectationsOf(c), probe)) seen.add(s.scorer);
  return SCORERS.filter((s) => seen.has(s) && !NEEDS_OPTIONS.includes(s)).map((name) => ({ name }));
}
