// Change my password. The API then ends every other session and token of mine, and starts a
// fresh session for this browser.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
import { SubmitRow } from "../../ui/submit-row";

export function PasswordForm() {
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: () => api.auth.changePassword({ current_password: current, new_password: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
    meta: { invalidates: [queryKeys.sessions.all] },
  });
  const fields = fieldErrors(change.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Change password</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-current`} label="Current password" error={fields.current_password}>
            <input
              id={`${id}-current`}
              className="input"
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              aria-describedby={describedBy(`${id}-current`, false, fields.current_password)}
            />
          </Field>
          <Field
            id={`${id}-new`}
            label="New password"
            hint="At least 12 characters; a long passphrase is best."
            error={fields.new_password}
          >
            <input
              id={`${id}-new`}
              className="input"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              value={next}
              onChange={(e) => setNext(e.target.value)}
              aria-describedby={describedBy(`${id}-new`, true, fields.new_password)}
            />
          </Field>
        </div>
        <SubmitRow
          label="Change password"
          busyLabel="Changing…"
          mutation={change}
          shown={["current_password", "new_password"]}
          done={change.isSuccess ? "Changed. Your other sessions and tokens were signed out." : null}
        />
      </form>
    </section>
  );
}
