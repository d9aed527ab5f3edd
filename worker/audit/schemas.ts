// Response and query shapes for GET /api/audit (types shared with the dashboard and CLI).

import type * as api from "@hive/shared/api-types/audit";
import { AUDIT_OUTCOMES } from "@hive/shared/api-types/audit";
import { z } from "@hono/zod-openapi";
import { inQuery, page, switchQuery } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";

export const AuditEntry = z
  .object({
    id: z.string(),
    workspace_id: z.string().nullable(),
    actor_id: z.string().nullable(),
    actor_kind: z.string(),
    actor_email: z.string().nullable(),
    actor_name: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    outcome: z.enum(AUDIT_OUTCOMES),
    ip: z.string().nullable(),
    request_id: z.string().nullable(),
    trace_id: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
  })
  .openapi("AuditEntry");
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = page(AuditEntry).openapi("AuditPage");
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditQuery = z.object({
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)?(\.\*)?$/, "an action like auth.login, or a prefix like auth.*")
    .max(64)
    .optional()
    .openapi(inQuery("action", "exact action, or `auth.*` for a family")),
  actor: z.string().min(1).max(64).optional().openapi(inQuery("actor", "actor user id")),
  outcome: z.enum(AUDIT_OUTCOMES).optional().openapi(inQuery("outcome")),
  target: z.string().min(1).max(64).optional().openapi(inQuery("target", "target id")),
  target_type: z.string().min(1).max(32).optional().openapi(inQuery("target_type")),
  since: z.iso.datetime({ offset: true }).optional().openapi(inQuery("since", "ISO 8601, inclusive")),
  until: z.iso.datetime({ offset: true }).optional().openapi(inQuery("until", "ISO 8601, exclusive")),
  all: switchQuery("all", "platform admins: every workspace, and events outside any workspace"),
});

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [Expect<Same<AuditEntry, api.AuditEntry>>];
