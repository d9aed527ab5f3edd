// One member: admins change the role in place or remove them; others only read.

import type { Member, WorkspaceRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmMutation } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { PersonCell, RowSelect } from "../../ui/table-cells";
import { TimeCell } from "../../ui/time";
import { useSession } from "../auth/session";
import { roleLabel, WORKSPACE_ROLES } from "./roles";

const ROLE_OPTIONS = WORKSPACE_ROLES.map((r) => [r.role, r.label] as const);

interface MemberRowProps {
  workspaceId: string;
  member: Member;
  isSelf: boolean;
  canManage: boolean;
}

export function MemberRow({ workspaceId, member, isSelf, canManage }: MemberRowProps) {
  const session = useSession();
  // A change to the caller's own membership changes what the whole dashboard may show.
  const afterChange = () => (isSelf ? session.reload() : undefined);
  const meta = { invalidates: [queryKeys.members.all] };
  const change = useMutation({
    mutationFn: (role: WorkspaceRole) => api.workspaces.changeRole(workspaceId, member.user_id, role),
    onSuccess: afterChange,
    meta,
  });
  const remove = useMutation({
    mutationFn: () => api.workspaces.removeMember(workspaceId, member.user_id),
    onSuccess: afterChange,
    meta,
  });
  const error = change.error ?? remove.error;
  return (
    <tr data-testid="member-row">
      <PersonCell name={member.name} email={member.email} isSelf={isSelf}>
        {member.kind === "service" ? <span className="pill tone-neutral">service account</span> : null}
      </PersonCell>
      <td>
        {canManage ? (
          <RowSelect
            label={`Role of ${member.email}`}
            value={member.role}
            disabled={change.isPending}
            onValue={(v) => change.mutate(v as WorkspaceRole)}
            options={ROLE_OPTIONS}
          />
        ) : (
          roleLabel(member.role)
        )}
        <InlineError error={error} />
      </td>
      <TimeCell iso={member.created_at} />
      <td className="row-actions">
        {canManage ? (
          <ConfirmMutation
            label="Remove"
            question={isSelf ? "Leave this workspace?" : `Remove ${member.email}?`}
            confirmLabel={isSelf ? "Leave" : "Remove"}
            mutation={remove}
          />
        ) : null}
      </td>
    </tr>
  );
}
