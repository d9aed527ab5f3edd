// Following a knowledge base's ingestion: counts by state and the rate from
// GET /api/knowledge-bases/:id/ingestion, polled until nothing is in flight. Shared by
// `hive kb upload` (after sending) and `hive kb status --watch`.
import type { HiveClient, IngestionStatus } from "@hive/shared/api-client";
import { renderTable } from "../output/table";
import type { ProgressBar } from "./kb-progress";

const POLL_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const progressLabel = (p: IngestionStatus) =>
  `indexed, ${p.counts.queued} queued, ${p.counts.processing} processing, ${p.counts.failed} failed, ${p.rate_per_minute}/min`;

function draw(bar: ProgressBar, p: IngestionStatus): void {
  const c = p.counts;
  bar.update(c.ready + c.failed, c.queued + c.processing + c.ready + c.failed, progressLabel(p));
}

/** Polls until nothing is in flight (true) or the timeout passes (false); the last counts stay drawn. */
export async function followIngestion(
  client: HiveClient,
  kbId: string,
  timeoutMs: number,
  bar: ProgressBar,
): Promise<{ done: boolean; last: IngestionStatus }> {
  const deadline = Date.now() + timeoutMs;
  let last = await client.knowledge.ingestionStatus(kbId);
  draw(bar, last);
  while (last.in_flight && Date.now() < deadline) {
    await sleep(POLL_MS);
    last = await client.knowledge.ingestionStatus(kbId);
    draw(bar, last);
  }
  bar.finish();
  return { done: !last.in_flight, last };
}

export function renderProgress(p: IngestionStatus): string {
  const c = p.counts;
  return renderTable(
    ["QUEUED", "PROCESSING", "READY", "FAILED", "UNCHANGED (1H)", "RATE/MIN", "IN FLIGHT"],
    [
      [
        c.queued,
        c.processing,
        c.ready,
        c.failed,
        p.unchanged_last_hour,
        p.rate_per_minute,
        p.in_flight ? "yes" : "no",
      ].map(String),
    ],
  );
}
