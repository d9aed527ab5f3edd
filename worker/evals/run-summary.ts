// A run's summary, recomputed from its finished cases' scores: per scorer the mean value, the
// share of cases that passed and how many cases it applied to, and the same per tag.
import type { EvalRun, EvalScore, EvalScoreSummary } from "@hive/shared/api-types/evals";

export type RunSummary = NonNullable<EvalRun["summary"]>;

interface Tally {
  sum: number;
  passed: number;
  n: number;
  judge: boolean;
}

function add(into: Map<string, Tally>, s: EvalScore): void {
  const t = into.get(s.scorer) ?? { sum: 0, passed: 0, n: 0, judge: false };
  t.sum += s.value;
  t.passed += s.pass ? 1 : 0;
  t.n += 1;
  t.judge ||= s.judge === true;
  into.set(s.scorer, t);
}

const toSummary = (tallies: Map<string, Tally>): Record<string, EvalScoreSummary> =>
  Object.fromEntries(
    [...tallies].map(([name, t]) => [
      name,
      { mean: t.sum / t.n, pass_rate: t.passed / t.n, n: t.n, ...(t.judge ? { judge: true } : {}) },
    ]),
  );

export function summarize(cases: readonly { scores: EvalScore[]; tags: readonly string[] }[]): RunSummary {
  const all = new Map<string, Tally>();
  const byTag = new Map<string, Map<string, Tally>>();
  for (const c of cases) {
    for (const s of c.scores) {
      add(all, s);
      for (const tag of c.tags) {
        const tallies = byTag.get(tag) ?? new Map<string, Tally>();
        add(tallies, s);
        byTag.set(tag, tallies);
      }
    }
  }
  return {
    scorers: toSummary(all),
    tags: Object.fromEntries([...byTag].map(([tag, tallies]) => [tag, toSummary(tallies)])),
  };
}
