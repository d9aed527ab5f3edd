// What the Counters Durable Object (durable-objects/counters.ts) adds and reads: exact counts
// that KV cannot keep, shared by features (request metrics, flag exposures), and the per-minute series the Monitoring
// page reads.
export interface CounterIncrement {
  name: string;
  /** A stable label string, e.g. `variant="b"`. */
  labels?: string;
  by?: number;
}

export interface CounterValue {
  name: string;
  labels: string;
  value: number;
}

/** One increment to a per-minute series: `minute` is the minute's start (epoch ms); `agent` is "" for none. */
export interface SeriesIncrement {
  minute: number;
  agent: string;
  name: string;
  by: number;
}

export interface SeriesValue {
  minute: number;
  agent: string;
  name: string;
  value: number;
}
