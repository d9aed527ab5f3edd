// Deterministic flag evaluation. The same subject always lands in the same bucket for a flag
// (FNV-1a over "flag:subject"), so rollouts are sticky and variants stable across requests,
// isolates and locations without storing assignments.
import type { FlagDecision, FlagDefinition, FlagSubject } from "./schema";

/** 32-bit FNV-1a; fast, well mixed for short keys, identical on every runtime. */
export function fnv1a(input: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so nearby ids spread over the whole range.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A bucket in [0, 10000): two decimals of percentage precision. */
export const bucketOf = (salt: string, subjectId: string) => fnv1a(`${salt}:${subjectId}`) % 10_000;

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
  let point = fnv1a(`${key}#variant:${subjectId}`) % total;
  for (const v of def.variants) {
    if (point < v.weight) return v.name;
    point -= v.weight;
  }
  return null;
}
