// /monitoring: the workspace's requests, error rate, p50/p95 latency, tokens and cost over the
// last hour, day or week (kept in the URL), per agent and per model. Refreshes every 10 s while
// the tab is visible (TanStack Query pauses interval refetches in a hidden tab).
import { MONITORING_WINDOWS, type MonitoringResponse, type MonitoringWindow } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { useSearchParams } from "../../router/search-params";
import { type Choice, ChoiceSelect, choiceOf } from "../../ui/filters-choice";
import { QueryState } from "../../ui/query-state";
import { useMe } from "../auth/session";
import { cost, int, ms, percent } from "./format";
import { AgentTable, ModelTable } from "./monitoring-tables";
import { type ChartLine, SeriesChart } from "./series-chart";
import "../../styles/monitoring.css";

const REFRESH_MS = 10_000;

const WINDOW_LABELS: Record<MonitoringWindow, string> = { "1h": "Last hour", "24h": "Last day", "7d": "Last week" };
const WINDOW: Choice<MonitoringWindow> = {
  param: "window",
  options: MONITORING_WINDOWS,
  labels: WINDOW_LABELS,
  fallback: "1h",
};

function Charts({ data }: { data: MonitoringResponse }) {
  const charts = useMemo(() => {
    const s = data.series;
    const t = data.totals;
    return {
      times: s.map((p) => Date.parse(p.t)),
      traffic: [
        { label: "Requests", values: s.map((p) => p.requests), summary: `${int(t.requests)} in the window` },
        {
          label: "Error rate (5xx)",
          values: s.map((p) => (p.error_rate === null ? null : p.error_rate * 100)),
          summary: `${percent(t.error_rate)} (${int(t.errors)} errors)`,
          right: true,
        },
      ],
      latency: [
        { label: "p50", values: s.map((p) => p.p50_ms), summary: ms(t.p50_ms) },
        { label: "p95", values: s.map((p) => p.p95_ms), summary: ms(t.p95_ms) },
      ],
      tokens: [
        { label: "Input tokens", values: s.map((p) => p.input_tokens), summary: int(t.input_tokens) },
        { label: "Output tokens", values: s.map((p) => p.output_tokens), summary: int(t.output_tokens) },
      ],
      cost: [{ label: "Cost (USD)", values: s.map((p) => p.cost_usd), summary: cost(t.cost_usd) }],
    } satisfies Record<string, ChartLine[] | number[]>;
  }, [data]);
  const plain = (v: number | null, l: ChartLine) => (v === null ? "–" : l.right ? `${v.toFixed(1)}%` : int(v));
  return (
    <div className="monitor-grid">
      <SeriesChart
        id="traffic"
        title="Requests and error rate"
        times={charts.times}
        lines={charts.traffic}
        format={plain}
      />
      <SeriesChart id="latency" title="Latency" times={charts.times} lines={charts.latency} format={(v) => ms(v)} />
      <SeriesChart id="tokens" title="Tokens" times={charts.times} lines={charts.tokens} format={plain} />
      <SeriesChart
        id="cost"
        title="Cost"
        times={charts.times}
        lines={charts.cost}
        format={(v) => (v === null ? "–" : cost(v))}
      />
    </div>
  );
}

export function MonitoringPage() {
  const me = useMe();
  const span = choiceOf(useSearchParams(), WINDOW);
  const report = useQuery({
    ...queries.monitoring({ window: span }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });

  return (
    <Page
      title="Monitoring"
      lead={
        <>
          Requests, errors, latency, tokens and cost in <strong>{me.workspace.name}</strong>, refreshed every 10 seconds
          while this tab is open.
        </>
      }
      actions={<ChoiceSelect id="monitoring-window" label="Window" choice={WINDOW} value={span} />}
    >
      <QueryState query={report} errorTitle="Could not load the monitoring figures" />
      {report.data ? (
        <>
          <p className="muted" aria-live="polite">
            {WINDOW_LABELS[report.data.window]}: {int(report.data.totals.requests)} requests,{" "}
            {percent(report.data.totals.error_rate)} errors, p95 {ms(report.data.totals.p95_ms)},{" "}
            {int(report.data.totals.model_calls)} model calls, {cost(report.data.totals.cost_usd)}. Buckets of{" "}
            {report.data.bucket_ms / 60_000} min.
          </p>
          <Charts data={report.data} />
          <section className="panel" aria-labelledby="monitor-agents-heading">
            <h2 id="monitor-agents-heading">Per agent</h2>
            <AgentTable rows={report.data.agents} />
          </section>
          <section className="panel" aria-labelledby="monitor-models-heading">
            <h2 id="monitor-models-heading">Per model</h2>
            <ModelTable rows={report.data.models} />
          </section>
        </>
      ) : null}
    </Page>
  );
}
