// Request metrics. Each isolate aggregates in memory and flushes to the Counters Durable
// Object ("metrics") at most every FLUSH_MS, so the hot path never waits on storage.
// In production every request is also written to Analytics Engine (non-blocking).
import type { Context } from "hono";
import { background } from "../core/background";
import type { CounterIncrement } from "../core/counters";
import type { HonoEnv } from "../core/env";

const FLUSH_MS = 10_000;
/** Upper bounds in ms for the latency histogram. */
export const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

let pending = new Map<string, CounterIncrement>();
let lastFlush = Date.now();

function add(name: string, labels: string, by = 1) {
  const key = `${name}|${labels}`;
  const cur = pending.get(key);
  if (cur) cur.by = (cur.by ?? 0) + by;
  else pending.set(key, { name, labels, by });
}

const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function recordRequest(c: Context<HonoEnv>, route: string | null, status: number, durationMs: number) {
  const r = label(route ?? "unmatched");
  const base = `method="${c.req.method}",route="${r}",status="${status}"`;
  add("http_requests_total", base);
  const lat = `method="${c.req.method}",route="${r}"`;
  for (const b of BUCKETS_MS) if (durationMs <= b) add("http_request_duration_ms_bucket", `${lat},le="${b}"`);
  add("http_request_duration_ms_bucket", `${lat},le="+Inf"`);
  add("http_request_duration_ms_sum", lat, durationMs);
  add("http_request_duration_ms_count", lat);

  try {
    c.env.ANALYTICS.writeDataPoint({
      blobs: [c.req.method, route ?? "unmatched", String(status)],
      doubles: [durationMs],
      indexes: [route ?? "unmatched"],
    });
  } catch {
    // Analytics Engine is best effort; metrics must never fail a request.
  }

  if (Date.now() - lastFlush >= FLUSH_MS) flush(c);
}

export function flush(c: Context<HonoEnv>) {
  if (pending.size === 0) return;
  const batch = [...pending.values()];
  pending = new Map();
  lastFlush = Date.now();
  background(c, "metrics_flush", c.env.COUNTERS.getByName("metrics").add(batch));
}

/** Pending increments not yet flushed, folded into a scrape of this isolate. */
export async function flushNow(env: Env): Promise<void> {
  if (pending.size === 0) return;
  const batch = [...pending.values()];
  pending = new Map();
  lastFlush = Date.now();
  await env.COUNTERS.getByName("metrics").add(batch);
}
