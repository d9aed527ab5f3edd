// A run, live: loaded over HTTP, then watched over its event WebSocket (history first, then
// live). Each message is kept for the event log; messages that change steps or the outcome
// (results, votes, handoffs, cancel, errors) reload the run, whose steps carry every field.
// If the socket cannot be opened or drops before the run ends, the run is polled instead.

import { isRunEnded, type SwarmMessage, type SwarmRunDetail } from "@hive/shared/api-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import { isAbort } from "../../ui/error-text";

export type Connection = "connecting" | "live" | "polling" | "closed";

export interface LiveRun {
  run: SwarmRunDetail | null;
  messages: SwarmMessage[];
  error: unknown;
  connection: Connection;
  /** Replace the run with a newer copy (e.g. the answer to cancel). */
  update: (run: SwarmRunDetail) => void;
  reload: () => void;
}

const RELOADING: ReadonlySet<SwarmMessage["type"]> = new Set<SwarmMessage["type"]>([
  "assignment",
  "result",
  "vote",
  "proposal",
  "handoff",
  "cancel",
  "error",
]);
const POLL_MS = 1000;

export function useRunEvents(runId: string): LiveRun {
  const [run, setRun] = useState<SwarmRunDetail | null>(null);
  const [messages, setMessages] = useState<SwarmMessage[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [generation, setGeneration] = useState(0);
  const ended = useRef(false);

  const update = useCallback((next: SwarmRunDetail) => {
    ended.current = isRunEnded(next.status);
    setRun(next);
  }, []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let poller: ReturnType<typeof setInterval> | undefined;
    let closeSocket: (() => void) | undefined;

    const fetchRun = async () => {
      try {
        const next = await api.swarm.get(runId, { signal });
        if (signal.aborted) return;
        update(next);
        setError(null);
        if (ended.current && poller !== undefined) {
          clearInterval(poller);
          poller = undefined;
          setConnection("closed");
        }
      } catch (err) {
        if (!signal.aborted && !isAbort(err)) setError(err);
      }
    };
    // Several messages arrive together (a step's result and the next assignment): one reload for all.
    const scheduleFetch = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void fetchRun();
      }, 150);
    };
    const poll = () => {
      if (signal.aborted || poller !== undefined || ended.current) return;
      setConnection("polling");
      poller = setInterval(() => void fetchRun(), POLL_MS);
    };

    setMessages([]);
    setConnection("connecting");
    void (async () => {
      await fetchRun();
      if (signal.aborted) return;
      try {
        const watch = await api.swarm.watch(
          runId,
          {
            socket: (url) => new WebSocket(url),
            onMessage: (message) => {
              setConnection("live");
              if (message.type === "heartbeat") return;
              setMessages((list) =>
                message.seq > 0 && list.some((m) => m.seq === message.seq) ? list : [...list, message],
              );
              if (RELOADING.has(message.type)) scheduleFetch();
            },
            onClose: () => {
              if (signal.aborted) return;
              void fetchRun().then(() => (ended.current ? setConnection("closed") : poll()));
            },
          },
          { signal },
        );
        if (signal.aborted) watch.close();
        else closeSocket = watch.close;
      } catch (err) {
        if (!signal.aborted && !isAbort(err)) poll();
      }
    })();

    return () => {
      controller.abort();
      closeSocket?.();
      if (timer !== undefined) clearTimeout(timer);
      if (poller !== undefined) clearInterval(poller);
    };
  }, [runId, generation, update]);

  return { run, messages, error, connection, update, reload };
}
