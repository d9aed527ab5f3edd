// GET /api/audit: the workspace's audit trail, newest first (admins and read-only members).
import type { AuditOutcome, AuditPage } from "../api-types";
import { ApiCalls } from "./calls";
import type { PageParams } from "./query";
import type { CallOptions } from "./transport";

export type { AuditEntry, AuditOutcome, AuditPage } from "../api-types";

export interface AuditFilters {
  /** An exact action (`auth.login`) or a family (`auth.*`). */
  action?: string;
  /** Actor user id. */
  actor?: string;
  outcome?: AuditOutcome;
  /** Target id. */
  target?: string;
  target_type?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
  /** Platform admins: every workspace, and events outside any workspace. */
  all?: boolean;
}

export class AuditApi extends ApiCalls {
  list(filters: AuditFilters & PageParams = {}, opts?: CallOptions): Promise<AuditPage> {
    return this.read<AuditPage>("/api/audit", { ...filters, all: filters.all || undefined }, opts);
  }
}
