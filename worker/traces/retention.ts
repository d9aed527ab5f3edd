// Trace retention, run by the Cron Trigger (worker/index.ts): traces that started more than
// TRACE_RETENTION_DAYS ago are deleted with their spans, oldest first, in bounded batches so one
// run never holds D1 for long; what does not fit waits for the next run. Each batch deletes the
// spans and their trace row in one transaction, so no trace is left without its spans.
import { getConfig } from "../core/config";
import { writeLog } from "../core/logger";

/** Traces per batch, and batches per run. */
const BATCH = 200;
const MAX_BATCHES = 25;
const DAY_MS = 86_400_000;

const OLDEST = "SELECT trace_id FROM traces WHERE started_at < ?1 ORDER BY started_at LIMIT ?2";

/** Deletes expired traces and their spans; returns how many traces went. */
export async function purgeExpiredTraces(env: Env, now: number): Promise<number> {
  const cutoff = now - getConfig(env).TRACE_RETENTION_DAYS * DAY_MS;
  let purged = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const [, deleted] = await env.DB.batch([
      env.DB.prepare(`DELETE FROM trace_spans WHERE trace_id IN (${OLDEST})`).bind(cutoff, BATCH),
      env.DB.prepare(`DELETE FROM traces WHERE trace_id IN (${OLDEST})`).bind(cutoff, BATCH),
    ]);
    const n = deleted?.meta.changes ?? 0;
    purged += n;
    if (n < BATCH) break;
  }
  writeLog("info", "traces_purged", { traces: purged, before: new Date(cutoff).toISOString() });
  return purged;
}
