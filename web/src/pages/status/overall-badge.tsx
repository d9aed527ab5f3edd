import type { Overall } from "./use-status";

const TEXT: Record<Overall, string> = {
  checking: "Checking…",
  healthy: "Healthy",
  degraded: "Degraded",
  unreachable: "Unreachable",
};

const TONE: Record<Overall, string> = {
  checking: "tone-neutral",
  healthy: "tone-ok",
  degraded: "tone-warn",
  unreachable: "tone-bad",
};

export function OverallBadge({ overall }: { overall: Overall }) {
  return (
    <span className={`badge ${TONE[overall]}`} data-testid="overall-status">
      {TEXT[overall]}
    </span>
  );
}
