// Invitations to other workspaces sent to the signed-in person's email, with Accept and
// Decline. Accepting is the only way into a workspace; afterwards the header's workspace
// picker lists it. Hidden when there is nothing to answer.
import type { MyInvitation } from "@hive/shared/api-client";
import { api } from "../../api";
import { DataTable, ACTIONS } from "../../ui/data-table";
import { ErrorPanel } from "../../ui/error-panel";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import { useApi } from "../../ui/use-api";
import { useAction } from "../../ui/use-action";
import { useSession } from "../auth/session";
import { roleLabel } from "./roles";

function InvitationRow({ invitation, onAnswered }: { invitation: MyInvitation; onAnswered: (joined: boolean) => Promise<void> }) {
  const accept = useAction(async () => {
    await api.invitations.accept(invitation.id);
    await onAnswered(true);
  });
  const decline = useAction(async () => {
    await api.invitations.decline(invitation.id);
    await onAnswered(false);
  });
  const busy = accept.busy || decline.busy;
  return (
    <tr data-testid="my-invitation-row">
      <th scope="row">{invitation.workspace.name}</th>
      <td>{roleLabel(invitation.role)}</td>
      <td>
        {invitation.invited_by.name}
        <span className="cell-note">{invitation.invited_by.email}</span>
      </td>
      <td>
        <Time iso={invitation.expires_at} />
      </td>
      <td className="row-actions">
        <button type="button" className="button button-small" disabled={busy} onClick={() => void accept.run()} aria-label={`Accept the invitation to ${invitation.workspace.name}`}>
          Accept
        </button>
        <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => void decline.run()} aria-label={`Decline the invitation to ${invitation.workspace.name}`}>
          Decline
        </button>
        <InlineError error={accept.error ?? decline.error} />
      </td>
    </tr>
  );
}

export function MyInvitations() {
  const session = useSession();
  const mine = useApi((signal) => api.invitations.mine({ limit: 100 }, { signal }), []);
  const answered = async (joined: boolean) => {
    mine.reload();
    // A new membership belongs in the header's workspace picker.
    if (joined) await session.reload();
  };
  if (mine.error) return <ErrorPanel title="Could not load your invitations" error={mine.error} onRetry={mine.reload} />;
  if (!mine.data || mine.data.data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="my-invitations-heading">
      <h2 id="my-invitations-heading">Invitations for you</h2>
      <DataTable columns={["Workspace", "Role", "Invited by", "Expires", ACTIONS]}>
        {mine.data.data.map((i) => (
          <InvitationRow key={i.id} invitation={i} onAnswered={answered} />
        ))}
      </DataTable>
    </section>
  );
}
