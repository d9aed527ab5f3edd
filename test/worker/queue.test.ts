import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleQueue, registerQueueHandler } from "../../worker/queue/consumer";

interface Outcome {
  acked: boolean;
  retried: boolean;
  delaySeconds?: number;
}

function batch(bodies: unknown[]) {
  const outcomes: Outcome[] = bodies.map(() => ({ acked: false, retried: false }));
  const messages = bodies.map((body, i) => ({
    id: `m${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => void ((outcomes[i] as Outcome).acked = true),
    retry: (o?: { delaySeconds?: number }) =>
      void Object.assign(outcomes[i] as Outcome, { retried: true, delaySeconds: o?.delaySeconds }),
  }));
  const b = {
    queue: "liquid-hive-ingest",
    messages,
    ackAll: () => {},
    retryAll: () => {},
  } as unknown as MessageBatch<unknown>;
  return { b, outcomes };
}

const valid = (documentId: string) => ({
  type: "ingest_document",
  v: 1,
  workspaceId: "ws_1",
  documentId,
  requestId: "req_queue_1",
});

afterEach(() => vi.restoreAllMocks());

describe("queue consumer", () => {
  it("acks handled messages, retries failed ones with backoff, drops malformed ones, and logs the request id", async () => {
    const lines: string[] = [];
    for (const m of ["log", "warn", "error"] as const)
      vi.spyOn(console, m).mockImplementation((l: unknown) => void lines.push(String(l)));
    const seen: string[] = [];
    registerQueueHandler("ingest_document", async (msg) => {
      seen.push(msg.documentId);
      if (msg.documentId === "doc_bad") throw new Error("parse failed");
    });
    const { b, outcomes } = batch([valid("doc_ok"), valid("doc_bad"), { type: "ingest_document", v: 2 }, "garbage"]);
    await handleQueue(b, env);
    expect(seen).toEqual(["doc_ok", "doc_bad"]);
    expect(outcomes[0]).toMatchObject({ acked: true, retried: false });
    expect(outcomes[1]).toMatchObject({ acked: false, retried: true });
    expect(outcomes[1]?.delaySeconds).toBeGreaterThan(0);
    expect(outcomes[2]).toMatchObject({ acked: true, retried: false });
    expect(outcomes[3]).toMatchObject({ acked: true, retried: false });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((e) => e.event === "queue_message_failed")).toMatchObject({
      request_id: "req_queue_1",
      error: "parse failed",
    });
    expect(logged.filter((e) => e.event === "queue_message_rejected")).toHaveLength(2);
  });
});
