// The attributes of the span chosen in the waterfall: its facts, its OpenTelemetry attributes
// (gen_ai.*, http.*, db.*) sorted by name, and its events (an exception, the first token).
import type { TraceSpan } from "@hive/shared/api-client";
import { Fragment, type ReactNode } from "react";
import { DataTable } from "../../ui/data-table";
import { formatMs } from "./waterfall";

export type Fact = readonly [label: string, value: ReactNode];

/** A `.facts` list: label and value pairs in one grid. */
export function Facts({ facts, testId }: { facts: readonly Fact[]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {facts.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function SpanPanel({ span }: { span: TraceSpan }) {
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b));
  const facts: Fact[] = [
    ["Kind", span.kind],
    ["Status", span.status],
    ["Start", `${formatMs(span.offset_ms)} after the trace started`],
    ["Duration", formatMs(span.duration_ms)],
    ["Span id", span.span_id],
    ["Parent", span.parent_span_id ?? "none (a root)"],
  ];
  if (span.status_message) facts.splice(2, 0, ["Error", span.status_message]);
  return (
    <section className="panel span-panel" aria-labelledby="span-panel-heading" data-testid="span-panel">
      <h2 id="span-panel-heading">
        Span <code>{span.name}</code>
      </h2>
      <Facts facts={facts} />
      <h3>Attributes</h3>
      {attributes.length === 0 ? (
        <p className="muted">No attributes.</p>
      ) : (
        <DataTable columns={["Name", "Value"]}>
          {attributes.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <code>{k}</code>
              </th>
              <td>{String(v)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {span.events.length ? (
        <>
          <h3>Events</h3>
          <ul>
            {span.events.map((e, i) => (
              <li key={`${e.name}-${i}`}>
                <code>{e.name}</code> at {formatMs(e.offset_ms)}
                {Object.keys(e.attributes).length ? ` (${JSON.stringify(e.attributes)})` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
