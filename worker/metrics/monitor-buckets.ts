// Per-workspace, per-minute request buckets for the Monitoring page: count, 5xx errors and a
// latency histogram (histogram.ts buckets), per agent where the route names one. Aggregated in
// the isolate like the Prometheus counters and flushed to the workspace's own Counters object
// ("monitor:<workspace>"), which keeps RETENTION_MS of minutes.
import type { SeriesIncrement } from "../core/counters";
import { BUCKETS_MS, bucketIndex } from "./histogram";

export const MINUTE_MS = 60_000;
/** A week's window plus a day of slack. */
export const RETENTION_MS = 8 * 24 * 3600_000;

/** Series names in a minute: requests, errors and one latency_<i> per histogram bucket. */
export const LATENCY_PREFIX = "latency_";

export interface MinuteSample {
  /** The agent the route names, or "". */
  agent: string;
  error: boolean;
  durationMs: number;
}

/** workspace → "minute|agent|name" → increment. */
let pending = new Map<string, Map<string, SeriesIncrement>>();

function add(into: Map<string, SeriesIncrement>, minute: number, agent: string, name: string) {
  const key = `${minute}|${agent}|${name}`;
  const cur = into.get(key);
  if (cur) cur.by += 1;
  else into.set(key, { minute, agent, name, by: 1 });
}

export function recordMinute(workspaceId: string, sample: MinuteSample, now = Date.now()) {
  let ws = pending.get(workspaceId);
  if (!ws) pending.set(workspaceId, (ws = new Map()));
  const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  add(ws, minute, sample.agent, "requests");
  if (sample.error) add(ws, minute, sample.agent, "errors");
  add(ws, minute, sample.agent, `${LATENCY_PREFIX}${bucketIndex(sample.durationMs)}`);
}

/** Number of latency buckets per minute (BUCKETS_MS plus +Inf). */
export const LATENCY_BUCKETS = BUCKETS_MS.length + 1;

export async function flushMonitor(env: Env): Promise<void> {
  if (pending.size === 0) return;
  const batch = pending;
  pending = new Map();
  await Promise.all(
    [...batch].map(([ws, rows]) => env.COUNTERS.getByName(`monitor:${ws}`).addSeries([...rows.values()], RETENTION_MS)),
  );
}
