// Deterministic flag evaluation. The same subject always lands in the same bucket for a flag
// (FNV-1a + fmix32 over "flag:subject"), so rollouts are sticky and variants stable across requests,
// isolates and locations without storing assignments.
import { fmix32, fnv1a } from "../core/hash";
import type { FlagDecision, FlagDefinition, FlagSubject } from "./schema";

/** A bucket in [0, 10000): two decimals of percentage precision. */
export const bucketOf = (salt: string, subjectId: string) => fmix32(fnv1a(`${salt}:${subjectId}`)) % 10_000;

export function evaluateFlag(key: string, def: FlagDefinition | undefined, subject: FlagSubject): FlagDecision {
  if (!def) return { key, enabled: false, variant: null, reason: "unknown_flag" };
  if (!def.enabled) return { key, enabled: false, variant: null, reason: "disabled" };
  const scope = scopeOf(key, def, subject);
  if (scope !== "included") return { key, enabled: false, variant: null, reason: scope };
  return { key, enabled: true, variant: pickVariant(key, def, subject.id), reason: "rollout_included" };
}

/**
 * A kill switch's state for one subject. Its targeting and rollout pick whom the switch applies to
 * (everyone when both are open); `enabled` is the capability's state for them. Everyone else keeps
 * the capability: a switch turned off for one workspace stops only that workspace.
 */
export function killSwitchOn(key: string, def: FlagDefinition | undefined, subject: FlagSubject): boolean {
  if (!def || def.enabled) return true;
  return scopeOf(key, def, subject) !== "included";
}

function scopeOf(
  key: string,
  def: FlagDefinition,
  subject: FlagSubject,
): "included" | "not_targeted" | "rollout_excluded" {
  const t = def.targeting;
  if (t.roles?.length && !(subject.role && t.roles.includes(subject.role as never))) return "not_targeted";
  if (t.workspaces?.length && !(subject.workspaceId && t.workspaces.includes(subject.workspaceId)))
    return "not_targeted";
  if (bucketOf(key, subject.id) >= Math.round(def.rollout_percentage * 100)) return "rollout_excluded";
  return "included";
}

/** A flag definition's version for counting exposures: changing the definition starts a new one. */
export const definitionVersion = (def: FlagDefinition): string => fmix32(fnv1a(JSON.stringify(def))).toString(36);

function pickVariant(key: string, def: FlagDefinition, subjectId: string): string | null {
  const total = def.variants.reduce((s, v) => s + v.weight, 0);
  if (total === 0) return null;
  // A separate salt, so variant assignment is independent of the rollout bucket.
  let point = fmix32(fnv1a(`${key}#variant:${subjectId}`)) % total;
  for (const v of def.variants) {
    if (point < v.weight) return v.name;
    point -= v.weight;
  }
  return null;
}
