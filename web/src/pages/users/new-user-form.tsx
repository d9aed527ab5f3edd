// Platform admins create accounts (the way in when sign-up is admin-only). The new person
// gets a personal workspace and can then be added to others on their Members page.

import type { PlatformRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { labelled, SelectField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { PasswordField } from "../../ui/field-password";
import { FormPanel } from "../../ui/form-panel";
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
  const at = labelled(id, fields);
  const setter = (key: "email" | "name" | "password") => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  return (
    <FormPanel title="New user" onSubmit={() => create.mutate()}>
      <div className="field-row">
        <TextField
          {...at("email", "Email")}
          type="email"
          required
          autoComplete="off"
          value={values.email}
          onValue={setter("email")}
        />
        <TextField {...at("name", "Name (optional)")} maxLength={100} value={values.name} onValue={setter("name")} />
      </div>
      <div className="field-row">
        <PasswordField
          {...at("password", "Initial password")}
          purpose="new"
          hint="they can change it under Account."
          value={values.password}
          onValue={setter("password")}
        />
        <SelectField
          id={`${id}-role`}
          label="Platform role"
          value={values.platformRole}
          onValue={(role) => setValues((v) => ({ ...v, platformRole: role as PlatformRole }))}
        >
          <option value="member">Member</option>
          <option value="platform_admin">Platform admin</option>
        </SelectField>
      </div>
      <SubmitRow
        label="Create user"
        busyLabel="Creating…"
        mutation={create}
        shown={["email", "name", "password"]}
        done={create.data ? `Created ${create.data.email}.` : null}
      />
    </FormPanel>
  );
}
