// The audit log's filters. Edited as a draft and applied together, so each keystroke does not
// query the API; applying starts again from the newest page. Applied filters live in the
// address (`?action=key.*&outcome=denied`), so a reload or a shared link shows the same entries.

import type { AuditFilters, AuditOutcome } from "@hive/shared/api-client";
import { useId } from "react";
import type { SearchChange } from "../../router/search-params";
import { TextField } from "../../ui/controls";
import { AllWorkspacesFilter, AnySelect, FilterForm } from "../../ui/filter-form";

export interface FilterDraft {
  action: string;
  actor: string;
  outcome: AuditOutcome | "";
  target: string;
  /** datetime-local values, in the reader's time zone. */
  since: string;
  until: string;
  all: boolean;
}

export const NO_FILTERS: FilterDraft = {
  action: "",
  actor: "",
  outcome: "",
  target: "",
  since: "",
  until: "",
  all: false,
};

const TEXT_FILTERS = ["action", "actor", "target", "since", "until"] as const;
const OUTCOMES: readonly AuditOutcome[] = ["success", "failure", "denied"];

export function filtersFromSearch(params: URLSearchParams): FilterDraft {
  const outcome = params.get("outcome") ?? "";
  const draft: FilterDraft = {
    ...NO_FILTERS,
    outcome: OUTCOMES.find((o) => o === outcome) ?? "",
    all: params.get("all") === "1",
  };
  for (const key of TEXT_FILTERS) draft[key] = params.get(key) ?? "";
  return draft;
}

/** The filters as search params: an empty one is left out of the address. */
export function filtersToSearch(d: FilterDraft): SearchChange {
  const change: Record<string, string | null> = { outcome: d.outcome || null, all: d.all ? "1" : null };
  for (const key of TEXT_FILTERS) change[key] = d[key].trim() || null;
  return change;
}

const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function toQuery(d: FilterDraft): AuditFilters {
  return {
    action: d.action.trim() || undefined,
    actor: d.actor.trim() || undefined,
    outcome: d.outcome || undefined,
    target: d.target.trim() || undefined,
    since: iso(d.since),
    until: iso(d.until),
    all: d.all || undefined,
  };
}

interface AuditFiltersFormProps {
  initial: FilterDraft;
  /** Platform admins may read every workspace's log. */
  canReadAll: boolean;
  onApply: (filters: FilterDraft) => void;
}

const TEXT_FIELDS = [
  { key: "action", label: "Action", placeholder: "auth.login or key.*" },
  { key: "actor", label: "Actor (user id)", placeholder: "usr_…" },
  { key: "target", label: "Target id", placeholder: "key_…, usr_…" },
] as const;
const TIME_FIELDS = [
  { key: "since", label: "Since" },
  { key: "until", label: "Until" },
] as const;
const OUTCOME_OPTIONS = [
  ["success", "Success"],
  ["failure", "Failure"],
  ["denied", "Denied"],
] as const;

export function AuditFiltersForm({ initial, canReadAll, onApply }: AuditFiltersFormProps) {
  const id = useId();
  return (
    <FilterForm
      label="Audit log filters"
      className="form audit-filters"
      initial={initial}
      empty={NO_FILTERS}
      onApply={onApply}
    >
      {(draft, set) => (
        <>
          <div className="field-row">
            {TEXT_FIELDS.map(({ key, ...field }) => (
              <TextField key={key} id={`${id}-${key}`} {...field} value={draft[key]} onValue={(v) => set(key, v)} />
            ))}
            <AnySelect
              id={`${id}-outcome`}
              label="Outcome"
              value={draft.outcome}
              onValue={(v) => set("outcome", OUTCOMES.find((o) => o === v) ?? "")}
              options={OUTCOME_OPTIONS}
            />
          </div>
          <div className="field-row">
            {TIME_FIELDS.map(({ key, label }) => (
              <TextField
                key={key}
                id={`${id}-${key}`}
                label={label}
                type="datetime-local"
                value={draft[key]}
                onValue={(v) => set(key, v)}
              />
            ))}
            <AllWorkspacesFilter shown={canReadAll} checked={draft.all} onValue={(v) => set("all", v)} />
          </div>
        </>
      )}
    </FilterForm>
  );
}
