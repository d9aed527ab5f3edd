import type { Context } from "hono";
import { writeLog } from "./logger";

/**
 * Runs work after the response without holding it up (ctx.waitUntil). Without an execution
 * context (e.g. app.request in tests) the work still runs; failures are logged, never thrown.
 */
export function background(c: Context, label: string, work: Promise<unknown>): void {
  const guarded = work.catch((err: unknown) =>
    writeLog("warn", "background_task_failed", {
      task: label,
      error: err instanceof Error ? err.message : String(err),
    }),
  );
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    void guarded;
  }
}
