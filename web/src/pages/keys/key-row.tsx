// One API key: what it is and can do, when it was last used, and its revoke button.

import { type ApiKey, keyStatus } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmMutation } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { Time, TimeCell } from "../../ui/time";

const STATUS_TONE = { active: "tone-ok", expired: "tone-warn", revoked: "tone-bad" } as const;

function When({ iso, missing }: { iso: string | null; missing: string }) {
  return iso ? <Time iso={iso} /> : <span className="muted">{missing}</span>;
}

export function KeyRow({ apiKey, ownerNote }: { apiKey: ApiKey; ownerNote: string | null }) {
  const revoke = useMutation({
    mutationFn: () => api.keys.revoke(apiKey.id),
    meta: { invalidates: [queryKeys.keys.all] },
  });
  const status = keyStatus(apiKey);
  return (
    <tr data-testid="key-row" data-key-id={apiKey.id}>
      <th scope="row">
        {apiKey.name}
        {ownerNote ? <span className="cell-note">{ownerNote}</span> : null}
      </th>
      <td>
        <code>{apiKey.prefix}</code>
      </td>
      <td>{apiKey.scopes.join(", ")}</td>
      <TimeCell iso={apiKey.created_at} />
      <td>
        <When iso={apiKey.last_used_at} missing="never" />
      </td>
      <td>
        <When iso={apiKey.expires_at} missing="never" />
      </td>
      <td>
        <span className={`pill ${STATUS_TONE[status]}`} data-testid="key-status">
          {status}
        </span>
      </td>
      <td className="row-actions">
        {status !== "revoked" ? (
          <ConfirmMutation
            label="Revoke"
            question={`Revoke “${apiKey.name}”? It stops working at once.`}
            confirmLabel="Revoke key"
            mutation={revoke}
          />
        ) : null}
        <InlineError error={revoke.error} />
      </td>
    </tr>
  );
}
