// A run's or a step's status as a coloured pill (the Status page's tones).
import type { RunStatus, SwarmStep } from "@hive/shared/api-client";

type AnyStatus = RunStatus | SwarmStep["status"];

const TONE: Readonly<Record<AnyStatus, string>> = {
  pending: "tone-neutral",
  running: "tone-warn",
  succeeded: "tone-ok",
  invalid: "tone-bad",
  failed: "tone-bad",
  cancelled: "tone-neutral",
  timed_out: "tone-bad",
};

export function RunStatusPill({ status }: { status: AnyStatus }) {
  return <span className={`pill ${TONE[status]}`}>{status.replace("_", " ")}</span>;
}
