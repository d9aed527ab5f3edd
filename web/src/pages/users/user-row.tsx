// One account: platform admins change its platform role and disable or enable it. Disabling
// ends every session and token the account holds at once.

import type { PlatformRole, UpdateUserRequest, User } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { TimeCell } from "../../ui/time";

interface UserRowProps {
  user: User;
  isSelf: boolean;
}

export function UserRow({ user, isSelf }: UserRowProps) {
  const id = useId();
  const update = useMutation({
    mutationFn: (change: UpdateUserRequest) => api.users.update(user.id, change),
    meta: { invalidates: [queryKeys.users.all] },
  });
  return (
    <tr data-testid="user-row">
      <th scope="row">
        {user.name}
        {isSelf ? <span className="muted"> (you)</span> : null}
        <span className="cell-note">{user.email}</span>
      </th>
      <td>{user.kind === "service" ? "service account" : "person"}</td>
      <td>
        <label htmlFor={`${id}-role`} className="visually-hidden">
          Platform role of {user.email}
        </label>
        <select
          id={`${id}-role`}
          className="input"
          value={user.platform_role}
          // The API refuses self-demotion (409) so a platform never loses its last admin by accident.
          disabled={update.isPending || isSelf || user.kind === "service"}
          onChange={(e) => update.mutate({ platform_role: e.target.value as PlatformRole })}
        >
          <option value="member">Member</option>
          <option value="platform_admin">Platform admin</option>
        </select>
      </td>
      <td>
        <span className={`pill ${user.disabled ? "tone-bad" : "tone-ok"}`}>
          {user.disabled ? "disabled" : "active"}
        </span>
      </td>
      <TimeCell iso={user.created_at} />
      <td className="row-actions">
        {user.disabled ? (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={update.isPending}
            onClick={() => update.mutate({ disabled: false })}
          >
            Enable
          </button>
        ) : (
          <ConfirmButton
            label="Disable"
            question={`Disable ${user.email}? Their sessions, tokens and keys stop working now.`}
            confirmLabel="Disable"
            disabled={update.isPending || isSelf}
            onConfirm={() => update.mutate({ disabled: true })}
          />
        )}
        <InlineError error={update.error} />
      </td>
    </tr>
  );
}
