// The invitations a workspace's admins have sent and nobody has answered yet, each revocable
// until it is accepted. Shown to admins only (the API lists them to admins only).

import type { Invitation } from "@hive/shared/api-client";
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
import { roleLabel } from "./roles";

const PAGE_SIZE = 50;

function PendingRow({ invitation, workspaceId }: { invitation: Invitation; workspaceId: string }) {
  const revoke = useMutation({
    mutationFn: () => api.invitations.revoke(workspaceId, invitation.id),
    meta: { invalidates: [queryKeys.invitations.all] },
  });
  return (
    <tr data-testid="invitation-row">
      <th scope="row">{invitation.email}</th>
      <td>{roleLabel(invitation.role)}</td>
      <TimeCell iso={invitation.expires_at} />
      <td className="row-actions">
        <ConfirmMutation
          label="Revoke"
          question={`Revoke the invitation to ${invitation.email}?`}
          confirmLabel="Revoke invitation"
          mutation={revoke}
        />
        <InlineError error={revoke.error} />
      </td>
    </tr>
  );
}

export function PendingInvitations({ workspaceId }: { workspaceId: string }) {
  const params = { status: "pending", limit: PAGE_SIZE } as const;
  const pending = useQuery(queries.invitations(workspaceId, params));
  return (
    <ListPanel id="pending-invitations-heading" title="Pending invitations" busy={pending.isFetching}>
      <QueryState query={pending} errorTitle="Could not load the invitations" compact />
      {pending.data && pending.data.data.length === 0 ? (
        <p className="muted">No invitations are waiting for an answer.</p>
      ) : null}
      {pending.data && pending.data.data.length > 0 ? (
        <DataTable columns={["Email", "Role", "Expires", ACTIONS]}>
          {pending.data.data.map((i) => (
            <PendingRow key={i.id} invitation={i} workspaceId={workspaceId} />
          ))}
        </DataTable>
      ) : null}
    </ListPanel>
  );
}
