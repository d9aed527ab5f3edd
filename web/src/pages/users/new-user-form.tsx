// Platform admins create accounts (the way in when sign-up is admin-only). The new person
// gets a personal workspace and can then be added to others on their Members page.

import type { PlatformRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
import { SubmitRow } from "../../ui/submit-row";

const EMPTY = { email: "", name: "", password: "", platformRole: "member" as PlatformRole };

export function NewUserForm() {
  const id = useId();
  const [values, setValues] = useState(EMPTY);
  const create = useMutation({
    mutationFn: () => {
      const [email, name] = [values.email.trim(), values.name.trim()];
      const { password, platformRole: platform_role } = values;
      return api.users.create({ email, password, platform_role, ...(name ? { name } : {}) });
    },
    onSuccess: () => setValues(EMPTY),
    meta: { invalidates: [queryKeys.users.all] },
  });
  const fields = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New user</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-email`} label="Email" error={fields.email}>
            <input
              id={`${id}-email`}
              className="input"
              type="email"
              required
              autoComplete="off"
              value={values.email}
              onChange={(e) => setValues({ ...values, email: e.target.value })}
              aria-describedby={describedBy(`${id}-email`, false, fields.email)}
            />
          </Field>
          <Field id={`${id}-name`} label="Name (optional)" error={fields.name}>
            <input
              id={`${id}-name`}
              className="input"
              maxLength={100}
              value={values.name}
              onChange={(e) => setValues({ ...values, name: e.target.value })}
            />
          </Field>
        </div>
        <div className="field-row">
          <Field
            id={`${id}-password`}
            label="Initial password"
            hint="At least 12 characters; they can change it under Account."
            error={fields.password}
          >
            <input
              id={`${id}-password`}
              className="input"
              type="password"
              required
              minLength={12}
              autoComplete="new-password"
              value={values.password}
              onChange={(e) => setValues({ ...values, password: e.target.value })}
              aria-describedby={describedBy(`${id}-password`, true, fields.password)}
            />
          </Field>
          <Field id={`${id}-role`} label="Platform role">
            <select
              id={`${id}-role`}
              className="input"
              value={values.platformRole}
              onChange={(e) => setValues({ ...values, platformRole: e.target.value as PlatformRole })}
            >
              <option value="member">Member</option>
              <option value="platform_admin">Platform admin</option>
            </select>
          </Field>
        </div>
        <SubmitRow
          label="Create user"
          busyLabel="Creating…"
          mutation={create}
          shown={["email", "name", "password"]}
          done={create.data ? `Created ${create.data.email}.` : null}
        />
      </form>
    </section>
  );
}
