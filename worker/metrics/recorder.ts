// Platform metrics. Each isolate aggregates in memory and flushes to the Counters Durable
// Object ("metrics") at most every FLUSH_MS, so the hot path never waits on storage. Requests
// are also folded into per-workspace, per-minute buckets (monitor-buckets.ts) that the
// Monitoring page reads. In production every request and model call is also written to
// Analytics Engine (non-blocking). Work outside a request's Hono context (a model call inside
// the Agent Durable Object, a queue batch, a swarm run's end) flushes through the runtime's
// importable env and waitUntil.
import { env as runtimeEnv, waitUntil } from "cloudflare:workers";
import type { Context } from "hono";
import { background } from "../core/background";
import type { CounterIncrement } from "../core/counters";
import type { HonoEnv } from "../core/env";
import { writeLog } from "../core/logger";
import { BUCKETS_MS } from "./histogram";
import { flushMonitor, type MinuteSample, recordMinute } from "./monitor-buckets";

const FLUSH_MS = 10_000;

let pending = new Map<string, CounterIncrement>();
let lastFlush = Date.now();

function add(name: string, labels: string, by = 1) {
  const key = `${name}|${labels}`;
  const cur = pending.get(key);
  if (cur) cur.by = (cur.by ?? 0) + by;
  else pending.set(key, { name, labels, by });
}

const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function observe(family: string, labels: string, value: number) {
  for (const b of BUCKETS_MS) if (value <= b) add(`${family}_bucket`, `${labels},le="${b}"`);
  add(`${family}_bucket`, `${labels},le="+Inf"`);
  add(`${family}_sum`, labels, value);
  add(`${family}_count`, labels);
}

function writePoint(env: Env, point: AnalyticsEngineDataPoint) {
  try {
    env.ANALYTICS.writeDataPoint(point);
  } catch {
    // Analytics Engine is best effort; metrics must never fail a request or a model call.
  }
}

/** Only agent routes of known shape name an agent; a 4xx (unknown id, no access) never adds a series. */
function agentOf(path: string, status: number): string {
  if (status >= 400 && status < 500) return "";
  return /^\/api\/agents\/([A-Za-z0-9_-]{1,64})(?:\/|$)/.exec(path)?.[1] ?? "";
}

export function recordRequest(c: Context<HonoEnv>, route: string | null, status: number, durationMs: number) {
  const r = label(route ?? "unmatched");
  add("http_requests_total", `method="${c.req.method}",route="${r}",status="${status}"`);
  observe("http_request_duration_ms", `method="${c.req.method}",route="${r}"`, durationMs);
  const cache = c.res.headers.get("X-Cache");
  if (cache === "HIT" || cache === "MISS") add("cache_lookups_total", `result="${cache.toLowerCase()}"`);

  const principal = c.get("principal");
  if (principal && principal.kind !== "anonymous") {
    const sample: MinuteSample = { agent: agentOf(c.req.path, status), error: status >= 500, durationMs };
    recordMinute(principal.workspaceId, sample);
  }

  writePoint(c.env, {
    blobs: [c.req.method, route ?? "unmatched", String(status)],
    doubles: [durationMs],
    indexes: [route ?? "unmatched"],
  });

  if (Date.now() - lastFlush >= FLUSH_MS) flush(c);
}

/** One model call, however it ended; `model` is the "provider:model" label that answered. */
export interface ModelCallRecord {
  model: string;
  outcome: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** Time to the first token; absent when none arrived. */
  ttftMs?: number;
  /** Why a fallback answered instead of the agent's model. */
  fallbackReason?: string;
}

/** `provider="…",model="…"` of a chain label ("provider:model"). */
function modelLabels(chainLabel: string): { provider: string; model: string; pm: string } {
  const at = chainLabel.indexOf(":");
  const provider = label(at === -1 ? chainLabel : chainLabel.slice(0, at));
  const model = label(at === -1 ? chainLabel : chainLabel.slice(at + 1));
  return { provider, model, pm: `provider="${provider}",model="${model}"` };
}

/** The one place a model call is counted (calls, tokens, time to first token, errors, fallbacks). */
export function recordModelCall(call: ModelCallRecord) {
  const { provider, model, pm } = modelLabels(call.model);
  add("model_calls_total", `${pm},outcome="${label(call.outcome)}"`);
  if (call.outcome === "error") add("model_errors_total", pm);
  add("model_tokens_total", `${pm},direction="input"`, call.inputTokens);
  add("model_tokens_total", `${pm},direction="output"`, call.outputTokens);
  add("model_cost_usd_total", pm, 0); // the family exists from the first call; recordModelCost adds the price
  if (call.ttftMs !== undefined) observe("model_ttft_ms", pm, call.ttftMs);
  if (call.fallbackReason) add("model_fallbacks_total", `reason="${label(call.fallbackReason)}"`);
  writePoint(runtimeEnv, {
    blobs: ["model_call", provider, model, call.outcome],
    doubles: [call.inputTokens, call.outputTokens, call.latencyMs, call.ttftMs ?? -1],
    indexes: [call.model],
  });
  flushSoon();
}

/** A model call's cost, once usage accounting has priced it (worker/usage/meter.ts). */
export function recordModelCost(chainLabel: string, costUsd: number) {
  if (costUsd > 0) add("model_cost_usd_total", modelLabels(chainLabel).pm, costUsd);
}

/** A request refused by a rate limit, by the limit's class. */
export function recordRateLimited(cls: string) {
  add("rate_limit_rejections_total", `class="${cls}"`);
}

/** One ingestion queue message handled: done, retried (failed this attempt) or rejected (unreadable). */
export function recordQueueMessage(queue: string, type: string, outcome: "done" | "retried" | "rejected") {
  add("queue_messages_total", `queue="${label(queue)}",type="${label(type)}",outcome="${outcome}"`);
  flushSoon();
}

/** A message that used up its retries and reached the dead-letter queue. */
export function recordDeadLetter(queue: string) {
  add("queue_dead_letters_total", `queue="${label(queue)}"`);
  flushSoon();
}

/** A swarm run that ended, by strategy and final status. */
export function recordSwarmRun(strategy: string, status: string) {
  add("swarm_runs_total", `strategy="${label(strategy)}",status="${label(status)}"`);
  flushSoon();
}

function takeBatch(): CounterIncrement[] {
  const batch = [...pending.values()];
  pending = new Map();
  lastFlush = Date.now();
  return batch;
}

async function write(env: Env, batch: CounterIncrement[]): Promise<void> {
  await Promise.all([batch.length ? env.COUNTERS.getByName("metrics").add(batch) : null, flushMonitor(env)]);
}

export function flush(c: Context<HonoEnv>) {
  background(c, "metrics_flush", write(c.env, takeBatch()));
}

/** Outside a request's Hono context: flushes when due, kept alive by the runtime's waitUntil. */
function flushSoon() {
  if (Date.now() - lastFlush < FLUSH_MS) return;
  const work = write(runtimeEnv, takeBatch()).catch((err: unknown) =>
    writeLog("warn", "background_task_failed", {
      task: "metrics_flush",
      error: err instanceof Error ? err.message : String(err),
    }),
  );
  try {
    waitUntil(work);
  } catch {
    // No event to extend (none should be): the flush still runs, unawaited.
    void work;
  }
}

/** Pending increments not yet flushed, folded into a read of this isolate (a scrape, the Monitoring API). */
export async function flushNow(env: Env): Promise<void> {
  await write(env, takeBatch());
}
