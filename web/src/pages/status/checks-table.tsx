import type { ReadyCheck } from "@hive/shared/api-client";

const LABELS: Record<string, string> = {
  d1: "D1 database",
  kv: "KV namespace",
  durable_objects: "Durable Objects",
};

function NoError() {
  return (
    <span className="muted">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">none</span>
    </span>
  );
}

export function ChecksTable({ checks }: { checks: Record<string, ReadyCheck> }) {
  return (
    <table className="checks">
      <caption className="visually-hidden">Readiness checks</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Latency
          </th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(checks).map(([name, check]) => (
          <tr key={name} data-testid={`check-${name}`}>
            <th scope="row">
              <span className="check-label">{LABELS[name] ?? name}</span>
              <code className="check-name">{name}</code>
            </th>
            <td>
              <span className={`pill ${check.ok ? "tone-ok" : "tone-bad"}`} data-testid="check-status">
                {check.ok ? "ok" : "failed"}
              </span>
            </td>
            <td className="num">{check.latency_ms} ms</td>
            <td className="check-error">{check.error ?? <NoError />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
