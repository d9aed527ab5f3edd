// Create or edit a flag: the master switch, a sticky percentage rollout, A/B variants with
// relative weights, and targeting by role or workspace. Saving replaces the whole definition.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { CheckboxItem, labelled, TextAreaField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { FormPanel } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";
import { definitionOf, type FlagDraft, TARGET_ROLES, type TargetRole } from "./flag-draft";

interface FlagEditorProps {
  initial: FlagDraft;
  /** Editing keeps the key: a renamed flag would be a new flag. */
  isNew: boolean;
  /** Closes the editor; the list has refetched by then. */
  onSaved: () => void;
  onCancel: () => void;
}

export function FlagEditor({ initial, isNew, onSaved, onCancel }: FlagEditorProps) {
  const id = useId();
  const [d, setDraft] = useState(initial);
  const save = useMutation({
    mutationFn: () => api.flags.save(d.key.trim(), definitionOf(d)),
    onSuccess: onSaved,
    meta: { invalidates: [queryKeys.flags.all] },
  });
  const fields = fieldErrors(save.error);
  const at = labelled(id, fields);
  const set = <K extends keyof FlagDraft>(key: K, value: FlagDraft[K]) => setDraft((x) => ({ ...x, [key]: value }));
  const setVariant = (i: number, patch: Partial<FlagDraft["variants"][number]>) =>
    set(
      "variants",
      d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)),
    );
  const toggleRole = (role: TargetRole, on: boolean) =>
    set("roles", on ? [...d.roles, role] : d.roles.filter((r) => r !== role));

  return (
    <FormPanel title={isNew ? "New flag" : `Edit ${d.key}`} onSubmit={() => save.mutate()}>
      <div className="field-row">
        <TextField
          {...at("key", "Key")}
          hint="Lowercase letters, digits, _ . -; 2 to 64 characters."
          required
          readOnly={!isNew}
          pattern="[a-z][a-z0-9_.\-]{1,63}"
          value={d.key}
          onValue={(v) => set("key", v)}
        />
        <TextField
          {...at("rollout", "Rollout %", "rollout_percentage")}
          hint="Share of users who get it, sticky per user."
          type="number"
          min={0}
          max={100}
          step={0.01}
          required
          value={d.rollout}
          onValue={(v) => set("rollout", v)}
        />
      </div>
      <TextField
        {...at("description", "Description")}
        maxLength={500}
        value={d.description}
        onValue={(v) => set("description", v)}
      />
      <div className="field-row">
        <label className="check field">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          Enabled (off: everyone gets the default)
        </label>
        <label className="check field">
          <input type="checkbox" checked={d.killSwitch} onChange={(e) => set("killSwitch", e.target.checked)} />
          Kill switch (read on hot paths; off stops the feature)
        </label>
      </div>

      <fieldset className="field">
        <legend>Variants</legend>
        <p className="field-hint">
          For A/B tests: each user gets one, in proportion to the weights (they need not sum to 100). None: the flag is
          just on or off.
        </p>
        {d.variants.map((v, i) => (
          <div className="field-row variant-row" key={i}>
            <TextField
              id={`${id}-variant-${i}`}
              label={`Variant ${i + 1} name`}
              required
              pattern="[a-z0-9_\-]{1,32}"
              value={v.name}
              onValue={(name) => setVariant(i, { name })}
            />
            <TextField
              id={`${id}-weight-${i}`}
              label={`Variant ${i + 1} weight`}
              type="number"
              min={0}
              max={10000}
              step={1}
              required
              value={v.weight}
              onValue={(weight) => setVariant(i, { weight })}
            />
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() =>
                set(
                  "variants",
                  d.variants.filter((_, j) => j !== i),
                )
              }
            >
              Remove variant {i + 1}
            </button>
          </div>
        ))}
        {fields.variants ? <p className="field-error">{fields.variants}</p> : null}
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => set("variants", [...d.variants, { name: "", weight: "50" }])}
        >
          Add variant
        </button>
      </fieldset>

      <fieldset className="field">
        <legend>Targeting</legend>
        <p className="field-hint">Only these roles and workspaces are considered; leave empty for everyone.</p>
        <ul className="checkbox-list">
          {TARGET_ROLES.map((r) => (
            <CheckboxItem key={r.role} checked={d.roles.includes(r.role)} onChecked={(on) => toggleRole(r.role, on)}>
              {r.label}
            </CheckboxItem>
          ))}
        </ul>
      </fieldset>
      <TextAreaField
        {...at("workspaces", "Workspace ids", "targeting.workspaces")}
        hint="One per line or comma-separated."
        rows={2}
        value={d.workspaces}
        onValue={(v) => set("workspaces", v)}
      />

      <SubmitRow
        label={isNew ? "Create flag" : "Save flag"}
        busyLabel="Saving…"
        mutation={save}
        shown={["key", "rollout_percentage", "description", "variants", "targeting.workspaces"]}
      >
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </SubmitRow>
    </FormPanel>
  );
}
