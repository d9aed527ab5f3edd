// The invitations a workspace's admins have sent and nobody has answered yet, each revocable
// until it is accepted. Shown to admins only (the API lists them to admins only).
import type { Invitation } from "@hive/shared/api-client";
import { ConfirmButton } from "../../ui/confirm-button";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { ErrorPanel } from "../../ui/error-panel";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import type { ApiState } from "../../ui/use-api";
import { useAction } from "../../ui/use-action";
import { roleLabel } from "./roles";

function PendingRow({ invitation, onRevoke }: { invitation: Invitation; onRevoke: (invitation: Invitation) => Promise<void> }) {
  const revoke = useAction(() => onRevoke(invitation));
  return (
    <tr data-testid="invitation-row">
      <th scope="row">{invitation.email}</th>
      <td>{roleLabel(invitation.role)}</td>
      <td>
        <Time iso={invitation.expires_at} />
      </td>
      <td className="row-actions">
        <ConfirmButton label="Revoke" question={`Revoke the invitation to ${invitation.email}?`} confirmLabel="Revoke invitation" disabled={revoke.busy} onConfirm={() => void revoke.run()} />
        <InlineError error={revoke.error} />
      </td>
    </tr>
  );
}

export function PendingInvitations({ pending, onRevoke }: { pending: ApiState<{ data: Invitation[] }>; onRevoke: (invitation: Invitation) => Promise<void> }) {
  return (
    <section className="panel" aria-labelledby="pending-invitations-heading" aria-busy={pending.loading}>
      <h2 id="pending-invitations-heading">Pending invitations</h2>
      {pending.error ? <ErrorPanel title="Could not load the invitations" error={pending.error} onRetry={pending.reload} /> : null}
      {pending.data && pending.data.data.length === 0 ? <p className="muted">No invitations are waiting for an answer.</p> : null}
      {pending.data && pending.data.data.length > 0 ? (
        <DataTable columns={["Email", "Role", "Expires", ACTIONS]}>
          {pending.data.data.map((i) => (
            <PendingRow key={i.id} invitation={i} onRevoke={onRevoke} />
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
