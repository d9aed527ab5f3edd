// Option values of `hive safety` checked against the API's own vocabularies, so a typo is a usage
// error listing what is allowed rather than a 400 from the server.
import {
  type SafetyAction,
  type SafetyDetector,
  type SafetyStage,
  safetyActions,
  safetyDetectors,
  safetyStages,
} from "@hive/shared/api-client";
import { CliError, EXIT } from "../command";

const ALLOWED = { stage: safetyStages(), detector: safetyDetectors(), action: safetyActions() } as const;
interface Chosen {
  stage: SafetyStage;
  detector: SafetyDetector;
  action: SafetyAction;
}

export function oneOf<K extends keyof Chosen>(option: K, value: unknown): Chosen[K] | undefined {
  if (value === undefined) return undefined;
  const allowed: readonly string[] = ALLOWED[option];
  if (typeof value === "string" && allowed.includes(value)) return value as Chosen[K];
  throw new CliError(`--${option} must be one of ${allowed.join(", ")}`, EXIT.USAGE);
}
