// A change and its audit row are written in one D1 batch, so a failure leaves neither: routes
// hand this statement to the store function that builds the batch.
import type { Context } from "hono";
import { auditLogs } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { type AuditEvent, auditRow } from "./audit";

/** The audit row of a change, as a statement to join the change's D1 batch. */
export const auditStatement = (c: Context<HonoEnv>, event: AuditEvent) =>
  c.var.services.db.insert(auditLogs).values(auditRow(c, event));
