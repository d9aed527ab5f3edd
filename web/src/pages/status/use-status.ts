// Polls /health and /ready. The next poll is scheduled when the previous one finished, so a
// slow API never has two polls in flight; unmounting aborts the one in flight.

import { type HealthResponse, HiveNetworkError, type ReadyReport } from "@hive/shared/api-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";

export type Overall = "checking" | "healthy" | "degraded" | "unreachable";

export interface StatusSnapshot {
  overall: Overall;
  health: HealthResponse | null;
  ready: ReadyReport | null;
  /** Failures of either call, e.g. "Cannot reach /health: Failed to fetch". */
  errors: { call: "health" | "ready"; error: Error }[];
  checkedAt: Date | null;
}

const INITIAL: StatusSnapshot = { overall: "checking", health: null, ready: null, errors: [], checkedAt: null };

const asError = (reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)));

function snapshot(
  health: PromiseSettledResult<HealthResponse>,
  ready: PromiseSettledResult<ReadyReport>,
): StatusSnapshot {
  const errors: StatusSnapshot["errors"] = [];
  if (health.status === "rejected") errors.push({ call: "health", error: asError(health.reason) });
  if (ready.status === "rejected") errors.push({ call: "ready", error: asError(ready.reason) });
  const h = health.status === "fulfilled" ? health.value : null;
  const r = ready.status === "fulfilled" ? ready.value : null;
  const unreachable = errors.some((e) => e.error instanceof HiveNetworkError);
  const overall: Overall = unreachable ? "unreachable" : h && r?.ready ? "healthy" : "degraded";
  return { overall, health: h, ready: r, errors, checkedAt: new Date() };
}

export function useStatus(intervalMs: number): StatusSnapshot & { refreshing: boolean; refresh: () => void } {
  const [state, setState] = useState<StatusSnapshot>(INITIAL);
  const [refreshing, setRefreshing] = useState(false);
  const poll = useRef<() => void>(() => undefined);

  useEffect(() => {
    let timer: number | undefined;
    let inFlight: AbortController | undefined;
    const run = async () => {
      window.clearTimeout(timer);
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      setRefreshing(true);
      const opts = { signal: controller.signal };
      const [health, ready] = await Promise.allSettled([api.health(opts), api.ready(opts)]);
      if (controller.signal.aborted) return;
      setState(snapshot(health, ready));
      setRefreshing(false);
      timer = window.setTimeout(run, intervalMs);
    };
    poll.current = () => void run();
    void run();
    return () => {
      window.clearTimeout(timer);
      inFlight?.abort();
    };
  }, [intervalMs]);

  const refresh = useCallback(() => poll.current(), []);
  return { ...state, refreshing, refresh };
}
