// How long a model call may take, from config (MODEL_* keys): a person watching a stream waits a
// few seconds for the first event, a non-streaming /v1 client waits longer, no stream may fall
// silent past the idle timeout, the whole turn has one deadline, and a model whose breaker opened
// rests for a cool-down. Tests shorten them through
// the provider-overrides seam, which only ENVIRONMENT=test honours.
import type { Config } from "../config";
import { providerOverrides } from "./overrides";

export interface ModelPolicy {
  /** Until a provider's first event, retries included, before the next in the chain is asked. */
  firstEventMs: number;
  /** The longest silence between two events of a stream that has started. */
  idleMs: number;
  /** Epoch ms by which the turn must be answered; after it nothing more is started. */
  deadlineAt: number;
  /** Without a first event after this long, the next provider starts alongside (0: never). */
  hedgeDelayMs: number;
  /** How long an open breaker rests a model (breakers are made on first use, with this). */
  breakerCooldownMs: number;
  /** Non-streaming: an answer cut midway is thrown away and the next provider answers whole. */
  whole: boolean;
}

export type ModelDeadlines = Omit<ModelPolicy, "deadlineAt" | "whole"> & { turnMs: number };

type DeadlineConfig = Pick<
  Config,
  | "ENVIRONMENT"
  | "MODEL_FIRST_EVENT_TIMEOUT_MS"
  | "MODEL_BLOCKING_FIRST_EVENT_TIMEOUT_MS"
  | "MODEL_IDLE_TIMEOUT_MS"
  | "MODEL_TURN_DEADLINE_MS"
  | "MODEL_HEDGE_DELAY_MS"
  | "MODEL_BREAKER_COOLDOWN_MS"
>;

/** The policy for one turn starting now; `whole` for a caller that waits for the complete answer. */
export function modelPolicy(config: DeadlineConfig, whole = false): ModelPolicy {
  const configured: ModelDeadlines = {
    firstEventMs: whole ? config.MODEL_BLOCKING_FIRST_EVENT_TIMEOUT_MS : config.MODEL_FIRST_EVENT_TIMEOUT_MS,
    idleMs: config.MODEL_IDLE_TIMEOUT_MS,
    turnMs: config.MODEL_TURN_DEADLINE_MS,
    hedgeDelayMs: config.MODEL_HEDGE_DELAY_MS,
    breakerCooldownMs: config.MODEL_BREAKER_COOLDOWN_MS,
  };
  const override = config.ENVIRONMENT === "test" ? providerOverrides().deadlines : undefined;
  const { turnMs, ...d } = { ...configured, ...override };
  return { ...d, deadlineAt: Date.now() + turnMs, whole };
}
