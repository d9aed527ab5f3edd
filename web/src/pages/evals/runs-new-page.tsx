// /evals/runs/new: start an evaluation run — a dataset, an agent (its current version or a pinned
// one) or a swarm (a strategy and its agents; each case's input is the task), the scorers with their pass thresholds, concurrency and budgets — then follow it on its page.
import {
  EVAL_SCORERS,
  type EvalRunCreate,
  type EvalScorerConfig,
  type EvalScorerName,
  type Strategy,
  SWARM_STRATEGIES,
} from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { CheckboxItem, labelled, SelectField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { ChoiceField, itself, named } from "../../ui/field-choice";
import { FormPage } from "../../ui/form-page";
import { FormFieldset, FormSection } from "../../ui/form-section";
import { QueryState } from "../../ui/query-state";
import { SubmitRow } from "../../ui/submit-row";

const JUDGES: ReadonlySet<EvalScorerName> = new Set(["faithfulness", "answer_relevance", "rubric"]);

/** The strategies that name one agent besides agent_ids, and the field that takes it. */
const LEAD: Partial<Record<Strategy, { field: string; label: string }>> = {
  parallel: { field: "aggregator_id", label: "Aggregator" },
  router: { field: "router_id", label: "Router" },
};

interface FormValues {
  datasetId: string;
  kind: "agent" | "swarm";
  agentId: string;
  strategy: Strategy;
  /** The swarm's agents, in the order they were picked (a pipeline runs them so). */
  swarmAgents: string[];
  /** The aggregator (parallel) or the router (router). */
  lead: string;
  /** Empty: the agent's current version. */
  version: string;
  /** Picked scorers and their thresholds (empty: the scorer's default). */
  scorers: Partial<Record<EvalScorerName, string>>;
  k: string;
  concurrency: string;
  budgetTokens: string;
  budgetSeconds: string;
  label: string;
}

const INITIAL: FormValues = {
  datasetId: "",
  kind: "agent",
  agentId: "",
  strategy: "pipeline",
  swarmAgents: [],
  lead: "",
  version: "",
  scorers: {},
  k: "5",
  concurrency: "2",
  budgetTokens: "",
  budgetSeconds: "",
  label: "",
};

function targetOf(v: FormValues): EvalRunCreate["target"] {
  if (v.kind === "agent")
    return { kind: "agent", agent_id: v.agentId, ...(v.version ? { agent_version: Number(v.version) } : {}) };
  const lead = LEAD[v.strategy];
  const config = { strategy: v.strategy, agent_ids: v.swarmAgents, ...(lead ? { [lead.field]: v.lead } : {}) };
  return { kind: "swarm", config };
}

/** The request from the form; the inputs bound the numbers and the API checks them again. */
function runBody(v: FormValues): EvalRunCreate {
  const scorers = Object.entries(v.scorers).map(([name, threshold]): EvalScorerConfig => {
    const config: EvalScorerConfig = { name: name as EvalScorerName };
    if (threshold?.trim()) config.threshold = Number(threshold);
    if (name === "recall_at_k" && v.k.trim()) config.options = { k: Number(v.k) };
    return config;
  });
  return {
    dataset_id: v.datasetId,
    target: targetOf(v),
    ...(scorers.length ? { scorers } : {}),
    concurrency: Number(v.concurrency),
    ...(v.budgetTokens.trim() ? { budget_tokens: Number(v.budgetTokens) } : {}),
    ...(v.budgetSeconds.trim() ? { budget_ms: Math.round(Number(v.budgetSeconds) * 1000) } : {}),
    ...(v.label.trim() ? { label: v.label.trim() } : {}),
  };
}

const LIST = { limit: 100 };

export function NewEvalRunPage() {
  const id = useId();
  const datasets = useQuery(queries.evalDatasets(LIST));
  const agents = useQuery(queries.agents(LIST));
  const [values, setValues] = useState<FormValues>(INITIAL);
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const versions = useQuery({ ...queries.agentVersions(values.agentId, LIST), enabled: values.agentId !== "" });
  const start = useMutation({
    mutationFn: (body: EvalRunCreate) => api.evals.startRun(body),
    onSuccess: (run) => navigate(pathOf("evals", "runs", run.id)),
    meta: { invalidates: [queryKeys.evalRuns.lists] },
  });
  const at = labelled(id, fieldErrors(start.error));
  const pick = (agentId: string, on: boolean) =>
    set("swarmAgents", on ? [...values.swarmAgents, agentId] : values.swarmAgents.filter((a) => a !== agentId));
  const lead = LEAD[values.strategy];
  /** A budget the run stops at; empty for none (see runBody). */
  const budget = (key: "budgetTokens" | "budgetSeconds", field: ReturnType<typeof at>) => (
    <TextField
      {...field}
      hint="Empty: no limit"
      type="number"
      min={1}
      value={values[key]}
      onValue={(v) => set(key, v)}
    />
  );
  const toggle = (name: EvalScorerName, on: boolean) => {
    const next = { ...values.scorers };
    if (on) next[name] = next[name] ?? "";
    else delete next[name];
    set("scorers", next);
  };
  return (
    <FormPage
      title="Start an evaluation run"
      lead="Runs the agent on every case of the dataset's current version and scores each answer."
      back={{ to: "/evals/runs", label: "All runs" }}
      status={
        <>
          <QueryState query={datasets} errorTitle="Could not load datasets" loading="Loading datasets…" />
          <QueryState query={agents} errorTitle="Could not load agents" loading="Loading agents…" />
        </>
      }
      onSubmit={() => start.mutate(runBody(values))}
    >
      <FormSection title="What to run">
        <ChoiceField
          {...at("dataset", "Dataset", "dataset_id")}
          required
          none="Choose a dataset"
          choices={datasets.data?.data}
          option={(d) => [d.id, `${d.name} (v${d.version}, ${d.case_count} cases)`]}
          value={values.datasetId}
          onValue={(v) => set("datasetId", v)}
        />
        <SelectField
          {...at("kind", "Target", "target.kind")}
          hint="A swarm runs each case's input as the task of a swarm run"
          value={values.kind}
          onValue={(v) => set("kind", v === "swarm" ? "swarm" : "agent")}
        >
          <option value="agent">One agent</option>
          <option value="swarm">A swarm of agents</option>
        </SelectField>
        {values.kind === "agent" ? (
          <div className="field-row">
            <ChoiceField
              {...at("agent", "Agent", "target.agent_id")}
              required
              none="Choose an agent"
              choices={agents.data?.data}
              option={(a) => [a.id, `${a.name} (current v${a.version})`]}
              value={values.agentId}
              onValue={(v) => setValues((s) => ({ ...s, agentId: v, version: "" }))}
            />
            <ChoiceField
              {...at("version", "Version", "target.agent_version")}
              hint="The run pins the version it used"
              none="Current"
              choices={versions.data?.data}
              option={(v) => [String(v.version), `v${v.version}`]}
              value={values.version}
              onValue={(v) => set("version", v)}
            />
          </div>
        ) : (
          <fieldset>
            <legend>Swarm</legend>
            <ChoiceField
              {...at("strategy", "Strategy", "target.config.strategy")}
              choices={SWARM_STRATEGIES}
              option={itself}
              value={values.strategy}
              onValue={(v) => set("strategy", SWARM_STRATEGIES.find((s) => s === v) ?? "pipeline")}
            />
            <p className="muted small">Agents, in the order picked (a pipeline runs them in that order):</p>
            <ul className="checkbox-list" aria-label="Swarm agents">
              {agents.data?.data.map((a) => (
                <CheckboxItem key={a.id} checked={values.swarmAgents.includes(a.id)} onChecked={(on) => pick(a.id, on)}>
                  {a.name}
                </CheckboxItem>
              ))}
            </ul>
            {lead ? (
              <ChoiceField
                {...at("lead", lead.label, `target.config.${lead.field}`)}
                required
                none="Choose an agent"
                choices={agents.data?.data}
                option={named}
                value={values.lead}
                onValue={(v) => set("lead", v)}
              />
            ) : null}
          </fieldset>
        )}
        <TextField
          {...at("label", "Label")}
          hint="Optional, e.g. the change under test"
          maxLength={200}
          value={values.label}
          onValue={(v) => set("label", v)}
        />
      </FormSection>

      <FormFieldset legend="Scorers">
        <p className="muted small">
          None picked: every model-free scorer a case asks for. A threshold in [0, 1] is the pass mark; empty keeps the
          scorer's default. Scorers marked "judge" use a model and run only when one is bound.
        </p>
        <ul className="checkbox-list">
          {EVAL_SCORERS.map((name) => (
            <CheckboxItem key={name} checked={name in values.scorers} onChecked={(on) => toggle(name, on)}>
              <span>
                <code>{name}</code>
                {JUDGES.has(name) ? <span className="pill tone-neutral">judge (model)</span> : null}
              </span>
            </CheckboxItem>
          ))}
        </ul>
        {Object.keys(values.scorers).map((name) => (
          <TextField
            key={name}
            id={`${id}-threshold-${name}`}
            label={`Threshold for ${name}`}
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={values.scorers[name as EvalScorerName] ?? ""}
            onValue={(v) => set("scorers", { ...values.scorers, [name]: v })}
          />
        ))}
        {"recall_at_k" in values.scorers ? (
          <TextField
            {...at("k", "k for recall@k")}
            type="number"
            min={1}
            max={50}
            value={values.k}
            onValue={(v) => set("k", v)}
          />
        ) : null}
      </FormFieldset>

      <FormSection title="Concurrency and budget">
        <div className="field-row">
          <TextField
            {...at("concurrency", "Cases at once")}
            type="number"
            min={1}
            max={8}
            required
            value={values.concurrency}
            onValue={(v) => set("concurrency", v)}
          />
          {budget("budgetTokens", at("budget-tokens", "Token budget", "budget_tokens"))}
          {budget("budgetSeconds", at("budget-seconds", "Time budget (seconds)", "budget_ms"))}
        </div>
        <SubmitRow label="Start run" busyLabel="Starting…" mutation={start} />
      </FormSection>
    </FormPage>
  );
}
