// /evals/compare?baseline=&candidate=: two runs on one dataset version side by side. Scorers that
// regressed come first, each delta with its sign and the number of cases behind it; then the cases
// that regressed, improved or did not change. Verdicts are words, so nothing depends on colour.
import type { EvalCompare, EvalRun } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { queries } from "../../api/queries";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { TextField } from "../../ui/controls";
import { DataTable } from "../../ui/data-table";
import { ChoiceField } from "../../ui/field-choice";
import { FormPage } from "../../ui/form-page";
import { submitted } from "../../ui/form-panel";
import { QueryState } from "../../ui/query-state";
import { fixed, signed } from "./runs-parts";

const DEFAULT_TOLERANCE = 0.05;
const VERDICT = { regression: "Regression", improvement: "Improvement", unchanged: "Unchanged" } as const;
/** The two runs picked, by their address parameter and label. */
const SIDES = [
  ["baseline", "Baseline"],
  ["candidate", "Candidate"],
] as const;
const runChoice = (r: EvalRun) =>
  [r.id, `${r.label ?? r.id} — ${r.dataset_id} v${r.dataset_version}, ${r.status}`] as const;

function CompareView({ cmp }: { cmp: EvalCompare }) {
  const summary = [...cmp.summary].sort((a, b) => Number(b.regressed) - Number(a.regressed) || a.delta - b.delta);
  const regressed = summary.filter((s) => s.regressed).length;
  return (
    <>
      <section className="panel" aria-labelledby="compare-summary-heading">
        <h2 id="compare-summary-heading">Scorers</h2>
        <p data-testid="compare-verdict">
          <strong>{regressed ? `${regressed} scorer(s) regressed` : "No scorer regressed"}</strong> (a scorer regresses
          when its mean falls by more than {cmp.tolerance}). {cmp.regressions} case(s) regressed, {cmp.improvements}{" "}
          improved.
        </p>
        <DataTable
          columns={[
            "Verdict",
            "Scorer",
            { label: "Baseline mean", num: true },
            { label: "Candidate mean", num: true },
            { label: "Delta", num: true },
            { label: "Cases", num: true },
          ]}
        >
          {summary.map((s) => (
            <tr key={s.scorer} data-testid="compare-scorer-row">
              <td>
                <span className={`pill ${s.regressed ? "tone-bad" : "tone-ok"}`}>
                  {s.regressed ? "Regressed" : s.delta > cmp.tolerance ? "Improved" : "Within tolerance"}
                </span>
              </td>
              <th scope="row">
                <code>{s.scorer}</code>
              </th>
              <td className="num">{fixed(s.baseline_mean)}</td>
              <td className="num">{fixed(s.candidate_mean)}</td>
              <td className="num">{signed(s.delta)}</td>
              <td className="num">{s.n}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section className="panel" aria-labelledby="compare-cases-heading">
        <h2 id="compare-cases-heading">Cases</h2>
        <DataTable columns={["Verdict", "Case", "Scores (baseline → candidate, delta)"]}>
          {cmp.cases.map((c) => (
            <tr key={c.case_key} data-testid="compare-case-row">
              <td>
                <span
                  className={`pill ${c.verdict === "regression" ? "tone-bad" : c.verdict === "improvement" ? "tone-ok" : "tone-neutral"}`}
                >
                  {VERDICT[c.verdict]}
                </span>
              </td>
              <th scope="row">
                <code>{c.case_key}</code>
              </th>
              <td>
                <ul className="plain-list">
                  {c.deltas.map((d) => (
                    <li key={d.scorer}>
                      <code>{d.scorer}</code> {fixed(d.baseline, 2)} → {fixed(d.candidate, 2)} ({signed(d.delta)})
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </>
  );
}

export function ComparePage() {
  const id = useId();
  const search = useSearchParams();
  const baseline = search.get("baseline") ?? "";
  const candidate = search.get("candidate") ?? "";
  const tolerance = Number(search.get("tolerance") ?? DEFAULT_TOLERANCE);
  const runs = useQuery(queries.evalRuns({ limit: 100 }));
  const [pick, setPick] = useState({ baseline, candidate, tolerance: String(tolerance) });
  const ready = baseline !== "" && candidate !== "";
  const cmp = useQuery({ ...queries.evalCompare(baseline, candidate, tolerance), enabled: ready });
  return (
    <FormPage
      title="Compare runs"
      lead="Per-case score deltas of a candidate run against a baseline on the same dataset version, regressions first."
      back={{ to: "/evals/runs", label: "All runs" }}
    >
      <form
        className="panel form"
        aria-label="Pick two runs"
        onSubmit={(e) =>
          submitted(e, () =>
            updateSearch({
              baseline: pick.baseline || null,
              candidate: pick.candidate || null,
              tolerance: pick.tolerance,
            }),
          )
        }
      >
        <div className="field-row">
          {SIDES.map(([side, label]) => (
            <ChoiceField
              key={side}
              id={`${id}-${side}`}
              label={label}
              required
              none="Choose a run"
              choices={runs.data?.data}
              option={runChoice}
              value={pick[side]}
              onValue={(v) => setPick({ ...pick, [side]: v })}
            />
          ))}
          <TextField
            id={`${id}-tolerance`}
            label="Tolerance"
            hint="How far a mean may fall before it counts"
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={pick.tolerance}
            onValue={(v) => setPick({ ...pick, tolerance: v })}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button">
            Compare
          </button>
          {ready ? (
            <span className="muted small">
              <Link to={pathOf("evals", "runs", baseline)}>Baseline run</Link> ·{" "}
              <Link to={pathOf("evals", "runs", candidate)}>Candidate run</Link>
            </span>
          ) : null}
        </div>
      </form>
      {ready ? <QueryState query={cmp} errorTitle="Could not compare the runs" loading="Comparing…" /> : null}
      {cmp.data ? <CompareView cmp={cmp.data} /> : null}
    </FormPage>
  );
}
