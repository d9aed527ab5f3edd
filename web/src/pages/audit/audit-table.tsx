// An audit entry as a table row; the free-form detail of each is folded away until asked for.
import type { AuditEntry } from "@hive/shared/api-client";
import { Time } from "../../ui/time";
import { TraceLink } from "../traces/trace-link";

const OUTCOME_TONE = { success: "tone-ok", failure: "tone-bad", denied: "tone-warn" } as const;

export const AUDIT_COLUMNS = ["Time", "Action", "Outcome", "Actor", "Target", "Detail"];

export function AuditRow({ entry: e }: { entry: AuditEntry }) {
  return (
    <tr data-testid="audit-row">
      <td>
        <Time iso={e.created_at} />
        {e.ip ? <span className="cell-note">{e.ip}</span> : null}
      </td>
      <th scope="row">
        <code>{e.action}</code>
      </th>
      <td>
        <span className={`pill ${OUTCOME_TONE[e.outcome]}`}>{e.outcome}</span>
      </td>
      <td>
        {e.actor_email ? (
          <span title={e.actor_id ?? undefined}>
            {e.actor_name ? `${e.actor_name} (${e.actor_email})` : e.actor_email}
          </span>
        ) : e.actor_id ? (
          <code>{e.actor_id}</code>
        ) : (
          <span className="muted">none</span>
        )}
        <span className="cell-note">{e.actor_kind}</span>
      </td>
      <td>
        {e.target_id ? <code>{e.target_id}</code> : <span className="muted">none</span>}
        {e.target_type ? <span className="cell-note">{e.target_type}</span> : null}
      </td>
      <td>
        {e.detail && Object.keys(e.detail).length > 0 ? (
          <details>
            <summary>Show</summary>
            <pre className="audit-detail">{JSON.stringify(e.detail, null, 2)}</pre>
          </details>
        ) : null}
        {e.request_id ? <span className="cell-note">{e.request_id}</span> : null}
        {e.trace_id ? (
          <span className="cell-note">
            <TraceLink traceId={e.trace_id} />
          </span>
        ) : null}
      </td>
    </tr>
  );
}
