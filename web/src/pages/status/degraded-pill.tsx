// The warning that the built-in offline model answers: its answers are extracted, not generated.
// Said wherever the model is named (an agent's facts, the status page's providers).
export function DegradedModelPill() {
  return (
    <span className="pill tone-warn" title="Answers are extracted from retrieved context, not generated">
      degraded
    </span>
  );
}
