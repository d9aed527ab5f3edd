// The window's figures per agent and per model, as tables (the charts' figures in words).
import type { MonitoringAgentRow, MonitoringModelRow } from "@hive/shared/api-client";
import { Link } from "../../router/link";
import { numeric } from "../../ui/data-table";
import { ListTable } from "../../ui/list-table";
import { cost, inOut, int, ms, percent } from "./format";

export function AgentTable({ rows }: { rows: MonitoringAgentRow[] }) {
  return (
    <ListTable
      rows={rows}
      empty={<p className="muted">No agent traffic in this window.</p>}
      columns={[
        "Agent",
        numeric("Requests"),
        numeric("Error rate"),
        numeric("p50"),
        numeric("p95"),
        numeric("Model calls"),
        numeric("Tokens in / out"),
        numeric("Cost"),
      ]}
      row={(a) => (
        <tr key={a.agent_id} data-agent-id={a.agent_id}>
          <td>
            <Link to={`/agent/${encodeURIComponent(a.agent_id)}`}>{a.name}</Link>
          </td>
          <td className="num">{int(a.requests)}</td>
          <td className="num">{percent(a.error_rate)}</td>
          <td className="num">{ms(a.p50_ms)}</td>
          <td className="num">{ms(a.p95_ms)}</td>
          <td className="num">{int(a.model_calls)}</td>
          <td className="num">{inOut(a.input_tokens, a.output_tokens)}</td>
          <td className="num">{cost(a.cost_usd)}</td>
        </tr>
      )}
    />
  );
}

export function ModelTable({ rows }: { rows: MonitoringModelRow[] }) {
  return (
    <ListTable
      rows={rows}
      empty={<p className="muted">No model calls recorded in this window.</p>}
      columns={[
        "Provider",
        "Model",
        numeric("Calls"),
        numeric("Errors"),
        numeric("Tokens in / out"),
        numeric("Cost"),
        numeric("Average latency"),
      ]}
      row={(m) => (
        <tr key={`${m.provider}:${m.model}`}>
          <td>{m.provider}</td>
          <td>{m.model}</td>
          <td className="num">{int(m.calls)}</td>
          <td className="num">{int(m.errors)}</td>
          <td className="num">{inOut(m.input_tokens, m.output_tokens)}</td>
          <td className="num">{cost(m.cost_usd)}</td>
          <td className="num">{ms(m.avg_latency_ms)}</td>
        </tr>
      )}
    />
  );
}
