// One flag in the list: its switch, what it does, and the ways to change it.

import type { Flag } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { ConfirmButton } from "../../ui/confirm-button";
import { InlineError } from "../../ui/inline-error";
import { Time } from "../../ui/time";
import { summary } from "./flag-draft";
import { SwitchButton } from "./switch-button";

interface FlagRowProps {
  flag: Flag;
  onEdit: (flag: Flag) => void;
  onShowExposures: (key: string) => void;
}

export function FlagRow({ flag, onEdit, onShowExposures }: FlagRowProps) {
  const meta = { invalidates: [queryKeys.flags.all] };
  const toggle = useMutation({
    mutationFn: () => api.flags.save(flag.key, { ...flag.definition, enabled: !flag.definition.enabled }),
    meta,
  });
  const remove = useMutation({ mutationFn: () => api.flags.delete(flag.key), meta });
  const error = toggle.error ?? remove.error;
  return (
    <tr data-testid="flag-row" data-flag-key={flag.key}>
      <th scope="row">
        <code>{flag.key}</code>
        {flag.definition.kill_switch ? <span className="pill tone-warn">kill switch</span> : null}
        {flag.definition.description ? <span className="cell-note">{flag.definition.description}</span> : null}
      </th>
      <td>
        <SwitchButton
          label={`Flag ${flag.key}`}
          on={flag.definition.enabled}
          busy={toggle.isPending}
          onToggle={() => toggle.mutate()}
        />
      </td>
      <td>{summary(flag.definition)}</td>
      <td>
        <Time iso={flag.updated_at} />
        <span className="cell-note">{flag.updated_by}</span>
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => onShowExposures(flag.key)}
        >
          Exposures
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onEdit(flag)}>
          Edit
        </button>
        <ConfirmButton
          label="Delete"
          question={
            flag.definition.kill_switch ? `Delete ${flag.key}? The kill switch goes back to on.` : `Delete ${flag.key}?`
          }
          confirmLabel="Delete flag"
          disabled={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
        <InlineError error={error} />
      </td>
    </tr>
  );
}
