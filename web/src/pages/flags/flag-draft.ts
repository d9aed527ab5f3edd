// The flag editor's form values and their conversion to and from the API's definition.
import type { FlagDefinition } from "@hive/shared/api-client";

export type TargetRole = NonNullable<FlagDefinition["targeting"]["roles"]>[number];
export const TARGET_ROLES: readonly { role: TargetRole; label: string }[] = [
  { role: "admin", label: "Admins" },
  { role: "user", label: "Users" },
  { role: "read_only", label: "Read-only members" },
  { role: "service", label: "API keys" },
];

export interface FlagDraft {
  key: string;
  description: string;
  enabled: boolean;
  /** Text, so a half-typed number is not forced to 0 while editing. */
  rollout: string;
  variants: { name: string; weight: string }[];
  killSwitch: boolean;
  roles: TargetRole[];
  /** Workspace ids, one per line or comma-separated; empty: every workspace. */
  workspaces: string;
}

export const NEW_FLAG: FlagDraft = {
  key: "",
  description: "",
  enabled: false,
  rollout: "100",
  variants: [],
  killSwitch: false,
  roles: [],
  workspaces: "",
};

export function draftOf(key: string, def: FlagDefinition): FlagDraft {
  return {
    key,
    description: def.description,
    enabled: def.enabled,
    rollout: String(def.rollout_percentage),
    variants: def.variants.map((v) => ({ name: v.name, weight: String(v.weight) })),
    killSwitch: def.kill_switch,
    roles: [...(def.targeting.roles ?? [])],
    workspaces: (def.targeting.workspaces ?? []).join("\n"),
  };
}

export function definitionOf(d: FlagDraft): FlagDefinition {
  const workspaces = d.workspaces
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
  return {
    description: d.description.trim(),
    enabled: d.enabled,
    rollout_percentage: Number(d.rollout),
    variants: d.variants.map((v) => ({ name: v.name.trim(), weight: Number(v.weight) })),
    kill_switch: d.killSwitch,
    // Absent means "everyone"; an empty list would mean "no one".
    targeting: { ...(d.roles.length ? { roles: d.roles } : {}), ...(workspaces.length ? { workspaces } : {}) },
  };
}

/** "50% · variants a/b · admins" for the list. */
export function summary(def: FlagDefinition): string {
  const parts = [`${def.rollout_percentage}% rollout`];
  if (def.variants.length) parts.push(`variants ${def.variants.map((v) => `${v.name} (${v.weight})`).join(", ")}`);
  if (def.targeting.roles?.length) parts.push(`roles ${def.targeting.roles.join(", ")}`);
  if (def.targeting.workspaces?.length)
    parts.push(`${def.targeting.workspaces.length} workspace${def.targeting.workspaces.length === 1 ? "" : "s"}`);
  return parts.join(" · ");
}
