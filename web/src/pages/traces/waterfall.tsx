// A trace's waterfall: one row per span in tree order, the name indented by nesting, the start
// offset and duration written out, and a bar placed on the trace's time axis. Failed spans carry
// an icon and the word "error", so nothing depends on colour. Choosing a row shows its attributes.
import type { TraceDetail, TraceSpan } from "@hive/shared/api-client";
import { DataTable, numeric } from "../../ui/data-table";

export const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** The bar's place on the axis, in percent; at least a sliver, so a 0 ms span is still seen. */
function barStyle(span: TraceSpan, total: number) {
  const left = total > 0 ? (span.offset_ms / total) * 100 : 0;
  const width = total > 0 ? (span.duration_ms / total) * 100 : 100;
  return { left: `${Math.min(left, 99.5)}%`, width: `${Math.max(0.5, Math.min(width, 100 - left))}%` };
}

interface WaterfallProps {
  trace: TraceDetail;
  selected: string | null;
  onSelect: (spanId: string) => void;
}

export function Waterfall({ trace, selected, onSelect }: WaterfallProps) {
  const total = Math.max(trace.duration_ms, ...trace.spans.map((s) => s.offset_ms + s.duration_ms));
  return (
    <DataTable columns={["Span", numeric("Start"), numeric("Duration"), "Timeline"]}>
      {trace.spans.map((s) => {
        const failed = s.status === "error";
        return (
          <tr
            key={s.span_id}
            data-testid="span-row"
            data-depth={s.depth}
            className={`span-row${failed ? " span-error" : ""}${selected === s.span_id ? " span-selected" : ""}`}
          >
            <th scope="row" style={{ paddingLeft: `${0.5 + s.depth * 1.25}rem` }}>
              <button
                type="button"
                className="link-button span-name"
                aria-pressed={selected === s.span_id}
                onClick={() => onSelect(s.span_id)}
              >
                {s.name}
              </button>
              <span className="cell-note">{s.kind}</span>
              {failed ? (
                <span className="span-failed" data-testid="span-error">
                  <span aria-hidden="true">⚠ </span>error
                </span>
              ) : null}
            </th>
            <td className="num">{formatMs(s.offset_ms)}</td>
            <td className="num">{formatMs(s.duration_ms)}</td>
            <td className="span-track-cell">
              <div className="span-track" aria-hidden="true">
                <div className={`span-bar${failed ? " span-bar-error" : ""}`} style={barStyle(s, total)} />
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
