// The workspace's monthly budget: a bar of this month's spend against the limit with the numbers
// in words beside it (so it reads without colour), and for admins a form to set the limit and
// the warning ratio. Members without a budget see that there is none.
import type { BudgetStatus } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { labelled, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { submitted } from "../../ui/form-panel";
import { FormSection } from "../../ui/form-section";
import { SubmitRow } from "../../ui/submit-row";
import { formatUsd } from "./usage-table";

interface BudgetPanelProps {
  workspaceId: string;
  budget: BudgetStatus | null;
  canEdit: boolean;
}

function BudgetBar({ budget }: { budget: BudgetStatus }) {
  const share = budget.monthly_usd > 0 ? budget.spent_usd / budget.monthly_usd : 1;
  const state = budget.exceeded
    ? "Exceeded: new model calls are refused until next month or a higher limit."
    : budget.warned
      ? `Warning: past ${Math.round(budget.warn_ratio * 100)}% of the limit.`
      : `Within budget; a warning is raised at ${Math.round(budget.warn_ratio * 100)}%.`;
  return (
    <div data-testid="budget-status">
      <progress
        className="budget-bar"
        max={1}
        value={Math.min(1, share)}
        aria-label="Share of the monthly budget spent"
      />
      <p>
        <strong>{formatUsd(budget.spent_usd)}</strong> of {formatUsd(budget.monthly_usd)} spent this month (
        {Math.round(share * 100)}%). {state}
      </p>
    </div>
  );
}

export function BudgetPanel({ workspaceId, budget, canEdit }: BudgetPanelProps) {
  const [limit, setLimit] = useState("");
  const [ratio, setRatio] = useState("");
  const save = useMutation({
    mutationFn: () =>
      api.usage.setBudget(workspaceId, {
        monthly_usd: Number(limit || budget?.monthly_usd || 0),
        warn_ratio: Number(ratio || budget?.warn_ratio || 0.8),
      }),
    meta: { invalidates: [queryKeys.usage.all] },
  });
  const at = labelled("budget", fieldErrors(save.error));
  return (
    <FormSection title="Monthly budget">
      {budget ? <BudgetBar budget={budget} /> : <p className="muted">No budget is set: model calls are not capped.</p>}
      {canEdit ? (
        <form className="form" onSubmit={(event) => submitted(event, () => save.mutate())} aria-label="Monthly budget">
          <div className="field-row">
            <TextField
              {...at("monthly-usd", "Limit (USD a month)", "monthly_usd")}
              type="number"
              min={0}
              step="0.01"
              required
              placeholder={budget ? String(budget.monthly_usd) : "100"}
              value={limit}
              onValue={setLimit}
            />
            <TextField
              {...at("warn-ratio", "Warn at (share of the limit)", "warn_ratio")}
              type="number"
              min={0.01}
              max={1}
              step="0.01"
              placeholder={String(budget?.warn_ratio ?? 0.8)}
              value={ratio}
              onValue={setRatio}
            />
          </div>
          <SubmitRow
            label="Save budget"
            busyLabel="Saving…"
            mutation={save}
            shown={["monthly_usd", "warn_ratio"]}
            done={save.isSuccess ? "Budget saved." : null}
          />
        </form>
      ) : null}
    </FormSection>
  );
}
