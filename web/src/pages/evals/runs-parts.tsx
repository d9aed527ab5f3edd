// What the evaluation run pages share: a run's status as a pill with its word, numbers at a fixed
// precision, deltas with their sign, the target in words, and a run's per-scorer and per-tag tables.
import type { EvalRun, EvalRunStatus, EvalScoreSummary } from "@hive/shared/api-client";
import { DataTable, numeric } from "../../ui/data-table";

const TONE: Readonly<Record<EvalRunStatus, string>> = {
  pending: "tone-neutral",
  running: "tone-warn",
  succeeded: "tone-ok",
  failed: "tone-bad",
  cancelled: "tone-neutral",
  budget_exceeded: "tone-bad",
};

export function EvalStatusPill({ status }: { status: EvalRunStatus }) {
  return <span className={`pill ${TONE[status]}`}>{status.replace("_", " ")}</span>;
}

export const fixed = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));
/** A difference with its sign always shown (+0.000 / −0.120), so it reads without colour. */
export const signed = (n: number | null) => (n === null ? "—" : `${n < 0 ? "−" : "+"}${Math.abs(n).toFixed(3)}`);
const percent = (n: number) => `${(n * 100).toFixed(1)}%`;
export const isoOf = (ms: number) => new Date(ms).toISOString();

export function targetText(run: EvalRun): string {
  const t = run.target;
  return t.kind === "agent" ? `${t.agent_id} v${t.agent_version ?? "?"}` : "swarm";
}

function SummaryRows({ scorers, tag }: { scorers: Record<string, EvalScoreSummary>; tag?: string }) {
  return Object.entries(scorers).map(([name, s]) => (
    <tr key={`${tag ?? ""}:${name}`} data-testid={tag ? "eval-tag-row" : "eval-scorer-row"}>
      {tag ? <td>{tag}</td> : null}
      <th scope="row">
        {name}
        {s.judge ? <span className="pill tone-neutral">judge (model)</span> : null}
      </th>
      <td className="num">{fixed(s.mean)}</td>
      <td className="num">{percent(s.pass_rate)}</td>
      <td className="num">{s.n}</td>
    </tr>
  ));
}

const SUMMARY_COLUMNS = [numeric("Mean"), numeric("Pass rate"), numeric("Cases")];

/** Per scorer (mean, pass rate, cases scored), then per tag. */
export function RunSummary({ run }: { run: EvalRun }) {
  if (!run.summary) return <p className="muted">No summary yet: it is written when the run ends.</p>;
  const tags = Object.entries(run.summary.tags);
  return (
    <>
      <DataTable columns={["Scorer", ...SUMMARY_COLUMNS]}>
        <SummaryRows scorers={run.summary.scorers} />
      </DataTable>
      {tags.length > 0 ? (
        <>
          <h3>By tag</h3>
          <DataTable columns={["Tag", "Scorer", ...SUMMARY_COLUMNS]}>
            {tags.map(([tag, scorers]) => (
              <SummaryRows key={tag} tag={tag} scorers={scorers} />
            ))}
          </DataTable>
        </>
      ) : null}
    </>
  );
}
