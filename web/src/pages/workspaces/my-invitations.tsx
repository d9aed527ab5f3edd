// Invitations to other workspaces sent to the signed-in person's email, with Accept and
// Decline. Accepting is the only way into a workspace; afterwards the header's workspace
// picker lists it. Hidden when there is nothing to answer.

import type { MyInvitation } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { InlineError } from "../../ui/inline-error";
import { QueryState } from "../../ui/query-state";
import { TimeCell } from "../../ui/time";
import { useSession } from "../auth/session";
import { roleLabel } from "./roles";

function InvitationRow({ invitation }: { invitation: MyInvitation }) {
  const session = useSession();
  const meta = { invalidates: [queryKeys.invitations.mine] };
  // A new membership belongs in the header's workspace picker.
  const accept = useMutation({
    mutationFn: () => api.invitations.accept(invitation.id),
    onSuccess: () => session.reload(),
    meta,
  });
  const decline = useMutation({ mutationFn: () => api.invitations.decline(invitation.id), meta });
  const busy = accept.isPending || decline.isPending;
  const answers = [
    { label: "Accept", className: "button button-small", mutation: accept },
    { label: "Decline", className: "button button-secondary button-small", mutation: decline },
  ];
  return (
    <tr data-testid="my-invitation-row">
      <th scope="row">{invitation.workspace.name}</th>
      <td>{roleLabel(invitation.role)}</td>
      <td>
        {invitation.invited_by.name}
        <span className="cell-note">{invitation.invited_by.email}</span>
      </td>
      <TimeCell iso={invitation.expires_at} />
      <td className="row-actions">
        {answers.map((a) => (
          <button
            key={a.label}
            type="button"
            className={a.className}
            disabled={busy}
            onClick={() => a.mutation.mutate()}
            aria-label={`${a.label} the invitation to ${invitation.workspace.name}`}
          >
            {a.label}
          </button>
        ))}
        <InlineError error={accept.error ?? decline.error} />
      </td>
    </tr>
  );
}

export function MyInvitations() {
  const mine = useQuery(queries.myInvitations());
  if (mine.error) return <QueryState query={mine} errorTitle="Could not load your invitations" />;
  if (!mine.data || mine.data.data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="my-invitations-heading">
      <h2 id="my-invitations-heading">Invitations for you</h2>
      <DataTable columns={["Workspace", "Role", "Invited by", "Expires", ACTIONS]}>
        {mine.data.data.map((i) => (
          <InvitationRow key={i.id} invitation={i} />
        ))}
      </DataTable>
    </section>
  );
}
