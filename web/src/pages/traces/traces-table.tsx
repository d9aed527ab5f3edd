// A kept trace as a table row: it links to its waterfall; errors, blocked and degraded turns
// are said in words, not only by colour.
import type { TraceSummary } from "@hive/shared/api-client";
import { numeric } from "../../ui/data-table";
import { NameCell } from "../../ui/table-cells";
import { Time } from "../../ui/time";
import { tracePath } from "./trace-link";
import { formatMs } from "./waterfall";

export function TraceFlags({ trace }: { trace: Pick<TraceSummary, "error" | "blocked" | "degraded"> }) {
  return (
    <>
      {trace.error ? <span className="pill tone-bad">error</span> : null}
      {trace.blocked ? <span className="pill tone-warn">blocked</span> : null}
      {trace.degraded ? <span className="pill tone-warn">degraded</span> : null}
    </>
  );
}

export const TRACE_COLUMNS = ["Started", "Trace", "Status", numeric("Duration"), numeric("Spans"), "Flags"];

export function TraceRow({ trace: t }: { trace: TraceSummary }) {
  return (
    <tr data-testid="trace-row">
      <td>
        <Time iso={t.started_at} />
      </td>
      <NameCell to={tracePath(t.trace_id)} name={t.name} note={<code>{t.trace_id}</code>} />
      <td>{t.status ?? "—"}</td>
      <td className="num">{formatMs(t.duration_ms)}</td>
      <td className="num">{t.span_count}</td>
      <td>
        <TraceFlags trace={t} />
        <span className="cell-note">kept: {t.kept_because}</span>
      </td>
    </tr>
  );
}
