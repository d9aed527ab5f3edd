// Edits to a safety policy's overrides (the workspace's over the platform default, an agent's
// over the workspace's). An unset cell inherits; clearing the last override of a stage drops
// the stage, so "everything inherited" is stored as `{}`, not as empty objects.
import type { SafetyDetector, SafetyPolicy, SafetyRule, SafetyStage, SafetyStagePolicy } from "@hive/shared/api-client";

/** Human names for the stages (SAFETY_STAGE_LABELS says what each checks). */
export const STAGE_TITLES: Readonly<Record<SafetyStage, string>> = {
  input: "Input",
  retrieval: "Retrieval",
  tool_output: "Tool output",
  output: "Output",
};

function withStage(policy: SafetyPolicy, stage: SafetyStage, next: SafetyStagePolicy): SafetyPolicy {
  const detectors = next.detectors && Object.keys(next.detectors).length ? next.detectors : undefined;
  const cleaned: SafetyStagePolicy = {
    ...(next.enabled !== undefined ? { enabled: next.enabled } : {}),
    ...(detectors ? { detectors } : {}),
  };
  const { [stage]: _dropped, ...rest } = policy;
  return Object.keys(cleaned).length ? { ...rest, [stage]: cleaned } : rest;
}

/** Sets a detector's rule at a stage, or (null) lets it inherit again. */
export function setRule(policy: SafetyPolicy, stage: SafetyStage, detector: SafetyDetector, rule: SafetyRule | null) {
  const current = policy[stage] ?? {};
  const { [detector]: _dropped, ...others } = current.detectors ?? {};
  return withStage(policy, stage, { ...current, detectors: rule ? { ...others, [detector]: rule } : others });
}

/** Turns a stage's checks on or off, or (null) lets it inherit again. */
export function setEnabled(policy: SafetyPolicy, stage: SafetyStage, enabled: boolean | null): SafetyPolicy {
  const { enabled: _dropped, ...current } = policy[stage] ?? {};
  return withStage(policy, stage, enabled === null ? current : { ...current, enabled });
}

/** A threshold as typed: blank is the detector's default; anything else is sent as a number for the API to validate. */
export const parseThreshold = (typed: string): number | undefined => (typed.trim() === "" ? undefined : Number(typed));
