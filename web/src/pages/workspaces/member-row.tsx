// One member: admins change the role in place or remove them; others only read.

import type { Member, WorkspaceRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { TimeCell } from "../../ui/time";
import { useSession } from "../auth/session";
import { roleLabel, WORKSPACE_ROLES } from "./roles";

interface MemberRowProps {
  workspaceId: string;
  member: Member;
  isSelf: boolean;
  canManage: boolean;
}

export function MemberRow({ workspaceId, member, isSelf, canManage }: MemberRowProps) {
  const id = useId();
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
      <th scope="row">
        {member.name}
        {isSelf ? <span className="muted"> (you)</span> : null}
        <span className="cell-note">{member.email}</span>
        {member.kind === "service" ? <span className="pill tone-neutral">service account</span> : null}
      </th>
      <td>
        {canManage ? (
          <>
            <label htmlFor={`${id}-role`} className="visually-hidden">
              Role of {member.email}
            </label>
            <select
              id={`${id}-role`}
              className="input"
              value={member.role}
              disabled={change.isPending}
              onChange={(e) => change.mutate(e.target.value as WorkspaceRole)}
            >
              {WORKSPACE_ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          </>
        ) : (
          roleLabel(member.role)
        )}
        <InlineError error={error} />
      </td>
      <TimeCell iso={member.created_at} />
      <td className="row-actions">
        {canManage ? (
          <ConfirmButton
            label="Remove"
            question={isSelf ? "Leave this workspace?" : `Remove ${member.email}?`}
            confirmLabel={isSelf ? "Leave" : "Remove"}
            disabled={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        ) : null}
      </td>
    </tr>
  );
}
