// One account: platform admins change its platform role and disable or enable it. Disabling
// ends every session and token the account holds at once.

import type { PlatformRole, UpdateUserRequest, User } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { PersonCell, RowSelect } from "../../ui/table-cells";
import { TimeCell } from "../../ui/time";

const PLATFORM_ROLES = [
  ["member", "Member"],
  ["platform_admin", "Platform admin"],
] as const;

interface UserRowProps {
  user: User;
  isSelf: boolean;
}

export function UserRow({ user, isSelf }: UserRowProps) {
  const update = useMutation({
    mutationFn: (change: UpdateUserRequest) => api.users.update(user.id, change),
    meta: { invalidates: [queryKeys.users.all] },
  });
  return (
    <tr data-testid="user-row">
      <PersonCell name={user.name} email={user.email} isSelf={isSelf} />
      <td>{user.kind === "service" ? "service account" : "person"}</td>
      <td>
        <RowSelect
          label={`Platform role of ${user.email}`}
          value={user.platform_role}
          // The API refuses self-demotion (409) so a platform never loses its last admin by accident.
          disabled={update.isPending || isSelf || user.kind === "service"}
          onValue={(v) => update.mutate({ platform_role: v as PlatformRole })}
          options={PLATFORM_ROLES}
        />
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
