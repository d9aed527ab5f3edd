// Pairwise preference in a comparison (`GET /api/evals/compare?pairwise=true`): for each case both
// runs answered, the judge model sees the question and the two answers in random order and says
// which it prefers; the position the baseline was shown in is recorded with the verdict.
import type { EvalPreference } from "@hive/shared/api-types/evals";
import type { ModelSpec } from "../agents/schemas";
import { createDb } from "../core/db";
import type { UsageMeter } from "../usage/meter";
import { preferPair } from "./judges";
import { userMessages } from "./run-case";
import { casesAt, type RunRow } from "./run-service";

/** Judge calls per comparison: the first cases in order, so a large dataset stays a bounded request. */
const MAX_PAIRS = 50;

interface Answered {
  caseKey: string;
  output: string | null;
}

export async function preferences(
  env: Env,
  workspaceId: string,
  judge: ModelSpec,
  run: Pick<RunRow, "datasetId" | "datasetVersion">,
  baseline: readonly Answered[],
  candidate: readonly Answered[],
  meter?: UsageMeter,
): Promise<EvalPreference[]> {
  const cases = await casesAt(createDb(env.DB), workspaceId, run.datasetId, run.datasetVersion);
  const out: EvalPreference[] = [];
  for (const c of cases.slice(0, MAX_PAIRS)) {
    const b = baseline.find((x) => x.caseKey === c.caseKey)?.output;
    const k = candidate.find((x) => x.caseKey === c.caseKey)?.output;
    if (b == null || k == null) continue;
    const question = userMessages(c.body.input).at(-1) ?? "";
    const verdict = await preferPair(env, workspaceId, judge, question, b, k, Math.random, meter);
    if (verdict) out.push({ case_key: c.caseKey, ...verdict });
  }
  return out;
}
