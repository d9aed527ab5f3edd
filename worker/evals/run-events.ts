// GET /api/evals/runs/:id/events: a run's progress as Server-Sent Events, polled from D1 (the
// coordinator writes every result and counter there), so a reset coordinator or another Worker
// instance does not cut the stream. `status` when progress changes, `result` per finished case
// (again if a retried case is rewritten), `done` once the run has ended; open runs' coordinators
// are poked now and then, which wakes an evicted one.
import type { EvalRunEvent } from "@hive/shared/api-types/evals";
import type { Context } from "hono";
import { SSE_HEADERS } from "../chat/events";
import type { HonoEnv } from "../core/env";
import { signedIn } from "../core/signed-in";
import { isTerminal } from "./run-engine";
import { coordinator, findRun, type RunRow, resultsOf, toResult, toRun } from "./run-service";

const POLL_MS = 500;
const POKE_EVERY = 10;
/** A client that follows longer reconnects (the first events repeat the state). */
const MAX_STREAM_MS = 15 * 60_000;
const MAX_RESULTS_PER_POLL = 500;

const encoder = new TextEncoder();
const frame = (e: EvalRunEvent) => encoder.encode(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export function runEvents(c: Context<HonoEnv>, first: RunRow): Response {
  const db = c.var.services.db;
  const p = signedIn(c.var.principal);
  const signal = c.req.raw.signal;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const sent = new Set<string>();
      let since = 0;
      let stamp = "";
      const until = Date.now() + MAX_STREAM_MS;
      try {
        for (let poll = 0; !signal.aborted && Date.now() < until; poll++) {
          const row = poll === 0 ? first : await findRun(db, p, first.id);
          const results = await resultsOf(db, row, { limit: MAX_RESULTS_PER_POLL, endedSince: since });
          for (const r of results) {
            const key = `${r.result.caseId}:${r.result.endedAt}`;
            if (sent.has(key)) continue;
            sent.add(key);
            since = Math.max(since, r.result.endedAt ?? 0);
            controller.enqueue(frame({ type: "result", result: toResult(r) }));
          }
          const now = `${row.status}:${row.casesDone}:${row.tokensUsed}`;
          if (now !== stamp) {
            stamp = now;
            controller.enqueue(frame({ type: "status", run: toRun(row) }));
          }
          if (isTerminal(row.status)) {
            controller.enqueue(frame({ type: "done", run: toRun(row) }));
            break;
          }
          if (poll % POKE_EVERY === POKE_EVERY - 1) await coordinator(c.env, row.id).poke();
          await sleep(POLL_MS, signal);
        }
      } finally {
        controller.close();
      }
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
