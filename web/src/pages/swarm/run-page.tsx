// /swarm/:id: one run, live. The steps as a timeline (agent, role, status, timings, tokens and
// every output), the votes, the budget used against its limits, the protocol messages as they
// arrived, and the outcome with its reason. Cancel stops every turn in flight.

import { isRunEnded, type SwarmMessage, type SwarmRunDetail, type SwarmStep } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { Page } from "../../layout/page";
import { ConfirmMutation } from "../../ui/confirm-button";
import { ErrorPanel } from "../../ui/error-panel";
import { PageLink } from "../../ui/page-link";
import { Time } from "../../ui/time";
import { TraceLink } from "../traces/trace-link";
import { RunStatusPill } from "./run-status";
import { type Connection, useRunEvents } from "./use-run-events";
import "../../styles/swarm.css";

const CONNECTION_TEXT: Readonly<Record<Connection, string>> = {
  connecting: "Connecting…",
  live: "Live",
  polling: "Live (polling: the event socket is not available)",
  closed: "Ended",
};

function Meter({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: string }) {
  const share = limit > 0 ? Math.min(1, used / limit) : 0;
  return (
    <div className="swarm-meter">
      <span className="swarm-meter-label">
        {label}: {used.toLocaleString()} / {limit.toLocaleString()} {unit}
      </span>
      <meter
        min={0}
        max={limit}
        value={Math.min(used, limit)}
        high={limit * 0.8}
        optimum={0}
        aria-label={`${label} used`}
      >
        {Math.round(share * 100)}%
      </meter>
    </div>
  );
}

function elapsedMs(run: SwarmRunDetail): number {
  if (!run.started_at) return 0;
  const end = run.ended_at ? Date.parse(run.ended_at) : Date.now();
  return Math.max(0, end - Date.parse(run.started_at));
}

function BudgetPanel({ run }: { run: SwarmRunDetail }) {
  const b = run.config.budget;
  return (
    <section className="panel" aria-labelledby="budget-heading">
      <h2 id="budget-heading">Budget</h2>
      <Meter label="Steps" used={run.steps_used} limit={b.max_steps} unit="turns" />
      <Meter label="Tokens" used={run.tokens_used} limit={b.max_tokens} unit="tokens" />
      <Meter label="Time" used={Math.round(elapsedMs(run) / 1000)} limit={Math.round(b.deadline_ms / 1000)} unit="s" />
      {run.deadline_at ? (
        <p className="muted small">
          Deadline <Time iso={run.deadline_at} />
        </p>
      ) : null}
    </section>
  );
}

const agentName = (run: SwarmRunDetail, id: string | null) =>
  id ? (run.agents.find((a) => a.id === id)?.name ?? id) : "—";

function StepItem({ run, step }: { run: SwarmRunDetail; step: SwarmStep }) {
  const facts: ReactNode[] = [];
  if (step.latency_ms !== null) facts.push(`${step.latency_ms.toLocaleString()} ms`);
  facts.push(`${step.tokens_in.toLocaleString()} in / ${step.tokens_out.toLocaleString()} out tokens`);
  if (step.attempts > 1) facts.push(`${step.attempts} attempts`);
  if (step.model) facts.push(<code key="model">{step.model}</code>);
  if (step.degraded)
    facts.push(
      <span key="degraded" className="pill tone-warn">
        degraded
      </span>,
    );
  return (
    <li className={`swarm-step swarm-step-${step.status}`} data-testid="swarm-step" data-status={step.status}>
      <div className="swarm-step-head">
        <span className="swarm-step-seq">#{step.seq}</span>
        <strong>{agentName(run, step.agent_id)}</strong>
        <span className="muted">
          {step.role}
          {step.round > 0 ? `, round ${step.round}` : ""} · <code>{step.key}</code>
        </span>
        <RunStatusPill status={step.status} />
      </div>
      <p className="muted small swarm-step-facts">
        {facts.map((f, i) => (
          <span key={i}>
            {i > 0 ? " · " : ""}
            {f}
          </span>
        ))}
        {step.started_at ? (
          <>
            {" "}
            · started <Time iso={step.started_at} />
          </>
        ) : null}
        {step.trace_id ? (
          <>
            {" "}
            · <TraceLink traceId={step.trace_id} label={`Trace of step ${step.seq}`} />
          </>
        ) : null}
      </p>
      {step.choice ? (
        <p className="small">
          Chose <strong>{agentName(run, step.choice)}</strong>
        </p>
      ) : null}
      {step.error ? <p className="field-error">{step.error}</p> : null}
      {step.input ? (
        <details>
          <summary className="small">Input</summary>
          <pre className="swarm-text">{step.input}</pre>
        </details>
      ) : null}
      {step.output !== null ? (
        <figure className="swarm-output" aria-label={`Output of step ${step.seq}`}>
          <pre className="swarm-text">{step.output || "(empty)"}</pre>
        </figure>
      ) : null}
      {step.status === "running" ? <p className="muted small">Working…</p> : null}
    </li>
  );
}

function Votes({ run, messages }: { run: SwarmRunDetail; messages: readonly SwarmMessage[] }) {
  const votes = messages.filter((m): m is Extract<SwarmMessage, { type: "vote" }> => m.type === "vote");
  if (votes.length === 0) return null;
  const tally = new Map<string, number>();
  for (const v of votes) {
    const key = v.choice ?? "";
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return (
    <section className="panel" aria-labelledby="votes-heading">
      <h2 id="votes-heading">Votes</h2>
      <ul className="plain-list">
        {votes.map((v) => (
          <li key={v.seq}>
            <strong>{agentName(run, v.agent_id)}</strong> voted for{" "}
            {v.choice ? <strong>{agentName(run, v.choice)}</strong> : <em>nothing (abstained)</em>}
          </li>
        ))}
      </ul>
      <p className="small">
        Tally:{" "}
        {[...tally.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([choice, n]) => `${choice ? agentName(run, choice) : "abstentions"} ${n}`)
          .join(", ")}
      </p>
    </section>
  );
}

function summary(run: SwarmRunDetail, m: SwarmMessage): string {
  switch (m.type) {
    case "task":
      return `Task given to ${m.agents.map((a) => a.name).join(", ")} (${m.strategy})`;
    case "assignment":
      return `${agentName(run, m.agent_id)} assigned as ${m.role}, attempt ${m.attempt}`;
    case "progress":
      return `${m.note} (${m.steps_used} steps, ${m.tokens_used} tokens)`;
    case "result":
      return m.final
        ? `Run ${m.status}: ${m.reason}`
        : `${agentName(run, m.agent_id)} ${m.status} in ${m.latency_ms} ms (${m.tokens_in + m.tokens_out} tokens)`;
    case "proposal":
      return `Proposal ${m.index} from ${agentName(run, m.agent_id)}`;
    case "vote":
      return `${agentName(run, m.agent_id)} voted for ${m.choice ? agentName(run, m.choice) : "nothing"}`;
    case "handoff":
      return `${agentName(run, m.from)} handed off to ${agentName(run, m.to)}`;
    case "cancel":
      return `Cancelled: ${m.reason}`;
    case "heartbeat":
      return `Heartbeat${m.status ? `: ${m.status}` : ""}`;
    case "error":
      return `${m.code}${m.fatal ? " (fatal)" : ""}: ${m.message}`;
  }
}

function EventLog({ run, messages }: { run: SwarmRunDetail; messages: readonly SwarmMessage[] }) {
  return (
    <section className="panel" aria-labelledby="events-heading">
      <h2 id="events-heading">Messages</h2>
      {messages.length === 0 ? <p className="muted">No messages received yet.</p> : null}
      <ol className="swarm-events" aria-live="off">
        {messages.map((m, i) => (
          <li key={m.seq > 0 ? m.seq : `x${i}`} className={m.type === "error" ? "swarm-event-error" : undefined}>
            <span className="swarm-event-type">{m.type}</span> <span>{summary(run, m)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const live = useRunEvents(runId);
  const cancel = useMutation({
    mutationFn: () => api.swarm.cancel(runId),
    onSuccess: (result) => live.update(result.run),
    meta: { invalidates: [queryKeys.swarm.lists] },
  });
  const run = live.run;

  if (!run) {
    return (
      <Page title="Swarm run">
        {live.error ? (
          <ErrorPanel title="Could not load the run" error={live.error} onRetry={live.reload} />
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </Page>
    );
  }
  const ended = isRunEnded(run.status);
  const steps = [...run.steps].sort((a, b) => a.seq - b.seq);
  return (
    <Page
      title={`Swarm run ${run.id}`}
      lead={
        <>
          {run.strategy} · {run.agents.map((a) => `${a.name} v${a.version}`).join(", ")} · started{" "}
          <Time iso={run.created_at} />
        </>
      }
      actions={
        <>
          <PageLink to="/swarm">All runs</PageLink>
          {!ended ? (
            <ConfirmMutation
              label="Cancel run"
              question="Cancel this run? Turns in flight are aborted."
              confirmLabel="Cancel run"
              mutation={cancel}
            />
          ) : null}
        </>
      }
    >
      {cancel.error ? <ErrorPanel title="Could not cancel the run" error={cancel.error} /> : null}
      {live.error ? <ErrorPanel title="Could not refresh the run" error={live.error} onRetry={live.reload} /> : null}
      <section
        className="panel swarm-outcome"
        aria-labelledby="outcome-heading"
        data-testid="swarm-outcome"
        data-status={run.status}
      >
        <h2 id="outcome-heading">
          Outcome <RunStatusPill status={run.status} />
        </h2>
        <p className="muted small" role="status">
          {CONNECTION_TEXT[live.connection]}
          {ended && run.ended_at ? (
            <>
              {" "}
              · ended <Time iso={run.ended_at} /> after {(elapsedMs(run) / 1000).toFixed(1)} s
            </>
          ) : null}
        </p>
        {run.reason ? <p data-testid="swarm-reason">{run.reason}</p> : null}
        {run.output !== null ? (
          <>
            <h3 className="small">Final output</h3>
            <pre className="swarm-text" data-testid="swarm-output">
              {run.output || "(empty)"}
            </pre>
          </>
        ) : !ended ? (
          <p className="muted">The run is working; its output appears here when it ends.</p>
        ) : null}
        <details>
          <summary className="small">Task</summary>
          <pre className="swarm-text">{run.task}</pre>
        </details>
      </section>
      <div className="panel-grid">
        <BudgetPanel run={run} />
        <Votes run={run} messages={live.messages} />
      </div>
      <section className="panel" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        {steps.length === 0 ? <p className="muted">No steps yet.</p> : null}
        <ol className="swarm-timeline">
          {steps.map((step) => (
            <StepItem key={step.seq} run={run} step={step} />
          ))}
        </ol>
      </section>
      <EventLog run={run} messages={live.messages} />
    </Page>
  );
}
