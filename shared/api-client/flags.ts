// /api/flags: feature flags and kill switches, managed by platform admins.
import type { Flag, FlagDefinition, FlagList, FlagWithStats, KillSwitchState } from "../api-types";
import { ApiCalls } from "./calls";
import { segment } from "./query";
import type { CallOptions } from "./transport";

export type { Flag, FlagDefinition, FlagList, FlagVariant, FlagWithStats } from "../api-types";
export type KillSwitch = KillSwitchState;

export class FlagsApi extends ApiCalls {
  /** Every flag, and the platform's kill switches with their current state. */
  list(opts?: CallOptions): Promise<FlagList> {
    return this.read<FlagList>("/api/flags", {}, opts);
  }

  /** One flag with its exposure counts per variant. */
  get(key: string, opts?: CallOptions): Promise<FlagWithStats> {
    return this.read<FlagWithStats>(`/api/flags/${segment(key)}`, {}, opts);
  }

  /** Creates or replaces a flag. */
  save(key: string, definition: FlagDefinition, opts?: CallOptions): Promise<Flag> {
    return this.http.json<Flag>("PUT", `/api/flags/${segment(key)}`, definition, opts);
  }

  /** Deletes a flag; a kill switch without its flag is on. */
  delete(key: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/flags/${segment(key)}`, opts);
  }
}
