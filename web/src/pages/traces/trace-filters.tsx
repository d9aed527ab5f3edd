// The Traces page's filters, edited as a draft and applied together. Applied filters live in the
// address (`?route=/api/agents/:id/chat&status=5xx&errors=1`), so a reload or a shared link shows
// the same traces.
import type { TraceFilters } from "@hive/shared/api-client";
import { useId } from "react";
import type { SearchChange } from "../../router/search-params";
import { TextField } from "../../ui/controls";
import { AllWorkspacesFilter, AnySelect, CheckFilter, FilterForm } from "../../ui/filter-form";

const TEXT_KEYS = ["route", "status", "min", "max", "agent", "conversation", "run", "from", "to"] as const;
type TextKey = (typeof TEXT_KEYS)[number];

export type TraceDraft = Record<TextKey, string> & { errors: boolean; all: boolean };

export const NO_TRACE_FILTERS: TraceDraft = {
  ...(Object.fromEntries(TEXT_KEYS.map((k) => [k, ""])) as Record<TextKey, string>),
  errors: false,
  all: false,
};

export function traceFiltersFromSearch(params: URLSearchParams): TraceDraft {
  const draft: TraceDraft = {
    ...NO_TRACE_FILTERS,
    errors: params.get("errors") === "1",
    all: params.get("all") === "1",
  };
  for (const key of TEXT_KEYS) draft[key] = params.get(key) ?? "";
  return draft;
}

export function traceFiltersToSearch(d: TraceDraft): SearchChange {
  const change: Record<string, string | null> = { errors: d.errors ? "1" : null, all: d.all ? "1" : null };
  for (const key of TEXT_KEYS) change[key] = d[key].trim() || null;
  return change;
}

const text = (v: string) => v.trim() || undefined;
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const number = (v: string) => (v.trim() && Number.isFinite(Number(v)) ? Number(v) : undefined);

export function traceQuery(d: TraceDraft): TraceFilters {
  return {
    route: text(d.route),
    status: text(d.status),
    min_duration_ms: number(d.min),
    max_duration_ms: number(d.max),
    agent_id: text(d.agent),
    conversation_id: text(d.conversation),
    run_id: text(d.run),
    errors: d.errors || undefined,
    from: iso(d.from),
    to: iso(d.to),
    all: d.all || undefined,
  };
}

const STATUS_OPTIONS = [
  ["2xx", "2xx success"],
  ["4xx", "4xx client error"],
  ["5xx", "5xx server error"],
] as const;

const ROWS: readonly (readonly { key: TextKey; label: string; placeholder?: string; type?: string }[])[] = [
  [
    { key: "route", label: "Route", placeholder: "/api/agents/:id/chat" },
    { key: "min", label: "Min duration (ms)", type: "number" },
    { key: "max", label: "Max duration (ms)", type: "number" },
  ],
  [
    { key: "agent", label: "Agent id", placeholder: "agt_…" },
    { key: "conversation", label: "Conversation id", placeholder: "cnv_…" },
    { key: "run", label: "Swarm run id", placeholder: "run_…" },
  ],
  [
    { key: "from", label: "From", type: "datetime-local" },
    { key: "to", label: "To", type: "datetime-local" },
  ],
];

interface TraceFiltersFormProps {
  initial: TraceDraft;
  canReadAll: boolean;
  onApply: (filters: TraceDraft) => void;
}

export function TraceFiltersForm({ initial, canReadAll, onApply }: TraceFiltersFormProps) {
  const id = useId();
  return (
    <FilterForm label="Trace filters" initial={initial} empty={NO_TRACE_FILTERS} onApply={onApply}>
      {(draft, set) => (
        <>
          {ROWS.map((row) => (
            <div className="field-row" key={row[0]?.key}>
              {row.map(({ key, ...field }) => (
                <TextField
                  key={key}
                  id={`${id}-${key}`}
                  min={field.type === "number" ? 0 : undefined}
                  {...field}
                  value={draft[key]}
                  onValue={(v) => set(key, v)}
                />
              ))}
            </div>
          ))}
          <div className="field-row">
            <AnySelect
              id={`${id}-status`}
              label="Status"
              value={draft.status}
              onValue={(v) => set("status", v)}
              options={STATUS_OPTIONS}
            />
            <CheckFilter label="Errors only" checked={draft.errors} onValue={(v) => set("errors", v)} />
            <AllWorkspacesFilter shown={canReadAll} checked={draft.all} onValue={(v) => set("all", v)} />
          </div>
        </>
      )}
    </FilterForm>
  );
}
