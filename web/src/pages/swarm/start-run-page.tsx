// /swarm/new: start a swarm run — pick agents from the workspace (in the order a pipeline runs
// them), a strategy with its options, and the budgets — then watch it on its own page.

import {
  STRATEGY_INFO,
  type StartRunBody,
  type Strategy,
  SWARM_LIMITS,
  SWARM_STRATEGIES,
} from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { CheckboxItem, labelled, SelectField, TextAreaField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { ChoiceField, itself, named } from "../../ui/field-choice";
import { RangeField } from "../../ui/field-range";
import { FormPage } from "../../ui/form-page";
import { FormFieldset, FormSection } from "../../ui/form-section";
import { QueryState } from "../../ui/query-state";
import { SubmitRow } from "../../ui/submit-row";
import "../../styles/swarm.css";

interface FormValues {
  task: string;
  strategy: Strategy;
  agentIds: string[];
  maxSteps: string;
  maxTokens: string;
  deadlineSeconds: string;
  aggregatorId: string;
  routerId: string;
  fallback: "first" | "fail";
  maxHandoffs: string;
  rounds: string;
  decision: "vote" | "judge";
  judgeId: string;
  tieBreak: "first" | "judge" | "fail";
  quorum: string;
}

type NumberKey = "maxSteps" | "maxTokens" | "deadlineSeconds" | "maxHandoffs" | "rounds";

const INITIAL: FormValues = {
  task: "",
  strategy: "pipeline",
  agentIds: [],
  maxSteps: "50",
  maxTokens: "200000",
  deadlineSeconds: "300",
  aggregatorId: "",
  routerId: "",
  fallback: "first",
  maxHandoffs: "2",
  rounds: "1",
  decision: "vote",
  judgeId: "",
  tieBreak: "first",
  quorum: "",
};

const isStrategy = (s: string): s is Strategy => (SWARM_STRATEGIES as readonly string[]).includes(s);

/** The request from the form; number fields are validated by the inputs and by the API (422/400 with field paths). */
export function startBody(v: FormValues): StartRunBody {
  const common = {
    task: v.task,
    agent_ids: v.agentIds,
    budget: {
      max_steps: Number(v.maxSteps),
      max_tokens: Number(v.maxTokens),
      deadline_ms: Math.round(Number(v.deadlineSeconds) * 1000),
    },
  };
  const quorum = v.quorum.trim() ? { quorum: Number(v.quorum) } : {};
  switch (v.strategy) {
    case "pipeline":
      return { strategy: "pipeline", ...common };
    case "parallel":
      return { strategy: "parallel", ...common, aggregator_id: v.aggregatorId, ...quorum };
    case "router":
      return {
        strategy: "router",
        ...common,
        router_id: v.routerId,
        fallback: v.fallback,
        max_handoffs: Number(v.maxHandoffs),
      };
    case "debate":
      return {
        strategy: "debate",
        ...common,
        rounds: Number(v.rounds),
        decision: v.decision,
        tie_break: v.tieBreak,
        ...(v.judgeId ? { judge_id: v.judgeId } : {}),
        ...quorum,
      };
  }
}

const AGENT_PARAMS = { limit: 100 };
const MOVES = [
  { by: -1, arrow: "↑", word: "up" },
  { by: 1, arrow: "↓", word: "down" },
] as const;

export function StartRunPage() {
  const id = useId();
  const agents = useQuery(queries.agents(AGENT_PARAMS));
  const [values, setValues] = useState<FormValues>(INITIAL);
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const start = useMutation({
    mutationFn: (body: StartRunBody) => api.swarm.start(body),
    onSuccess: (run) => navigate(pathOf("swarm", run.id)),
    meta: { invalidates: [queryKeys.swarm.lists] },
  });
  const fields = fieldErrors(start.error);
  const at = labelled(id, fields);
  const list = agents.data?.data ?? [];
  const nameOf = (agentId: string) => list.find((a) => a.id === agentId)?.name ?? agentId;

  const toggle = (agentId: string, on: boolean) =>
    set(
      "agentIds",
      on ? [...values.agentIds.filter((a) => a !== agentId), agentId] : values.agentIds.filter((a) => a !== agentId),
    );
  const move = (index: number, by: -1 | 1) => {
    const next = [...values.agentIds];
    const [item] = next.splice(index, 1);
    if (item === undefined) return;
    next.splice(index + by, 0, item);
    set("agentIds", next);
  };
  /** A required whole number within the API's limits. */
  const limit = (key: NumberKey, field: ReturnType<typeof at>, range: { min: number; max: number }, about?: string) => (
    <RangeField {...field} range={range} about={about} value={values[key]} onValue={(v) => set(key, v)} />
  );
  /** The agent that plays one role of the strategy (aggregator, router, judge). */
  const agentPick = (
    key: "aggregatorId" | "routerId" | "judgeId",
    field: ReturnType<typeof at>,
    hint: string,
    optional = false,
  ) => (
    <ChoiceField
      {...field}
      hint={hint}
      required={!optional}
      none={optional ? "None" : "Choose an agent"}
      choices={list}
      option={named}
      value={values[key]}
      onValue={(v) => set(key, v)}
    />
  );
  /** How many answers the strategy waits for; empty for a majority. */
  const quorum = (hint: string) => (
    <TextField
      {...at("quorum", "Quorum")}
      hint={hint}
      type="number"
      min={1}
      max={SWARM_LIMITS.agents}
      value={values.quorum}
      onValue={(v) => set("quorum", v)}
    />
  );

  return (
    <FormPage
      title="Start a swarm run"
      lead="Several agents work one task together; you watch every step as it happens."
      back={{ to: "/swarm", label: "All runs" }}
      status={<QueryState query={agents} errorTitle="Could not load agents" loading="Loading agents…" />}
      onSubmit={() => start.mutate(startBody(values))}
    >
      <FormSection title="Task">
        <TextAreaField
          {...at("task", "What should the agents do?")}
          rows={4}
          required
          maxLength={20_000}
          value={values.task}
          onValue={(v) => set("task", v)}
        />
      </FormSection>

      <FormFieldset legend="Agents" error={fields.agent_ids}>
        {agents.data && list.length === 0 ? (
          <p>
            This workspace has no agents yet. <Link to="/agent/new">Create one</Link> first.
          </p>
        ) : null}
        <ul className="checkbox-list">
          {list.map((a) => (
            <CheckboxItem key={a.id} checked={values.agentIds.includes(a.id)} onChecked={(on) => toggle(a.id, on)}>
              <span>
                <strong>{a.name}</strong>{" "}
                <code>
                  {a.definition.model.provider}:{a.definition.model.id}
                </code>
                {a.description ? <span className="field-hint">{a.description}</span> : null}
              </span>
            </CheckboxItem>
          ))}
        </ul>
        {values.agentIds.length > 0 ? (
          <>
            <h3 className="small">
              Order{" "}
              {values.strategy === "pipeline"
                ? "(each agent gets the previous one's output)"
                : "(ties go to the first)"}
            </h3>
            <ol className="swarm-order" aria-label="Agent order">
              {values.agentIds.map((agentId, i) => (
                <li key={agentId}>
                  <span>{nameOf(agentId)}</span>
                  {MOVES.map((m) => (
                    <button
                      key={m.by}
                      type="button"
                      className="button button-secondary button-small"
                      disabled={i + m.by < 0 || i + m.by >= values.agentIds.length}
                      onClick={() => move(i, m.by)}
                      aria-label={`Move ${nameOf(agentId)} ${m.word}`}
                    >
                      {m.arrow}
                    </button>
                  ))}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </FormFieldset>

      <FormSection title="Strategy">
        <ChoiceField
          {...at("strategy", "How they work together")}
          hint={STRATEGY_INFO[values.strategy]}
          choices={SWARM_STRATEGIES}
          option={itself}
          value={values.strategy}
          onValue={(v) => isStrategy(v) && set("strategy", v)}
        />
        {values.strategy === "parallel" ? (
          <div className="field-row">
            {agentPick("aggregatorId", at("aggregator", "Aggregator", "aggregator_id"), "Merges the answers")}
            {quorum("Answers needed; empty for a majority")}
          </div>
        ) : null}
        {values.strategy === "router" ? (
          <div className="field-row">
            {agentPick("routerId", at("router", "Router", "router_id"), "Picks one specialist with ROUTE: <agent>")}
            <SelectField
              {...at("fallback", "When the router's choice is invalid")}
              value={values.fallback}
              onValue={(v) => set("fallback", v === "fail" ? "fail" : "first")}
            >
              <option value="first">Give the task to the first agent</option>
              <option value="fail">Fail the run</option>
            </SelectField>
            {limit("maxHandoffs", at("handoffs", "Max handoffs", "max_handoffs"), {
              min: 0,
              max: SWARM_LIMITS.handoffs,
            })}
          </div>
        ) : null}
        {values.strategy === "debate" ? (
          <>
            <div className="field-row">
              {limit("rounds", at("rounds", "Rounds"), { min: 1, max: SWARM_LIMITS.rounds })}
              <SelectField
                {...at("decision", "Decision")}
                value={values.decision}
                onValue={(v) => set("decision", v === "judge" ? "judge" : "vote")}
              >
                <option value="vote">The agents vote</option>
                <option value="judge">A judge decides</option>
              </SelectField>
              <SelectField
                {...at("tie", "On a tied vote", "tie_break")}
                value={values.tieBreak}
                onValue={(v) => set("tieBreak", v === "judge" ? "judge" : v === "fail" ? "fail" : "first")}
              >
                <option value="first">The first agent's proposal wins</option>
                <option value="judge">The judge picks</option>
                <option value="fail">Fail the run</option>
              </SelectField>
            </div>
            <div className="field-row">
              {agentPick(
                "judgeId",
                at("judge", "Judge", "judge_id"),
                "Required when a judge decides or breaks ties",
                values.decision !== "judge" && values.tieBreak !== "judge",
              )}
              {quorum("Proposals and votes needed; empty for a majority")}
            </div>
          </>
        ) : null}
      </FormSection>

      <FormSection title="Budgets">
        <div className="field-row">
          {limit(
            "maxSteps",
            at("max-steps", "Max steps", "budget.max_steps"),
            { min: 1, max: SWARM_LIMITS.steps },
            "Agent turns",
          )}
          {limit(
            "maxTokens",
            at("max-tokens", "Token budget", "budget.max_tokens"),
            { min: 100, max: SWARM_LIMITS.tokens },
            "In + out",
          )}
          {limit("deadlineSeconds", at("deadline", "Deadline (seconds)", "budget.deadline_ms"), {
            min: 1,
            max: SWARM_LIMITS.deadlineMs / 1000,
          })}
        </div>
      </FormSection>

      <SubmitRow
        label="Start run"
        busyLabel="Starting…"
        mutation={start}
        disabled={values.agentIds.length === 0}
        shown={Object.keys(fields)}
      />
    </FormPage>
  );
}
