// /api/audit: the workspace's audit log, newest first.
import type { Page } from "./page";

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  id: string;
  workspace_id: string | null;
  actor_id: string | null;
  actor_kind: string;
  actor_email: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  request_id: string | null;
  /** The trace of the request that wrote the entry, when it was kept (GET /api/traces/:id). */
  trace_id: string | null;
  detail: Record<string, unknown> | null;
  created_at: string;
}
export type AuditPage = Page<AuditEntry>;
