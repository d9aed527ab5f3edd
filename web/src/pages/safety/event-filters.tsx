// The safety events' filters, kept in the address (`?stage=input&action=block`) like the audit
// log's: edited as a draft, applied together, starting again from the newest page.

import {
  type SafetyAction,
  type SafetyDetector,
  type SafetyEventFilters,
  type SafetyStage,
  safetyActions,
  safetyDetectors,
  safetyStages,
} from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { queries } from "../../api/queries";
import type { SearchChange } from "../../router/search-params";
import { STAGE_TITLES } from "./policy-edit";

export interface EventFilterDraft {
  agent: string;
  stage: SafetyStage | "";
  detector: SafetyDetector | "";
  action: SafetyAction | "";
  /** A datetime-local value, in the reader's time zone. */
  since: string;
}

export const NO_EVENT_FILTERS: EventFilterDraft = { agent: "", stage: "", detector: "", action: "", since: "" };

const oneOf = <T extends string>(options: readonly T[], value: string | null): T | "" =>
  options.find((o) => o === value) ?? "";

export function eventFiltersFromSearch(params: URLSearchParams): EventFilterDraft {
  return {
    agent: params.get("agent") ?? "",
    stage: oneOf(safetyStages(), params.get("stage")),
    detector: oneOf(safetyDetectors(), params.get("detector")),
    action: oneOf(safetyActions(), params.get("action")),
    since: params.get("since") ?? "",
  };
}

/** The filters as search params: an empty one is left out of the address. */
export const eventFiltersToSearch = (d: EventFilterDraft): SearchChange => ({
  agent: d.agent || null,
  stage: d.stage || null,
  detector: d.detector || null,
  action: d.action || null,
  since: d.since || null,
});

export function toEventQuery(d: EventFilterDraft): SafetyEventFilters {
  const since = d.since ? new Date(d.since) : null;
  return {
    agent_id: d.agent || undefined,
    stage: d.stage || undefined,
    detector: d.detector || undefined,
    action: d.action || undefined,
    since: since && !Number.isNaN(since.getTime()) ? since.toISOString() : undefined,
  };
}

const AGENT_PARAMS = { limit: 100 };

interface EventFiltersFormProps {
  initial: EventFilterDraft;
  onApply: (filters: EventFilterDraft) => void;
}

export function EventFiltersForm({ initial, onApply }: EventFiltersFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const agents = useQuery(queries.agents(AGENT_PARAMS));
  const set = <K extends keyof EventFilterDraft>(key: K, value: EventFilterDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const known = agents.data?.data ?? [];
  return (
    <form className="form" onSubmit={submit} aria-label="Safety event filters">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-agent`}>Agent</label>
          <select
            id={`${id}-agent`}
            className="input"
            value={draft.agent}
            onChange={(e) => set("agent", e.target.value)}
          >
            <option value="">Any</option>
            {known.map((a) => (
              <option key={a.id} value={a.id}>
                {a.definition.name}
              </option>
            ))}
            {/* An agent from a shared link that the list did not return stays selectable. */}
            {draft.agent && !known.some((a) => a.id === draft.agent) ? (
              <option value={draft.agent}>{draft.agent}</option>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-stage`}>Stage</label>
          <select
            id={`${id}-stage`}
            className="input"
            value={draft.stage}
            onChange={(e) => set("stage", oneOf(safetyStages(), e.target.value))}
          >
            <option value="">Any</option>
            {safetyStages().map((s) => (
              <option key={s} value={s}>
                {STAGE_TITLES[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-detector`}>Detector</label>
          <select
            id={`${id}-detector`}
            className="input"
            value={draft.detector}
            onChange={(e) => set("detector", oneOf(safetyDetectors(), e.target.value))}
          >
            <option value="">Any</option>
            {safetyDetectors().map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <select
            id={`${id}-action`}
            className="input"
            value={draft.action}
            onChange={(e) => set("action", oneOf(safetyActions(), e.target.value))}
          >
            <option value="">Any</option>
            {safetyActions().map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
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
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setDraft(NO_EVENT_FILTERS);
            onApply(NO_EVENT_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
