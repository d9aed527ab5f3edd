// One member: admins change the role in place or remove them; others only read.
import { useId } from "react";
import type { Member, WorkspaceRole } from "@hive/shared/api-client";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { roleLabel, WORKSPACE_ROLES } from "./roles";

interface MemberRowProps {
  member: Member;
  isSelf: boolean;
  canManage: boolean;
  onChangeRole: (member: Member, role: WorkspaceRole) => Promise<void>;
  onRemove: (member: Member) => Promise<void>;
}

export function MemberRow({ member, isSelf, canManage, onChangeRole, onRemove }: MemberRowProps) {
  const id = useId();
  const change = useAction((role: WorkspaceRole) => onChangeRole(member, role));
  const remove = useAction(() => onRemove(member));
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
              disabled={change.busy}
              onChange={(e) => void change.run(e.target.value as WorkspaceRole)}
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
      <td>
        <Time iso={member.created_at} />
      </td>
      <td className="row-actions">
        {canManage ? (
          <ConfirmButton
            label="Remove"
            question={isSelf ? "Leave this workspace?" : `Remove ${member.email}?`}
            confirmLabel={isSelf ? "Leave" : "Remove"}
            disabled={remove.busy}
            onConfirm={() => void remove.run()}
          />
        ) : null}
      </td>
    </tr>
  );
}
