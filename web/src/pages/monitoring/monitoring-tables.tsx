// The window's figures per agent and per model, as tables (the charts' figures in words).
import type { MonitoringAgentRow, MonitoringModelRow } from "@hive/shared/api-client";
import { Link } from "../../router/link";
import { DataTable } from "../../ui/data-table";
import { cost, int, ms, percent } from "./format";

export function AgentTable({ rows }: { rows: MonitoringAgentRow[] }) {
  if (rows.length === 0) return <p className="muted">No agent traffic in this window.</p>;
  return (
    <DataTable
      columns={[
        "Agent",
        { label: "Requests", num: true },
        { label: "Error rate", num: true },
        { label: "p50", num: true },
        { label: "p95", num: true },
        { label: "Model calls", num: true },
        { label: "Tokens in / out", num: true },
        { label: "Cost", num: true },
      ]}
    >
      {rows.map((a) => (
        <tr key={a.agent_id} data-agent-id={a.agent_id}>
          <td>
            <Link to={`/agent/${encodeURIComponent(a.agent_id)}`}>{a.name}</Link>
          </td>
          <td className="num">{int(a.requests)}</td>
          <td className="num">{percent(a.error_rate)}</td>
          <td className="num">{ms(a.p50_ms)}</td>
          <td className="num">{ms(a.p95_ms)}</td>
          <td className="num">{int(a.model_calls)}</td>
          <td className="num">
            {int(a.input_tokens)} / {int(a.output_tokens)}
          </td>
          <td className="num">{cost(a.cost_usd)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function ModelTable({ rows }: { rows: MonitoringModelRow[] }) {
  if (rows.length === 0) return <p className="muted">No model calls recorded in this window.</p>;
  return (
    <DataTable
      columns={[
        "Provider",
        "Model",
        { label: "Calls", num: true },
        { label: "Errors", num: true },
        { label: "Tokens in / out", num: true },
        { label: "Cost", num: true },
        { label: "Average latency", num: true },
      ]}
    >
      {rows.map((m) => (
        <tr key={`${m.provider}:${m.model}`}>
          <td>{m.provider}</td>
          <td>{m.model}</td>
          <td className="num">{int(m.calls)}</td>
          <td className="num">{int(m.errors)}</td>
          <td className="num">
            {int(m.input_tokens)} / {int(m.output_tokens)}
          </td>
          <td className="num">{cost(m.cost_usd)}</td>
          <td className="num">{ms(m.avg_latency_ms)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
