// Change my password. The API then ends every other session and token of mine, and starts a
// fresh session for this browser.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { labelled } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { PasswordField } from "../../ui/field-password";
import { FormPanel } from "../../ui/form-panel";
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
  const at = labelled(id, fields);
  return (
    <FormPanel title="Change password" onSubmit={() => change.mutate()}>
      <div className="field-row">
        <PasswordField
          {...at("current", "Current password", "current_password")}
          purpose="current"
          value={current}
          onValue={setCurrent}
        />
        <PasswordField
          {...at("new", "New password", "new_password")}
          purpose="new"
          hint="a long passphrase is best."
          value={next}
          onValue={setNext}
        />
      </div>
      <SubmitRow
        label="Change password"
        busyLabel="Changing…"
        mutation={change}
        shown={["current_password", "new_password"]}
        done={change.isSuccess ? "Changed. Your other sessions and tokens were signed out." : null}
      />
    </FormPanel>
  );
}
