// Two runs over the same dataset version, case by case (matched by case key) and scorer by
// scorer. A case regresses when any scorer's pass flips from true to false or its value drops by
// more than the tolerance; it improves the other way round (and does not regress). A scorer
// regresses when its mean over the cases scored in both runs falls by more than the tolerance.
import type { EvalCompare, EvalCompareCase, EvalScore, EvalScorerName } from "@hive/shared/api-types/evals";

export interface ScoredCase {
  caseKey: string;
  scores: EvalScore[];
}

const ORDER: Record<EvalCompareCase["verdict"], number> = { regression: 0, improvement: 1, unchanged: 2 };

function verdictOf(base: Map<string, EvalScore>, cand: Map<string, EvalScore>, tolerance: number) {
  let improved = false;
  for (const [name, b] of base) {
    const c = cand.get(name);
    if (!c) continue;
    if ((b.pass && !c.pass) || c.value < b.value - tolerance) return "regression";
    if ((!b.pass && c.pass) || c.value > b.value + tolerance) improved = true;
  }
  return improved ? "improvement" : "unchanged";
}

export function compareRuns(
  ids: { baseline: string; candidate: string; datasetId: string; datasetVersion: number },
  baseline: readonly ScoredCase[],
  candidate: readonly ScoredCase[],
  tolerance: number,
): EvalCompare {
  const byKey = new Map(candidate.map((c) => [c.caseKey, c]));
  const keys = [...baseline, ...candidate.filter((c) => !baseline.some((b) => b.caseKey === c.caseKey))];
  const totals = new Map<EvalScorerName, { base: number; cand: number; n: number }>();
  const cases = keys.map((k, i) => {
    const b = new Map(baseline.find((x) => x.caseKey === k.caseKey)?.scores.map((s) => [s.scorer, s]) ?? []);
    const c = new Map(byKey.get(k.caseKey)?.scores.map((s) => [s.scorer, s]) ?? []);
    const names = [...new Set([...b.keys(), ...c.keys()])];
    const deltas = names.map((scorer) => {
      const bv = b.get(scorer)?.value ?? null;
      const cv = c.get(scorer)?.value ?? null;
      if (bv !== null && cv !== null) {
        const t = totals.get(scorer) ?? { base: 0, cand: 0, n: 0 };
        totals.set(scorer, { base: t.base + bv, cand: t.cand + cv, n: t.n + 1 });
      }
      return { scorer, baseline: bv, candidate: cv, delta: bv !== null && cv !== null ? cv - bv : null };
    });
    return { at: i, row: { case_key: k.caseKey, deltas, verdict: verdictOf(b, c, tolerance) } as EvalCompareCase };
  });
  cases.sort((x, y) => ORDER[x.row.verdict] - ORDER[y.row.verdict] || x.at - y.at);
  const summary = [...totals].map(([scorer, t]) => {
    const baseline_mean = t.base / t.n;
    const candidate_mean = t.cand / t.n;
    return {
      scorer,
      baseline_mean,
      candidate_mean,
      delta: candidate_mean - baseline_mean,
      n: t.n,
      regressed: candidate_mean < baseline_mean - tolerance,
    };
  });
  return {
    baseline_run_id: ids.baseline,
    candidate_run_id: ids.candidate,
    dataset_id: ids.datasetId,
    dataset_version: ids.datasetVersion,
    cases: cases.map((c) => c.row),
    summary,
    tolerance,
    regressions: cases.filter((c) => c.row.verdict === "regression").length,
    improvements: cases.filter((c) => c.row.verdict === "improvement").length,
  };
}
