// My signed-in browsers, with a way to end any of them (a lost laptop, a shared computer).
import type { Session } from "@hive/shared/api-client";
import { api } from "../../api";
import { ConfirmButton } from "../../ui/confirm-button";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { ErrorPanel } from "../../ui/error-panel";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import type { ApiState } from "../../ui/use-api";

function SessionRow({ session, onEnded }: { session: Session; onEnded: () => void }) {
  const end = useAction(async () => {
    await api.auth.endSession(session.id);
    onEnded();
  });
  return (
    <tr>
      <th scope="row">
        {session.user_agent ?? <span className="muted">unknown browser</span>}
        {session.current ? <span className="pill tone-ok">this browser</span> : null}
        {session.ip ? <span className="cell-note">{session.ip}</span> : null}
      </th>
      <td>
        <Time iso={session.created_at} />
      </td>
      <td>
        <Time iso={session.expires_at} />
      </td>
      <td className="row-actions">
        {session.current ? null : <ConfirmButton label="End" question="End this session?" confirmLabel="End session" disabled={end.busy} onConfirm={() => void end.run()} />}
        <InlineError error={end.error} />
      </td>
    </tr>
  );
}

export function SessionsPanel({ sessions }: { sessions: ApiState<{ data: Session[] }> }) {
  return (
    <section className="panel" aria-labelledby="sessions-heading" aria-busy={sessions.loading}>
      <h2 id="sessions-heading">Signed-in sessions</h2>
      {sessions.error ? <ErrorPanel title="Could not load your sessions" error={sessions.error} onRetry={sessions.reload} /> : null}
      {sessions.data ? (
        <DataTable columns={["Browser", "Signed in", "Expires", ACTIONS]}>
          {sessions.data.data.map((s) => (
            <SessionRow key={s.id} session={s} onEnded={sessions.reload} />
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
