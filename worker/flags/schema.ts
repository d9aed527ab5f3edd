// Feature flag definitions: on/off, percentage rollout sticky per user, A/B variants,
// targeting by role or workspace, and kill switches.

import type * as api from "@hive/shared/api-types/flags";
import { z } from "@hono/zod-openapi";
import { WORKSPACE_ROLES } from "../core/principal";
import type { Expect, Same } from "../core/same-type";

export const FLAG_KEY = /^[a-z][a-z0-9_.-]{1,63}$/;

export const Variant = z.object({
  name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
  /** Relative weight; weights need not sum to 100. */
  weight: z.number().int().min(0).max(10_000),
});

export const FlagDefinition = z
  .object({
    description: z.string().max(500).default(""),
    /** Master switch. Off: everyone gets `default_variant` (or false). */
    enabled: z.boolean(),
    /** Share of users (0-100, two decimals) who get the flag, by a stable hash of flag key + user. */
    rollout_percentage: z.number().min(0).max(100).default(100),
    variants: z.array(Variant).max(20).default([]),
    /** Kill switches are read on hot paths (inference, ingestion); off means the feature stops. */
    kill_switch: z.boolean().default(false),
    targeting: z
      .object({
        roles: z.array(z.enum([...WORKSPACE_ROLES, "service"])).optional(),
        workspaces: z.array(z.string().min(1)).max(1000).optional(),
      })
      .default({}),
  })
  .superRefine((def, ctx) => {
    const names = def.variants.map((v) => v.name);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: "custom", path: ["variants"], message: "variant names must be unique" });
    if (def.variants.length > 0 && def.variants.every((v) => v.weight === 0)) {
      ctx.addIssue({ code: "custom", path: ["variants"], message: "at least one variant needs a positive weight" });
    }
  })
  .openapi("FlagDefinition");

export type FlagDefinition = z.infer<typeof FlagDefinition>;

export const Flag = z
  .object({ key: z.string(), definition: FlagDefinition, updated_by: z.string(), updated_at: z.string() })
  .openapi("Flag");
export type Flag = z.infer<typeof Flag>;

export interface FlagSubject {
  /** The id used for stickiness: user id, else API key id, else a client id. */
  id: string;
  role?: string;
  workspaceId?: string;
}

export interface FlagDecision {
  key: string;
  enabled: boolean;
  variant: string | null;
  reason: "disabled" | "not_targeted" | "rollout_excluded" | "rollout_included" | "unknown_flag";
}

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [Expect<Same<FlagDefinition, api.FlagDefinition>>, Expect<Same<Flag, api.Flag>>];
