// /api/monitoring: the workspace's requests, errors, latency, tokens and cost over a window, in
// time buckets, with breakdowns per agent and per model.

export const MONITORING_WINDOWS = ["1h", "24h", "7d"] as const;
export type MonitoringWindow = (typeof MONITORING_WINDOWS)[number];

/** Bucket width per window: 1 minute, 15 minutes, 2 hours. */
export const MONITORING_BUCKET_MS: Record<MonitoringWindow, number> = {
  "1h": 60_000,
  "24h": 15 * 60_000,
  "7d": 2 * 3600_000,
};

/** Counts shared by a bucket, an agent's row and the window's totals. */
export interface MonitoringFigures {
  requests: number;
  /** Responses with a 5xx status. */
  errors: number;
  /** errors / requests; null without requests. */
  error_rate: number | null;
  /** Interpolated from the latency histogram; null without requests. */
  p50_ms: number | null;
  p95_ms: number | null;
  model_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface MonitoringPoint extends MonitoringFigures {
  /** The bucket's start (ISO 8601). */
  t: string;
}

export interface MonitoringAgentRow extends MonitoringFigures {
  agent_id: string;
  name: string;
}

export interface MonitoringModelRow {
  provider: string;
  model: string;
  calls: number;
  /** Calls that ended in an error. */
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  avg_latency_ms: number | null;
}

export interface MonitoringResponse {
  window: MonitoringWindow;
  bucket_ms: number;
  from: string;
  to: string;
  agent_id: string | null;
  totals: MonitoringFigures;
  series: MonitoringPoint[];
  /** Agents with traffic in the window that the caller may see, busiest first. */
  agents: MonitoringAgentRow[];
  models: MonitoringModelRow[];
}
