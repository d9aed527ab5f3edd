// Folds the two sources of the Monitoring page into figures: per-minute request buckets from
// the workspace's Counters object (requests, 5xx, latency histogram) and usage rows summed from
// D1 (model calls, tokens, cost). Percentiles come from the summed histograms, never from
// averaging per-minute percentiles.
import type { MonitoringFigures } from "@hive/shared/api-types/monitoring";
import type { SeriesValue } from "../core/counters";
import { quantile } from "../metrics/histogram";
import { LATENCY_BUCKETS, LATENCY_PREFIX } from "../metrics/monitor-buckets";

/** Usage summed per time bucket, agent, provider and model. */
export interface UsageSum {
  bucket: number;
  agentId: string | null;
  provider: string;
  model: string;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  latencyCount: number;
}

export class Tally {
  requests = 0;
  errors = 0;
  readonly latency: number[] = new Array(LATENCY_BUCKETS).fill(0);
  modelCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  addSeries(row: SeriesValue) {
    if (row.name === "requests") this.requests += row.value;
    else if (row.name === "errors") this.errors += row.value;
    else if (row.name.startsWith(LATENCY_PREFIX)) {
      const at = Number(row.name.slice(LATENCY_PREFIX.length));
      if (at >= 0 && at < LATENCY_BUCKETS) this.latency[at] = (this.latency[at] ?? 0) + row.value;
    }
  }

  addUsage(u: UsageSum) {
    this.modelCalls += u.calls;
    this.inputTokens += u.inputTokens;
    this.outputTokens += u.outputTokens;
    this.costUsd += u.costUsd;
  }

  figures(): MonitoringFigures {
    const ms = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return {
      requests: this.requests,
      errors: this.errors,
      error_rate: this.requests ? this.errors / this.requests : null,
      p50_ms: ms(quantile(0.5, this.latency)),
      p95_ms: ms(quantile(0.95, this.latency)),
      model_calls: this.modelCalls,
      input_tokens: this.inputTokens,
      output_tokens: this.outputTokens,
      cost_usd: Math.round(this.costUsd * 1e6) / 1e6,
    };
  }
}

/** The tally for `key`, created on first use. */
export function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Tally()));
  return t;
}
