// /traces/:id: one trace's facts, its waterfall, and the attributes of the span chosen in it
// (the root at first). Links lead on to the conversation, swarm run or agent it belongs to.
import { HiveApiError, type TraceDetail } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { QueryState } from "../../ui/query-state";
import { Time } from "../../ui/time";
import { type Fact, Facts, SpanPanel } from "./span-panel";
import { TraceFlags } from "./traces-table";
import { formatMs, Waterfall } from "./waterfall";
import "../../styles/traces.css";

function traceFacts(trace: TraceDetail): Fact[] {
  const facts: Fact[] = [
    ["Status", trace.status ?? "—"],
    ["Duration", formatMs(trace.duration_ms)],
    ["Started", <Time key="t" iso={trace.started_at} />],
    ["Spans", trace.spans.length],
    [
      "Kept because",
      <>
        {trace.kept_because} <TraceFlags trace={trace} />
      </>,
    ],
  ];
  const agent = trace.agent_id ? `/agent/${encodeURIComponent(trace.agent_id)}` : null;
  if (agent) facts.push(["Agent", <Link to={agent}>{trace.agent_id}</Link>]);
  if (trace.conversation_id)
    facts.push([
      "Conversation",
      agent ? (
        <Link to={`${agent}/chat/${encodeURIComponent(trace.conversation_id)}`}>{trace.conversation_id}</Link>
      ) : (
        <code>{trace.conversation_id}</code>
      ),
    ]);
  if (trace.run_id)
    facts.push(["Swarm run", <Link to={`/swarm/${encodeURIComponent(trace.run_id)}`}>{trace.run_id}</Link>]);
  return facts;
}

export function TracePage({ traceId }: { traceId: string }) {
  const query = useQuery(queries.trace(traceId));
  const [chosen, setChosen] = useState<string | null>(null);
  const trace = query.data;
  const selected = trace?.spans.find((s) => s.span_id === chosen) ?? trace?.spans[0];
  return (
    <Page title={trace ? `Trace ${trace.name}` : "Trace"} lead={<code>{traceId}</code>}>
      <p>
        <Link to="/traces">All traces</Link>
      </p>
      <QueryState query={query} errorTitle="Could not load the trace" />
      {query.error instanceof HiveApiError && query.error.status === 404 ? (
        <p className="muted" data-testid="trace-not-kept">
          Traces are sampled: every error, blocked, degraded and slow request is kept, and a share of the rest, for a
          number of days. A trace that was not kept, or has expired, cannot be shown.
        </p>
      ) : null}
      {trace ? (
        <>
          <section className="panel" aria-labelledby="trace-facts-heading">
            <h2 id="trace-facts-heading">Summary</h2>
            <Facts facts={traceFacts(trace)} testId="trace-facts" />
          </section>
          <section className="panel" aria-labelledby="waterfall-heading">
            <h2 id="waterfall-heading">Waterfall</h2>
            {trace.spans.length === 0 ? (
              <p className="muted">No spans were kept for this trace.</p>
            ) : (
              <Waterfall trace={trace} selected={selected?.span_id ?? null} onSelect={setChosen} />
            )}
          </section>
          {selected ? <SpanPanel span={selected} /> : null}
        </>
      ) : null}
    </Page>
  );
}
