// One tool call inside an answer: what the model asked for, what came back, and, for tools
// with side effects, the Approve / Deny decision the answer is waiting on.
import type { ApprovalBody } from "@hive/shared/api-client";
import type { ToolPart } from "./transcript";

const RESULT_TONE = { ok: "tone-ok", error: "tone-bad", denied: "tone-warn", cancelled: "tone-neutral" } as const;

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
          <button
            type="button"
            className="button"
            disabled={!onDecide}
            onClick={() => onDecide?.(part.callId, "approve")}
          >
            Approve
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!onDecide}
            onClick={() => onDecide?.(part.callId, "deny")}
          >
            Deny
          </button>
        </fieldset>
      ) : null}
      {part.approval === "sent" ? <p className="muted small">Decision sent…</p> : null}
    </div>
  );
}
