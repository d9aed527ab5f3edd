// The protocol's plain values (no zod), so the dashboard's bundle can use them without the
// schemas: strategies, limits, run statuses and message types. messages.ts and run.ts build on them.

export const STRATEGIES = ["pipeline", "parallel", "router", "debate"] as const;

/** Hard ceilings; a request may ask for less, never for more. */
export const LIMITS = {
  agents: 20,
  steps: 200,
  tokens: 2_000_000,
  deadlineMs: 3_600_000,
  rounds: 5,
  handoffs: 5,
} as const;

export const RUN_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled", "timed_out"] as const;
export const TERMINAL_STATUSES = ["succeeded", "failed", "cancelled", "timed_out"] as const;

/** Every message type (messages.ts checks each against the schemas). */
export const MESSAGE_TYPE_NAMES = [
  "task",
  "assignment",
  "progress",
  "result",
  "proposal",
  "vote",
  "handoff",
  "cancel",
  "heartbeat",
  "error",
] as const;
