// One tool call inside an answer: what the model asked for, what came back, and, for tools
// with side effects, the Approve / Deny decision the answer is waiting on.
import type { ApprovalBody } from "@hive/shared/api-client";
import type { ToolPart } from "./transcript";

const RESULT_TONE = { ok: "tone-ok", error: "tone-bad", denied: "tone-warn", cancelled: "tone-neutral" } as const;
/** The answers to an approval, one button each (deny styled as the dangerous one). */
const DECISIONS = [
  { decision: "approve", label: "Approve", className: "button" },
  { decision: "deny", label: "Deny", className: "button button-danger" },
] as const satisfies readonly { decision: ApprovalBody["decision"]; label: string; className: string }[];

/** Arguments as the model produced them, indented when they are JSON. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

interface ToolCallViewProps {
  part: ToolPart;
  /** Present while a decision can be sent (nothing else is streaming). */
  onDecide: ((callId: string, decision: ApprovalBody["decision"]) => void) | null;
}

export function ToolCallView({ part, onDecide }: ToolCallViewProps) {
  return (
    <div className="tool-call" data-testid="tool-call">
      <div className="tool-call-head">
        <span className="tool-call-label">Tool call</span> <code className="tool-call-name">{part.name}</code>
        {part.result ? (
          <span className={`pill ${RESULT_TONE[part.result.status]}`}>{part.result.status}</span>
        ) : part.approval === "waiting" ? (
          <span className="pill tone-warn">needs approval</span>
        ) : (
          <span className="pill tone-neutral">running…</span>
        )}
      </div>
      <figure className="tool-call-args-figure" aria-label="Arguments">
        <pre className="tool-call-args">{prettyJson(part.arguments)}</pre>
      </figure>
      {part.result ? (
        <details className="tool-call-result" open={part.result.content.length < 400}>
          <summary>Result</summary>
          <pre>{part.result.content}</pre>
        </details>
      ) : null}
      {part.approval === "waiting" ? (
        <fieldset className="approval" aria-label={`Approve ${part.name}?`}>
          <p>This tool has side effects. Run it?</p>
          {DECISIONS.map((d) => (
            <button
              key={d.decision}
              type="button"
              className={d.className}
              disabled={!onDecide}
              onClick={() => onDecide?.(part.callId, d.decision)}
            >
              {d.label}
            </button>
          ))}
        </fieldset>
      ) : null}
      {part.approval === "sent" ? <p className="muted small">Decision sent…</p> : null}
    </div>
  );
}
