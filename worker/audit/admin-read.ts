// A platform administrator's read beyond their own workspaces is audited, every time; the row is
// written in the background (losing one is acceptable for a read) and belongs to no workspace
// unless the read was of one.
import type { Context } from "hono";
import type { HonoEnv } from "../core/env";
import { type AuditEvent, audit } from "./audit";

/** Audits a platform-admin read as `action`; `event` names what was read. */
export const auditAdminRead = (c: Context<HonoEnv>, action: string, event: Omit<AuditEvent, "action"> = {}) =>
  audit(c, { action, workspaceId: null, ...event }, { background: true });
