// One answer: streamed text and tool calls in order, then its sources, and a footer with the
// model, token usage and a visible "degraded" badge when the offline model (or a fallback) answered.
import type { ApprovalBody } from "../../../../shared/api-client";
import { ToolCallView } from "./tool-call-view";
import type { AnswerEntry, AnswerState } from "./transcript";

const STATE_NOTE: Partial<Record<AnswerState, string>> = {
  cancelled: "Stopped.",
  awaiting_approval: "Waiting for your decision on a tool call.",
  length: "Cut off at the agent's max tokens.",
  step_limit: "Stopped at the agent's step limit.",
  interrupted: "The connection ended before the answer finished.",
};

// knowledge_search results list passages as "[n] (id <passage id>, <source>) text": naming the
// source is what makes a citation readable.
const PASSAGE = /\[\d+\] \(id ([^,)]+)(?:, ([^)]+))?\)/g;

function citationSources(parts: AnswerEntry["parts"]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const p of parts) {
    if (p.kind !== "tool" || p.name !== "knowledge_search" || !p.result) continue;
    for (const m of p.result.content.matchAll(PASSAGE)) if (m[1] && m[2]) sources.set(m[1], m[2]);
  }
  return sources;
}

function sum(answer: AnswerEntry) {
  return answer.usage.reduce((t, u) => ({ in: t.in + u.tokensIn, out: t.out + u.tokensOut, ms: t.ms + (u.latencyMs ?? 0) }), { in: 0, out: 0, ms: 0 });
}

interface AnswerViewProps {
  answer: AnswerEntry;
  onDecide: ((callId: string, decision: ApprovalBody["decision"]) => void) | null;
}

export function AnswerView({ answer, onDecide }: AnswerViewProps) {
  const sources = citationSources(answer.parts);
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
      {answer.error ? (
        <p className="field-error" role="alert">
          {answer.error}
        </p>
      ) : null}
      {STATE_NOTE[answer.state] ? <p className="muted small">{STATE_NOTE[answer.state]}</p> : null}
      {answer.citations.length ? (
        <section className="citations" aria-label="Sources">
          <h3>Sources</h3>
          <ol>
            {answer.citations.map((id) => (
              <li key={id} data-testid="citation">
                {sources.get(id) ?? "Passage"} <code>{id}</code>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {answer.usage.length || answer.degraded ? (
        <footer className="answer-meta">
          {answer.degraded ? (
            <span className="pill tone-warn" data-testid="degraded-badge" title="Answered by the offline model or a fallback, not the agent's own model">
              degraded
            </span>
          ) : null}
          {models.length ? <code>{models.join(", ")}</code> : null}
          {answer.usage.length ? (
            <span data-testid="usage">
              {totals.in} tokens in · {totals.out} out · {totals.ms} ms
            </span>
          ) : null}
          {answer.agentVersion ? <span>agent v{answer.agentVersion}</span> : null}
        </footer>
      ) : null}
    </article>
  );
}
