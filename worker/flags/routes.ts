// /api/flags: platform admins manage flags and kill switches; any signed-in caller can ask
// for its own decision on a flag (which records an exposure for A/B variants).
import type * as api from "@hive/shared/api-types/flags";
import { z } from "@hono/zod-openapi";
import { audit } from "../audit/audit";
import type { Database } from "../core/db";
import { ApiError } from "../core/errors";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import type { Expect, Same } from "../core/same-type";
import { signedIn } from "../core/signed-in";
import { definitionVersion, evaluateFlag } from "./evaluate";
import { FLAG_KEY, Flag, FlagDefinition } from "./schema";
import { deleteFlag, getFlag, KILL_SWITCHES, listFlags, readFlag, saveFlag } from "./store";

const KeyParam = z.object({
  key: z
    .string()
    .regex(FLAG_KEY, "lowercase letters, digits, _ . -; 2-64 characters")
    .openapi({ param: { name: "key", in: "path" } }),
});

const Exposure = z.object({ variant: z.string(), count: z.number() });
const FlagWithStats = Flag.extend({
  kill_switch_description: z.string().nullable(),
  exposures: z.array(Exposure),
}).openapi("FlagWithStats");
const KillSwitchState = z.object({
  key: z.string(),
  description: z.string(),
  /** On for everyone. A switch turned off for some workspaces, roles or a share is not `on`. */
  on: z.boolean(),
  /** Whom the capability is off for, when it is off for anyone. */
  off_for: z
    .object({
      everyone: z.boolean(),
      workspaces: z.array(z.string()).nullable(),
      roles: z.array(z.string()).nullable(),
      rollout_percentage: z.number(),
    })
    .nullable(),
});
const FlagList = z.object({ data: z.array(Flag), kill_switches: z.array(KillSwitchState) }).openapi("FlagList");
const Decision = z
  .object({ key: z.string(), enabled: z.boolean(), variant: z.string().nullable(), reason: z.string() })
  .openapi("FlagDecision");

export type FlagWithStats = z.infer<typeof FlagWithStats>;
export type FlagList = z.infer<typeof FlagList>;

// The types clients import from shared/api-types are exactly what these responses carry.
type _Checks = [Expect<Same<FlagWithStats, api.FlagWithStats>>, Expect<Same<FlagList, api.FlagList>>];

async function exposures(env: Env, key: string) {
  const rows = await env.COUNTERS.getByName(`flag:${key}`).read();
  return rows.filter((r) => r.name === "exposures").map((r) => ({ variant: r.labels, count: r.value }));
}

/** The stored flag `key`, or a 404. */
async function storedFlag(db: Database, key: string) {
  const flag = await getFlag(db, key);
  if (!flag) throw new ApiError("NOT_FOUND", `Flag ${key} not found`);
  return flag;
}

export function registerFlags(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/flags",
      tags: ["flags"],
      summary: "List flags and kill switches",
      ok: [FlagList, "Flags"],
    }),
    async (c) => {
      const flags = await listFlags(c.var.services.db);
      const kill_switches = Object.entries(KILL_SWITCHES).map(([key, description]) => {
        const def = flags.find((x) => x.key === key)?.definition;
        if (!def || def.enabled) return { key, description, on: true, off_for: null };
        const workspaces = def.targeting.workspaces?.length ? def.targeting.workspaces : null;
        const roles = def.targeting.roles?.length ? def.targeting.roles : null;
        const rollout = def.rollout_percentage;
        const everyone = !workspaces && !roles && rollout >= 100;
        return { key, description, on: false, off_for: { everyone, workspaces, roles, rollout_percentage: rollout } };
      });
      return c.json({ data: flags, kill_switches }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/flags/{key}",
      tags: ["flags"],
      summary: "A flag with its exposure counts per variant",
      params: KeyParam,
      ok: [FlagWithStats, "The flag"],
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      const flag = await storedFlag(c.var.services.db, key);
      const description = KILL_SWITCHES[key as keyof typeof KILL_SWITCHES] ?? null;
      return c.json({ ...flag, kill_switch_description: description, exposures: await exposures(c.env, key) }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path: "/api/flags/{key}",
      tags: ["flags"],
      summary: "Create or replace a flag (audited)",
      params: KeyParam,
      body: FlagDefinition,
      ok: [Flag, "Saved"],
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      const def = c.req.valid("json");
      const before = await getFlag(c.var.services.db, key);
      const principal = signedIn(c.var.principal);
      const flag = await saveFlag(c.var.services.db, c.env.FLAGS, key, def, principal.userId);
      await audit(c, {
        action: before ? "flag.updated" : "flag.created",
        workspaceId: null,
        targetType: "flag",
        targetId: key,
        detail: { before: before?.definition ?? null, after: def },
      });
      return c.json(flag, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/flags/{key}",
      tags: ["flags"],
      summary: "Delete a flag (a kill switch reverts to on; audited)",
      params: KeyParam,
      noContent: "Deleted",
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      const before = await storedFlag(c.var.services.db, key);
      await deleteFlag(c.var.services.db, c.env.FLAGS, key);
      await audit(c, {
        action: "flag.deleted",
        workspaceId: null,
        targetType: "flag",
        targetId: key,
        detail: { before: before.definition },
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/flags/{key}/decision",
      tags: ["flags"],
      summary: "The caller's decision on a flag (records an A/B exposure)",
      params: KeyParam,
      ok: [Decision, "Decision"],
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      const p = signedIn(c.var.principal);
      // Sticky per person: every credential of a user (session, token, API key) gets the same
      // decision; a service account's keys share the service account's.
      const def = await readFlag(c.env, key);
      const decision = evaluateFlag(key, def ?? undefined, { id: p.userId, role: p.role, workspaceId: p.workspaceId });
      if (def && decision.enabled && decision.variant) {
        // An exposure is a person meeting a version of the flag, counted once however often they ask.
        await c.env.COUNTERS.getByName(`flag:${key}`).addOnce(`exposure:${p.userId}:${definitionVersion(def)}`, [
          { name: "exposures", labels: decision.variant },
        ]);
      }
      return c.json(decision, 200);
    },
  );
}
