// The swarm protocol, version 1: every message the coordinator records, streams to watchers and
// exchanges with agents. Defined once here (plain zod, no Worker imports) so the Worker, the
// coordinator Durable Object, the dashboard and the CLI parse the same shapes.
import { z } from "zod";
import { MESSAGE_TYPE_NAMES, RUN_STATUSES, TERMINAL_STATUSES } from "./constants";

export { RUN_STATUSES, TERMINAL_STATUSES };

export const PROTOCOL_VERSION = 1 as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const isTerminal = (s: RunStatus): s is TerminalStatus => (TERMINAL_STATUSES as readonly string[]).includes(s);

/** What an agent does in a run; the strategy decides which roles it uses. */
export const STEP_ROLES = ["worker", "aggregator", "router", "specialist", "proposer", "voter", "judge"] as const;
export type StepRole = (typeof STEP_ROLES)[number];

/**
 * succeeded: the agent answered and the answer is usable. invalid: it answered, but not with
 * what the step asked for (a router's choice that names no specialist, a vote for nothing):
 * an error step. failed: no answer after every attempt. cancelled: the run ended first.
 */
export const STEP_STATUSES = ["pending", "running", "succeeded", "invalid", "failed", "cancelled"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const ERROR_CODES = [
  // Rejected input on the socket (see parse.ts).
  "MALFORMED",
  "UNKNOWN_TYPE",
  "UNSUPPORTED_VERSION",
  "INVALID_FIELDS",
  "READ_ONLY",
  // Raised while a run works.
  "STEP_FAILED",
  "INVALID_CHOICE",
  "INVALID_HANDOFF",
  "QUORUM_NOT_REACHED",
  "VOTE_TIED",
  "BUDGET_EXCEEDED",
  "TIMED_OUT",
  "RUN_FAILED",
] as const;
export type SwarmErrorCode = (typeof ERROR_CODES)[number];

const id = z.string().min(1).max(64);
const text = z.string().max(200_000);
const count = z.number().int().min(0);

/** Fields every message carries. `seq` orders a run's events (1, 2, ...; 0 for unrecorded replies). */
const base = {
  v: z.literal(PROTOCOL_VERSION),
  run_id: id,
  seq: count.default(0),
  at: z
    .string()
    .max(40)
    .default(() => new Date().toISOString()),
};

const stepRef = {
  step: count.meta({ description: "The step's sequence number in the run" }),
  agent_id: id,
  role: z.enum(STEP_ROLES),
  round: count,
};

export const TaskMessage = z.object({
  ...base,
  type: z.literal("task"),
  strategy: z.string().max(32),
  task: text,
  agents: z.array(z.object({ id, name: z.string().max(200), version: z.number().int().min(1) })).max(40),
});

export const AssignmentMessage = z.object({
  ...base,
  type: z.literal("assignment"),
  ...stepRef,
  attempt: z.number().int().min(1),
  input: text,
});

export const ProgressMessage = z.object({
  ...base,
  type: z.literal("progress"),
  step: count.nullable(),
  note: z.string().max(2000),
  tokens_used: count,
  steps_used: count,
});

const StepResult = z.object({
  ...base,
  type: z.literal("result"),
  final: z.literal(false),
  ...stepRef,
  status: z.enum(STEP_STATUSES),
  output: text.nullable(),
  tokens_in: count,
  tokens_out: count,
  latency_ms: count,
  model: z.string().max(300).nullable(),
  degraded: z.boolean(),
});

/** The last message of every run: how it ended and why. */
const RunResult = z.object({
  ...base,
  type: z.literal("result"),
  final: z.literal(true),
  status: z.enum(TERMINAL_STATUSES),
  reason: z.string().max(2000),
  output: text.nullable(),
  tokens_used: count,
  steps_used: count,
});

export const ResultMessage = z.discriminatedUnion("final", [StepResult, RunResult]);

export const ProposalMessage = z.object({
  ...base,
  type: z.literal("proposal"),
  ...stepRef,
  /** The proposer's 1-based position in the run's agent_ids. */
  index: z.number().int().min(1),
  text,
});

export const VoteMessage = z.object({
  ...base,
  type: z.literal("vote"),
  ...stepRef,
  /** The agent whose proposal got the vote; null for an abstention (no valid choice). */
  choice: id.nullable(),
});

export const HandoffMessage = z.object({
  ...base,
  type: z.literal("handoff"),
  step: count,
  from: id,
  to: id,
  note: text,
});

export const CancelMessage = z.object({
  ...base,
  type: z.literal("cancel"),
  reason: z.string().max(2000),
  by: id.nullable(),
});

/** Sent by watchers to check the line; the coordinator answers with the run's status. */
export const HeartbeatMessage = z.object({
  ...base,
  type: z.literal("heartbeat"),
  status: z.enum(RUN_STATUSES).optional(),
  last_seq: count.optional(),
});

export const ErrorMessage = z.object({
  ...base,
  type: z.literal("error"),
  code: z.enum(ERROR_CODES),
  message: z.string().max(2000),
  step: count.nullable().default(null),
  agent_id: id.nullable().default(null),
  /** True when the error ends the run. */
  fatal: z.boolean().default(false),
});

export const SwarmMessage = z.discriminatedUnion("type", [
  TaskMessage,
  AssignmentMessage,
  ProgressMessage,
  ResultMessage,
  ProposalMessage,
  VoteMessage,
  HandoffMessage,
  CancelMessage,
  HeartbeatMessage,
  ErrorMessage,
]);

/** A parsed message (defaults applied). */
export type SwarmMessage = z.output<typeof SwarmMessage>;
export type MessageType = SwarmMessage["type"];
export const MESSAGE_TYPES = MESSAGE_TYPE_NAMES satisfies readonly MessageType[];
/** What a sender must provide (`seq` and `at` may be left out). */
export type SwarmMessageInput = z.input<typeof SwarmMessage>;
export type MessageOf<T extends MessageType> = Extract<SwarmMessage, { type: T }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message without the fields its sender's transport fills in (version, run, seq, time). */
export type MessageBody = DistributiveOmit<SwarmMessageInput, "v" | "run_id" | "seq" | "at">;
export type TaskMessage = z.output<typeof TaskMessage>;
export type AssignmentMessage = z.output<typeof AssignmentMessage>;
export type ResultMessage = z.output<typeof ResultMessage>;
export type ErrorMessage = z.output<typeof ErrorMessage>;
