// The audit trail (OWASP ASVS V16): one append-only row per mutation and per auth event.
// Security events are written before the response is sent; callers pass `background` only
// where losing the row is acceptable (reads by platform admins, session housekeeping).
import type { Context } from "hono";
import type { DenialHook } from "../core/authorize";
import { background } from "../core/background";
import { auditLogs } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { newId } from "../core/ids";
import { activeTraceId } from "../core/trace/links";

export type AuditOutcome = "success" | "failure" | "denied";
export type ActorKind = "user" | "api_key" | "anonymous" | "system";

export interface AuditEvent {
  action: string;
  outcome?: AuditOutcome;
  /** Defaults to the principal's current workspace; null for events outside any workspace. */
  workspaceId?: string | null;
  /** Defaults to the principal; login events name the account they concern. */
  actor?: { id: string | null; kind: ActorKind };
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
}

const SECRET_KEY = /pass(word)?|secret|token|hash|pepper|authorization|cookie|^key$/i;

function clean(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) if (!SECRET_KEY.test(k)) out[k] = v;
  return out;
}

export const clientIp = (c: Context<HonoEnv>) => c.req.header("CF-Connecting-IP") ?? null;

export type AuditRow = typeof auditLogs.$inferInsert;

/** The row `audit` writes, for callers that hand it to a Durable Object to write with its own batch. */
export function auditRow(c: Context<HonoEnv>, event: AuditEvent): AuditRow {
  const p = c.get("principal");
  const signedIn = p && p.kind !== "anonymous" ? p : null;
  const detail = {
    ...(signedIn?.via === "api_key" ? { key_id: signedIn.credentialId } : {}),
    ...clean(event.detail ?? {}),
  };
  const row = {
    id: newId("aud"),
    workspaceId: event.workspaceId === undefined ? (signedIn?.workspaceId ?? null) : event.workspaceId,
    actorId: event.actor ? event.actor.id : (signedIn?.userId ?? null),
    actorKind: event.actor ? event.actor.kind : (signedIn?.kind ?? "anonymous"),
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    outcome: event.outcome ?? "success",
    ip: clientIp(c),
    requestId: c.get("requestId") ?? null,
    traceId: activeTraceId(),
    detail: Object.keys(detail).length > 0 ? detail : null,
    createdAt: Date.now(),
  };
  return row;
}

export async function audit(
  c: Context<HonoEnv>,
  event: AuditEvent,
  opts: { background?: boolean } = {},
): Promise<void> {
  const write = c.var.services.db
    .insert(auditLogs)
    .values(auditRow(c, event))
    .then(() => undefined);
  if (opts.background) return background(c, `audit ${event.action}`, write);
  await write;
}

/** The `authorize()` hook: a signed-in principal refused by the permission table. */
export const auditDenied: DenialHook = async (c, route, error) => {
  const p = c.get("principal");
  // Anonymous 401s are not recorded: anyone on the internet could fill the table with them.
  if (p.kind === "anonymous") return;
  await audit(c, { action: "permission.denied", outcome: "denied", detail: { route, code: error.code } });
};
