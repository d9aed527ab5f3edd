// The audit log's filters. Edited as a draft and applied together, so each keystroke does not
// query the API; applying starts again from the newest page. Applied filters live in the
// address (`?action=key.*&outcome=denied`), so a reload or a shared link shows the same entries.

import type { AuditFilters, AuditOutcome } from "@hive/shared/api-client";
import { type FormEvent, useId, useState } from "react";
import type { SearchChange } from "../../router/search-params";

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

export function AuditFiltersForm({ initial, canReadAll, onApply }: AuditFiltersFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof FilterDraft>(key: K, value: FilterDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="form audit-filters" onSubmit={submit} aria-label="Audit log filters">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            className="input"
            placeholder="auth.login or key.*"
            value={draft.action}
            onChange={(e) => set("action", e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Actor (user id)</label>
          <input
            id={`${id}-actor`}
            className="input"
            placeholder="usr_…"
            value={draft.actor}
            onChange={(e) => set("actor", e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>Target id</label>
          <input
            id={`${id}-target`}
            className="input"
            placeholder="key_…, usr_…"
            value={draft.target}
            onChange={(e) => set("target", e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select
            id={`${id}-outcome`}
            className="input"
            value={draft.outcome}
            onChange={(e) => set("outcome", e.target.value as FilterDraft["outcome"])}
          >
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-since`}>Since</label>
          <input
            id={`${id}-since`}
            className="input"
            type="datetime-local"
            value={draft.since}
            onChange={(e) => set("since", e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-until`}>Until</label>
          <input
            id={`${id}-until`}
            className="input"
            type="datetime-local"
            value={draft.until}
            onChange={(e) => set("until", e.target.value)}
          />
        </div>
        {canReadAll ? (
          <label className="check field">
            <input type="checkbox" checked={draft.all} onChange={(e) => set("all", e.target.checked)} />
            Every workspace (platform admin)
          </label>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
