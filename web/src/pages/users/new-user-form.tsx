// Platform admins create accounts (the way in when sign-up is admin-only). The new person
// gets a personal workspace and can then be added to others on their Members page.
import { useId, useState, type FormEvent } from "react";
import type { PlatformRole } from "@hive/shared/api-client";
import { api } from "../../api";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
import { FormError } from "../../ui/form-error";
import { useAction } from "../../ui/use-action";

const EMPTY = { email: "", name: "", password: "", platformRole: "member" as PlatformRole };

export function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const id = useId();
  const [values, setValues] = useState(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const create = useAction(async () => {
    const user = await api.users.create({ email: values.email.trim(), password: values.password, platform_role: values.platformRole, ...(values.name.trim() ? { name: values.name.trim() } : {}) });
    setCreated(user.email);
    setValues(EMPTY);
    onCreated();
  });
  const fields = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    void create.run();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New user</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-email`} label="Email" error={fields.email}>
            <input id={`${id}-email`} className="input" type="email" required autoComplete="off" value={values.email} onChange={(e) => setValues({ ...values, email: e.target.value })} aria-describedby={describedBy(`${id}-email`, false, fields.email)} />
          </Field>
          <Field id={`${id}-name`} label="Name (optional)" error={fields.name}>
            <input id={`${id}-name`} className="input" maxLength={100} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />
          </Field>
        </div>
        <div className="field-row">
          <Field id={`${id}-password`} label="Initial password" hint="At least 12 characters; they can change it under Account." error={fields.password}>
            <input id={`${id}-password`} className="input" type="password" required minLength={12} autoComplete="new-password" value={values.password} onChange={(e) => setValues({ ...values, password: e.target.value })} aria-describedby={describedBy(`${id}-password`, true, fields.password)} />
          </Field>
          <Field id={`${id}-role`} label="Platform role">
            <select id={`${id}-role`} className="input" value={values.platformRole} onChange={(e) => setValues({ ...values, platformRole: e.target.value as PlatformRole })}>
              <option value="member">Member</option>
              <option value="platform_admin">Platform admin</option>
            </select>
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={create.busy}>
            {create.busy ? "Creating…" : "Create user"}
          </button>
          {created ? (
            <span role="status" className="muted">
              Created {created}.
            </span>
          ) : null}
        </div>
        <FormError error={create.error} shown={["email", "name", "password"]} />
      </form>
    </section>
  );
}
