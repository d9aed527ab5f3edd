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
  const t = def.targeting;
  if (t.roles?.length && !(subject.role && t.roles.includes(subject.role as never))) {
    return { key, enabled: false, variant: null, reason: "not_targeted" };
  }
  if (t.workspaces?.length && !(subject.workspaceId && t.workspaces.includes(subject.workspaceId))) {
    return { key, enabled: false, variant: null, reason: "not_targeted" };
  }
  if (bucketOf(key, subject.id) >= Math.round(def.rollout_percentage * 100)) {
    return { key, enabled: false, variant: null, reason: "rollout_excluded" };
  }
  return { key, enabled: true, variant: pickVariant(key, def, subject.id), reason: "rollout_included" };
}

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
