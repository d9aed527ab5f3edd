// /api/flags: feature flags (on/off, sticky percentage rollout, A/B variants, targeting) and
// the kill switches that stop a capability.
import type { PrincipalRole } from "./roles";

export interface FlagVariant {
  name: string;
  /** Relative weight; weights need not sum to 100. */
  weight: number;
}

export interface FlagDefinition {
  description: string;
  /** Master switch. Off: everyone gets false. */
  enabled: boolean;
  /** Share of users (0-100) who get the flag, by a stable hash of flag key + user. */
  rollout_percentage: number;
  variants: FlagVariant[];
  kill_switch: boolean;
  targeting: { roles?: PrincipalRole[]; workspaces?: string[] };
}

export interface Flag {
  key: string;
  definition: FlagDefinition;
  updated_by: string;
  updated_at: string;
}

export interface FlagWithStats extends Flag {
  kill_switch_description: string | null;
  exposures: { variant: string; count: number }[];
}

export interface KillSwitchState {
  key: string;
  description: string;
  /** On for everyone. A switch turned off for some workspaces, roles or a share is not `on`. */
  on: boolean;
  /** Whom the capability is off for, when it is off for anyone. */
  off_for: {
    everyone: boolean;
    workspaces: string[] | null;
    roles: string[] | null;
    rollout_percentage: number;
  } | null;
}

export interface FlagList {
  data: Flag[];
  kill_switches: KillSwitchState[];
}
