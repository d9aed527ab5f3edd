// One flag in the list: its switch, what it does, and the ways to change it.
import type { Flag } from "@hive/shared/api-client";
import { api } from "../../api";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { summary } from "./flag-draft";
import { SwitchButton } from "./switch-button";

interface FlagRowProps {
  flag: Flag;
  onChanged: () => void;
  onEdit: (flag: Flag) => void;
  onShowExposures: (key: string) => void;
}

export function FlagRow({ flag, onChanged, onEdit, onShowExposures }: FlagRowProps) {
  const toggle = useAction(async () => {
    await api.flags.save(flag.key, { ...flag.definition, enabled: !flag.definition.enabled });
    onChanged();
  });
  const remove = useAction(async () => {
    await api.flags.delete(flag.key);
    onChanged();
  });
  const error = toggle.error ?? remove.error;
  return (
    <tr data-testid="flag-row" data-flag-key={flag.key}>
      <th scope="row">
        <code>{flag.key}</code>
        {flag.definition.kill_switch ? <span className="pill tone-warn">kill switch</span> : null}
        {flag.definition.description ? <span className="cell-note">{flag.definition.description}</span> : null}
      </th>
      <td>
        <SwitchButton label={`Flag ${flag.key}`} on={flag.definition.enabled} busy={toggle.busy} onToggle={() => void toggle.run()} />
      </td>
      <td>{summary(flag.definition)}</td>
      <td>
        <Time iso={flag.updated_at} />
        <span className="cell-note">{flag.updated_by}</span>
      </td>
      <td className="row-actions">
        <button type="button" className="button button-secondary button-small" onClick={() => onShowExposures(flag.key)}>
          Exposures
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onEdit(flag)}>
          Edit
        </button>
        <ConfirmButton
          label="Delete"
          question={flag.definition.kill_switch ? `Delete ${flag.key}? The kill switch goes back to on.` : `Delete ${flag.key}?`}
          confirmLabel="Delete flag"
          disabled={remove.busy}
          onConfirm={() => void remove.run()}
        />
        <InlineError error={error} />
      </td>
    </tr>
  );
}
