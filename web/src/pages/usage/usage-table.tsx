// The cost breakdown: one row per group (agent, model, day or user) and a totals row, figures
// right-aligned; an unpriced model says so in words, not only by its $0.
import type { UsageAmounts, UsageReport } from "@hive/shared/api-client";
import { DataTable, numeric } from "../../ui/data-table";

export const formatUsd = (n: number) => (n > 0 && n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(2)}`);
const count = (n: number) => n.toLocaleString("en-US");

function Figures({ a }: { a: UsageAmounts }) {
  return (
    <>
      <td className="num">{count(a.calls)}</td>
      <td className="num">{count(a.input_tokens)}</td>
      <td className="num">{count(a.output_tokens)}</td>
      <td className="num">{formatUsd(a.cost_usd)}</td>
    </>
  );
}

export function UsageTable({ report, groupLabel }: { report: UsageReport; groupLabel: string }) {
  if (report.groups.length === 0) return <p className="muted">No model calls in this window.</p>;
  const columns = [groupLabel, numeric("Calls"), numeric("Input tokens"), numeric("Output tokens"), numeric("Cost")];
  return (
    <>
      <DataTable columns={columns}>
        {report.groups.map((g) => (
          <tr key={g.key || "none"}>
            <th scope="row">
              {g.label}
              {g.priced === false ? <span className="muted small"> (no price set: counted as $0)</span> : null}
            </th>
            <Figures a={g} />
          </tr>
        ))}
        <tr className="totals" data-testid="usage-totals">
          <th scope="row">Total</th>
          <Figures a={report.totals} />
        </tr>
      </DataTable>
      <p className="muted small">
        From {new Date(report.from).toLocaleString()} to {new Date(report.to).toLocaleString()}.
      </p>
    </>
  );
}
