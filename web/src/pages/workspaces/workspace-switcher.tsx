// The header's workspace picker: the caller's memberships (from /api/auth/me). Switching
// moves the dashboard session to that workspace (PUT /api/auth/workspace); every page then
// remounts and loads its data there.

import type { MeResponse } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { errorText } from "../../ui/error-text";
import { useSession } from "../auth/session";
import { roleLabel } from "./roles";

export function WorkspaceSwitcher({ me }: { me: MeResponse }) {
  const id = useId();
  const session = useSession();
  const change = useMutation({ mutationFn: (workspaceId: string) => session.switchWorkspace(workspaceId) });
  const { isPending: busy, error } = change;

  return (
    <div className="workspace-switcher">
      <label htmlFor={id}>Workspace</label>
      <select
        id={id}
        className="header-select"
        value={me.workspace.id}
        disabled={busy}
        onChange={(e) => change.mutate(e.target.value)}
      >
        {me.memberships.map((m) => (
          <option key={m.workspace_id} value={m.workspace_id}>
            {m.name} ({roleLabel(m.role).toLowerCase()})
          </option>
        ))}
      </select>
      {error ? (
        <span className="header-error" role="alert">
          Could not switch: {errorText(error)}
        </span>
      ) : null}
    </div>
  );
}
