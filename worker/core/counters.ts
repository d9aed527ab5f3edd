// What the Counters Durable Object (durable-objects/counters.ts) adds and reads: exact counts
// that KV cannot keep, shared by features (request metrics, flag exposures).
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
