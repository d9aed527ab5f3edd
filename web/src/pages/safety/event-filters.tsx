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
import { useId } from "react";
import { queries } from "../../api/queries";
import type { SearchChange } from "../../router/search-params";
import { TextField } from "../../ui/controls";
import { itself } from "../../ui/field-choice";
import { AnySelect, FilterForm } from "../../ui/filter-form";
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

/** The filters that are one of a fixed set of values, and how each value is shown. */
const PICKS = [
  { key: "stage", label: "Stage", values: safetyStages, text: (s: string) => STAGE_TITLES[s as SafetyStage] },
  { key: "detector", label: "Detector", values: safetyDetectors, text: (d: string) => d },
  { key: "action", label: "Action", values: safetyActions, text: (a: string) => a },
] as const;

export function EventFiltersForm({ initial, onApply }: EventFiltersFormProps) {
  const id = useId();
  const agents = useQuery(queries.agents(AGENT_PARAMS));
  const known = agents.data?.data ?? [];
  return (
    <FilterForm label="Safety event filters" initial={initial} empty={NO_EVENT_FILTERS} onApply={onApply}>
      {(draft, set) => (
        <div className="field-row">
          <AnySelect
            id={`${id}-agent`}
            label="Agent"
            value={draft.agent}
            onValue={(v) => set("agent", v)}
            options={[
              ...known.map((a) => [a.id, a.definition.name] as const),
              // An agent from a shared link that the list did not return stays selectable.
              ...(draft.agent && !known.some((a) => a.id === draft.agent) ? [itself(draft.agent)] : []),
            ]}
          />
          {PICKS.map(({ key, label, values, text }) => (
            <AnySelect
              key={key}
              id={`${id}-${key}`}
              label={label}
              value={draft[key]}
              onValue={(v) => set(key, oneOf(values(), v))}
              options={values().map((v) => [v, text(v)] as const)}
            />
          ))}
          <TextField
            id={`${id}-since`}
            label="Since"
            type="datetime-local"
            value={draft.since}
            onValue={(v) => set("since", v)}
          />
        </div>
      )}
    </FilterForm>
  );
}
