// One answer: streamed text and tool calls in order, then its sources, and a footer with the
// model, token usage and a visible "degraded" badge when the offline model (or a fallback) answered.
import { type AnswerCitation, type ApprovalBody, fallbackText } from "@hive/shared/api-client";
import { Link } from "../../router/link";
import { SourceLink } from "../knowledge/source-link";
import { STAGE_TITLES } from "../safety/policy-edit";
import { TraceLink } from "../traces/trace-link";
import { OriginalLink } from "./original-link";
import { ToolCallView } from "./tool-call-view";
import type { AnswerEntry, AnswerState, GuardView } from "./transcript";

const STATE_NOTE: Partial<Record<AnswerState, string>> = {
  cancelled: "Stopped.",
  awaiting_approval: "Waiting for your decision on a tool call.",
  length: "Cut off at the agent's max tokens.",
  step_limit: "Stopped at the agent's step limit.",
  blocked: "Blocked by the workspace's safety policy.",
  interrupted: "The connection ended before the answer finished.",
};

/** One source, numbered like the answer's [n] marker, linking to its document's knowledge base and original file, and quoting what the answer used. */
function SourceView({ citation }: { citation: AnswerCitation }) {
  const { marker, document_name: name, snippet } = citation;
  return (
    <li data-testid="citation" data-marker={marker}>
      <span className="citation-marker">[{marker}]</span>{" "}
      <Link
        to={`/knowledge/${encodeURIComponent(citation.knowledge_base_id)}`}
        title={`Document ${citation.document_id}`}
        data-testid="citation-document"
      >
        {name}
      </Link>{" "}
      <SourceLink url={citation.source_url} />{" "}
      <span className="muted small">
        chars {snippet.start_offset}–{snippet.end_offset}
      </span>{" "}
      <OriginalLink
        knowledgeBaseId={citation.knowledge_base_id}
        documentId={citation.document_id}
        documentName={name}
      />
      <blockquote className="citation-snippet">{snippet.text}</blockquote>
    </li>
  );
}

const GUARD_VERB: Record<GuardView["action"], string> = {
  redact: "redacted",
  block: "blocked",
};

/** One thing the guard did in this turn, in words (not colour alone): stage, action and each finding. */
function GuardNote({ guard }: { guard: GuardView }) {
  const findings = guard.findings.map((f) => `${f.detector} ${f.category} (${f.score.toFixed(2)})`).join(", ");
  const quarantined = guard.quarantined ? ` · ${guard.quarantined} quarantined` : "";
  return (
    <li className={`guard-note guard-${guard.action}`} data-testid="guard-event" data-action={guard.action}>
      <span className="pill tone-warn">guard</span> {STAGE_TITLES[guard.stage]}: {GUARD_VERB[guard.action]}
      {findings ? ` — ${findings}` : ""}
      {quarantined}
    </li>
  );
}

function sum(answer: AnswerEntry) {
  return answer.usage.reduce(
    (t, u) => ({ in: t.in + u.tokensIn, out: t.out + u.tokensOut, ms: t.ms + (u.latencyMs ?? 0) }),
    { in: 0, out: 0, ms: 0 },
  );
}

interface AnswerViewProps {
  answer: AnswerEntry;
  onDecide: ((callId: string, decision: ApprovalBody["decision"]) => void) | null;
}

export function AnswerView({ answer, onDecide }: AnswerViewProps) {
  const totals = sum(answer);
  const models = [...new Set(answer.usage.map((u) => u.model))];
  const streaming = answer.state === "streaming";
  return (
    <article className="message message-assistant" data-testid="answer" data-state={answer.state} aria-busy={streaming}>
      <div className="message-body">
        {answer.parts.map((part, i) =>
          part.kind === "text" ? (
            <p key={i} className="answer-text" data-testid="answer-text">
              {part.text}
            </p>
          ) : (
            <ToolCallView key={part.callId} part={part} onDecide={onDecide} />
          ),
        )}
        {streaming && answer.parts.length === 0 ? <p className="muted typing">Thinking…</p> : null}
        {streaming ? <span className="cursor" aria-hidden="true" /> : null}
      </div>
      {answer.guards.length ? (
        <ul className="guard-notes plain-list" aria-label="Safety guard">
          {answer.guards.map((g, i) => (
            <GuardNote key={i} guard={g} />
          ))}
        </ul>
      ) : null}
      {answer.error ? (
        <p className="field-error" role="alert">
          {answer.error}
        </p>
      ) : null}
      {STATE_NOTE[answer.state] ? <p className="muted small">{STATE_NOTE[answer.state]}</p> : null}
      {answer.citations.length ? (
        <section className="citations" aria-label="Sources">
          <h3>Sources</h3>
          <ul>
            {answer.citations.map((c) => (
              <SourceView key={c.passage_id} citation={c} />
            ))}
          </ul>
        </section>
      ) : null}
      {answer.usage.length || answer.degraded || answer.traceId ? (
        <footer className="answer-meta">
          {answer.degraded ? (
            <span
              className="pill tone-warn"
              data-testid="degraded-badge"
              title="Answered by the offline model or a fallback, not the agent's own model"
            >
              {answer.fallback ? `degraded: ${fallbackText(answer.fallback)}` : "degraded"}
            </span>
          ) : null}
          {models.length ? <code>{models.join(", ")}</code> : null}
          {answer.usage.length ? (
            <span data-testid="usage">
              {totals.in} tokens in · {totals.out} out · {totals.ms} ms
            </span>
          ) : null}
          {answer.agentVersion ? <span>agent v{answer.agentVersion}</span> : null}
          <TraceLink traceId={answer.traceId} />
        </footer>
      ) : null}
    </article>
  );
}
