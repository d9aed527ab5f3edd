// Name, scopes (the API's full list) and an optional expiry date for a new key. A key can
// never do more than its creator's role here allows; the API refuses scopes beyond it.

import { API_KEY_SCOPES, type ApiKeyScope, type CreatedApiKey, scopeNames } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { CheckboxItem, labelled, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { FormPanel } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The end of the chosen day, in the reader's time zone. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const [expires, setExpires] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api.keys.create({ name: name.trim(), scopes, ...(expires ? { expires_at: endOfDay(expires) } : {}) }),
    onSuccess: (key) => {
      setName("");
      setScopes([]);
      setExpires("");
      onCreated(key);
    },
    meta: { invalidates: [queryKeys.keys.all] },
  });
  const fields = fieldErrors(create.error);
  const at = labelled(id, fields);
  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));
  const now = Date.now();

  return (
    <FormPanel title="Create a key" onSubmit={() => create.mutate()}>
      <div className="field-row">
        <TextField
          {...at("name", "Name")}
          hint="What uses it, e.g. “CI deploy”."
          required
          maxLength={100}
          value={name}
          onValue={setName}
        />
        <TextField
          {...at("expires", "Expires on (optional)", "expires_at")}
          hint="Empty: never. At most two years."
          type="date"
          min={isoDate(now + DAY_MS)}
          max={isoDate(now + 2 * 365 * DAY_MS - DAY_MS)}
          value={expires}
          onValue={setExpires}
        />
      </div>
      <fieldset className="field">
        <legend>Scopes</legend>
        <ul className="checkbox-list">
          {scopeNames().map((scope) => (
            <CheckboxItem key={scope} checked={scopes.includes(scope)} onChecked={(on) => toggle(scope, on)}>
              <span>
                <code>{scope}</code>
                <span className="cell-note">{API_KEY_SCOPES[scope]}</span>
              </span>
            </CheckboxItem>
          ))}
        </ul>
        {fields.scopes ? <p className="field-error">{fields.scopes}</p> : null}
      </fieldset>
      <SubmitRow
        label="Create key"
        busyLabel="Creating…"
        mutation={create}
        disabled={scopes.length === 0}
        shown={["name", "expires_at", "scopes"]}
      >
        {scopes.length === 0 ? <span className="muted small">Choose at least one scope.</span> : null}
      </SubmitRow>
    </FormPanel>
  );
}
