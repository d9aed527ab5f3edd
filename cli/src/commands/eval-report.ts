// How `hive eval` prints a run's summary (per scorer, per tag), its per-case results and the
// comparison of two runs. Deltas carry their sign and verdicts are words, so nothing depends on colour.
import type { EvalCompare, EvalResult, EvalRun, EvalScoreSummary } from "@hive/shared/api-client";
import type { Output } from "../output/output";
import { renderTable } from "../output/table";

export const fixed = (n: number | null, digits = 3): string => (n === null ? "-" : n.toFixed(digits));
export const signed = (n: number | null): string => (n === null ? "-" : `${n >= 0 ? "+" : ""}${n.toFixed(3)}`);
const percent = (n: number) => `${(n * 100).toFixed(1)}%`;
const scorerLabel = (name: string, s: EvalScoreSummary) => (s.judge ? `${name} (judge)` : name);

export function statusText(out: Output, status: string): string {
  if (status === "succeeded") return out.style("green", status);
  if (status === "failed" || status === "budget_exceeded") return out.style("red", status);
  if (status === "cancelled") return out.style("yellow", status);
  return status;
}

export function targetText(run: EvalRun): string {
  const t = run.target;
  return t.kind === "agent" ? `agent ${t.agent_id} v${t.agent_version ?? "?"}` : "swarm";
}

/** The run's per-scorer table, then one table per tag. */
export function printSummary(out: Output, run: EvalRun): void {
  const summary = run.summary;
  if (!summary || Object.keys(summary.scorers).length === 0) {
    out.line("No scores.");
    return;
  }
  const row = (name: string, s: EvalScoreSummary) => [
    scorerLabel(name, s),
    fixed(s.mean),
    percent(s.pass_rate),
    String(s.n),
  ];
  out.line(
    renderTable(
      ["SCORER", "MEAN", "PASS RATE", "N"],
      Object.entries(summary.scorers).map(([n, s]) => row(n, s)),
    ),
  );
  const tagRows = Object.entries(summary.tags).flatMap(([tag, scorers]) =>
    Object.entries(scorers).map(([n, s]) => [tag, ...row(n, s)]),
  );
  if (tagRows.length === 0) return;
  out.line();
  out.line(renderTable(["TAG", "SCORER", "MEAN", "PASS RATE", "N"], tagRows));
}

/** A case's scores as `name value PASS|FAIL`, numbers and words both. */
export const scoresText = (r: EvalResult): string =>
  r.scores.map((s) => `${s.scorer} ${s.value.toFixed(2)} ${s.pass ? "PASS" : "FAIL"}`).join(", ") || "-";

export function printResults(out: Output, results: readonly EvalResult[]): void {
  if (results.length === 0) {
    out.line("No results.");
    return;
  }
  const rows = results.map((r) => [
    String(r.position),
    r.case_key,
    r.error ? `${r.status}: ${r.error}` : r.status,
    scoresText(r),
    r.latency_ms === null ? "-" : `${r.latency_ms} ms`,
    r.conversation_id ?? r.swarm_run_id ?? "-",
    r.trace_id ?? "-",
  ]);
  out.line(renderTable(["#", "CASE", "STATUS", "SCORES", "LATENCY", "CONVERSATION", "TRACE"], rows));
}

/** Summary deltas (regressed scorers first), then the cases that regressed or improved. */
export function printCompare(out: Output, cmp: EvalCompare): void {
  out.line(
    `Compare ${cmp.baseline_run_id} (baseline) → ${cmp.candidate_run_id} (candidate), dataset ${cmp.dataset_id} v${cmp.dataset_version}, tolerance ${cmp.tolerance}`,
  );
  const summary = [...cmp.summary].sort((a, b) => Number(b.regressed) - Number(a.regressed) || a.delta - b.delta);
  const rows = summary.map((s) => [
    s.regressed ? out.style("red", "REGRESSED") : s.delta > cmp.tolerance ? "improved" : "ok",
    s.scorer,
    fixed(s.baseline_mean),
    fixed(s.candidate_mean),
    signed(s.delta),
    String(s.n),
  ]);
  out.line(renderTable(["VERDICT", "SCORER", "BASELINE", "CANDIDATE", "DELTA", "N"], rows));
  out.line(`${cmp.regressions} case(s) regressed, ${cmp.improvements} improved.`);
  const changed = cmp.cases.filter((c) => c.verdict !== "unchanged");
  if (changed.length === 0) return;
  out.line();
  const caseRows = changed.map((c) => [
    c.verdict === "regression" ? "REGRESSION" : "improvement",
    c.case_key,
    c.deltas
      .filter((d) => d.delta !== null && d.delta !== 0)
      .map((d) => `${d.scorer} ${signed(d.delta)}`)
      .join(", ") || "-",
  ]);
  out.line(renderTable(["VERDICT", "CASE", "DELTAS"], caseRows));
}
