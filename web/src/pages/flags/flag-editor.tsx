// Create or edit a flag: the master switch, a sticky percentage rollout, A/B variants with
// relative weights, and targeting by role or workspace. Saving replaces the whole definition.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
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
  const set = <K extends keyof FlagDraft>(key: K, value: FlagDraft[K]) => setDraft((x) => ({ ...x, [key]: value }));
  const setVariant = (i: number, patch: Partial<FlagDraft["variants"][number]>) =>
    set(
      "variants",
      d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)),
    );
  const toggleRole = (role: TargetRole, on: boolean) =>
    set("roles", on ? [...d.roles, role] : d.roles.filter((r) => r !== role));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{isNew ? "New flag" : `Edit ${d.key}`}</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field
            id={`${id}-key`}
            label="Key"
            hint="Lowercase letters, digits, _ . -; 2 to 64 characters."
            error={fields.key}
          >
            <input
              id={`${id}-key`}
              className="input"
              required
              readOnly={!isNew}
              pattern="[a-z][a-z0-9_.\-]{1,63}"
              value={d.key}
              onChange={(e) => set("key", e.target.value)}
              aria-describedby={describedBy(`${id}-key`, true, fields.key)}
            />
          </Field>
          <Field
            id={`${id}-rollout`}
            label="Rollout %"
            hint="Share of users who get it, sticky per user."
            error={fields.rollout_percentage}
          >
            <input
              id={`${id}-rollout`}
              className="input"
              type="number"
              min={0}
              max={100}
              step={0.01}
              required
              value={d.rollout}
              onChange={(e) => set("rollout", e.target.value)}
              aria-describedby={describedBy(`${id}-rollout`, true, fields.rollout_percentage)}
            />
          </Field>
        </div>
        <Field id={`${id}-description`} label="Description" error={fields.description}>
          <input
            id={`${id}-description`}
            className="input"
            maxLength={500}
            value={d.description}
            onChange={(e) => set("description", e.target.value)}
          />
        </Field>
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
            For A/B tests: each user gets one, in proportion to the weights (they need not sum to 100). None: the flag
            is just on or off.
          </p>
          {d.variants.map((v, i) => (
            <div className="field-row variant-row" key={i}>
              <Field id={`${id}-variant-${i}`} label={`Variant ${i + 1} name`}>
                <input
                  id={`${id}-variant-${i}`}
                  className="input"
                  required
                  pattern="[a-z0-9_\-]{1,32}"
                  value={v.name}
                  onChange={(e) => setVariant(i, { name: e.target.value })}
                />
              </Field>
              <Field id={`${id}-weight-${i}`} label={`Variant ${i + 1} weight`}>
                <input
                  id={`${id}-weight-${i}`}
                  className="input"
                  type="number"
                  min={0}
                  max={10000}
                  step={1}
                  required
                  value={v.weight}
                  onChange={(e) => setVariant(i, { weight: e.target.value })}
                />
              </Field>
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
              <li key={r.role}>
                <label>
                  <input
                    type="checkbox"
                    checked={d.roles.includes(r.role)}
                    onChange={(e) => toggleRole(r.role, e.target.checked)}
                  />
                  {r.label}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <Field
          id={`${id}-workspaces`}
          label="Workspace ids"
          hint="One per line or comma-separated."
          error={fields["targeting.workspaces"]}
        >
          <textarea
            id={`${id}-workspaces`}
            className="input"
            rows={2}
            value={d.workspaces}
            onChange={(e) => set("workspaces", e.target.value)}
            aria-describedby={describedBy(`${id}-workspaces`, true, fields["targeting.workspaces"])}
          />
        </Field>

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
      </form>
    </section>
  );
}
