// How often each variant of a flag was served (GET /api/flags/:key), next to the share its
// weight asks for, to see whether an A/B split is behaving.

import type { FlagWithStats } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { DataTable, numeric } from "../../ui/data-table";
import { QueryState } from "../../ui/query-state";

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "–");

function rows(flag: FlagWithStats) {
  const served = new Map(flag.exposures.map((e) => [e.variant, e.count]));
  const names = [...new Set([...flag.definition.variants.map((v) => v.name), ...served.keys()])];
  const totalWeight = flag.definition.variants.reduce((sum, v) => sum + v.weight, 0);
  const totalServed = flag.exposures.reduce((sum, e) => sum + e.count, 0);
  return names.map((name) => {
    const weight = flag.definition.variants.find((v) => v.name === name)?.weight;
    return {
      name,
      count: served.get(name) ?? 0,
      target: weight === undefined ? "removed" : percent(weight, totalWeight),
      share: percent(served.get(name) ?? 0, totalServed),
    };
  });
}

export function FlagExposures({ flagKey, onClose }: { flagKey: string; onClose: () => void }) {
  const flag = useQuery(queries.flag(flagKey));
  return (
    <section
      className="panel"
      aria-labelledby="exposures-heading"
      aria-busy={flag.isFetching}
      data-testid="flag-exposures"
    >
      <div className="panel-head">
        <h2 id="exposures-heading">
          Exposures of <code>{flagKey}</code>
        </h2>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <QueryState query={flag} errorTitle="Could not load the flag" compact />
      {flag.data && flag.data.definition.variants.length === 0 && flag.data.exposures.length === 0 ? (
        <p className="muted">
          This flag has no variants, so no exposures are counted: callers only learn whether it is on.
        </p>
      ) : null}
      {flag.data && (flag.data.definition.variants.length > 0 || flag.data.exposures.length > 0) ? (
        <DataTable columns={["Variant", numeric("Exposures"), numeric("Share served"), numeric("Share by weight")]}>
          {rows(flag.data).map((r) => (
            <tr key={r.name}>
              <th scope="row">
                <code>{r.name}</code>
              </th>
              <td className="num">{r.count}</td>
              <td className="num">{r.share}</td>
              <td className="num">{r.target}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
