// My signed-in browsers, with a way to end any of them (a lost laptop, a shared computer).

import type { Session } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { ConfirmMutation } from "../../ui/confirm-button";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { InlineError } from "../../ui/inline-error";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { TimeCell } from "../../ui/time";

function SessionRow({ session }: { session: Session }) {
  const end = useMutation({
    mutationFn: () => api.auth.endSession(session.id),
    meta: { invalidates: [queryKeys.sessions.all] },
  });
  return (
    <tr>
      <th scope="row">
        {session.user_agent ?? <span className="muted">unknown browser</span>}
        {session.current ? <span className="pill tone-ok">this browser</span> : null}
        {session.ip ? <span className="cell-note">{session.ip}</span> : null}
      </th>
      <TimeCell iso={session.created_at} />
      <TimeCell iso={session.expires_at} />
      <td className="row-actions">
        {session.current ? null : (
          <ConfirmMutation label="End" question="End this session?" confirmLabel="End session" mutation={end} />
        )}
        <InlineError error={end.error} />
      </td>
    </tr>
  );
}

export function SessionsPanel() {
  const sessions = useQuery(queries.sessions());
  return (
    <ListPanel id="sessions-heading" title="Signed-in sessions" busy={sessions.isFetching}>
      <QueryState query={sessions} errorTitle="Could not load your sessions" compact />
      {sessions.data ? (
        <DataTable columns={["Browser", "Signed in", "Expires", ACTIONS]}>
          {sessions.data.data.map((s) => (
            <SessionRow key={s.id} session={s} />
          ))}
        </DataTable>
      ) : null}
    </ListPanel>
  );
}
