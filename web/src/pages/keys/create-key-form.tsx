// Name, scopes (the API's full list) and an optional expiry date for a new key. A key can
// never do more than its creator's role here allows; the API refuses scopes beyond it.

import { API_KEY_SCOPES, type ApiKeyScope, type CreatedApiKey, scopeNames } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
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
  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const now = Date.now();

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a key</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-name`} label="Name" hint="What uses it, e.g. “CI deploy”." error={fields.name}>
            <input
              id={`${id}-name`}
              className="input"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-describedby={describedBy(`${id}-name`, true, fields.name)}
            />
          </Field>
          <Field
            id={`${id}-expires`}
            label="Expires on (optional)"
            hint="Empty: never. At most two years."
            error={fields.expires_at}
          >
            <input
              id={`${id}-expires`}
              className="input"
              type="date"
              min={isoDate(now + DAY_MS)}
              max={isoDate(now + 2 * 365 * DAY_MS - DAY_MS)}
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
              aria-describedby={describedBy(`${id}-expires`, true, fields.expires_at)}
            />
          </Field>
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          <ul className="checkbox-list">
            {scopeNames().map((scope) => (
              <li key={scope}>
                <label>
                  <input
                    type="checkbox"
                    checked={scopes.includes(scope)}
                    onChange={(e) => toggle(scope, e.target.checked)}
                  />
                  <span>
                    <code>{scope}</code>
                    <span className="cell-note">{API_KEY_SCOPES[scope]}</span>
                  </span>
                </label>
              </li>
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
      </form>
    </section>
  );
}
