import type { Overall } from "./use-status";

const TEXT: Record<Overall, string> = {
  checking: "Checking…",
  healthy: "Healthy",
  degraded: "Degraded",
  unreachable: "Unreachable",
};

export function OverallBadge({ overall }: { overall: Overall }) {
  return (
    <span className={`badge badge-${overall}`} data-testid="overall-status">
      {TEXT[overall]}
    </span>
  );
}
