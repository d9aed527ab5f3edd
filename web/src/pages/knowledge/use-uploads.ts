// Uploads for one knowledge base, sent to the batch route through the typed client (so rate
// limits are waited out and paced, not failed), grouped by count and bytes. Each file shows its
// own result (created, unchanged, replaced, or failed with the reason), then ingestion on the
// queue, read from one paged document list per poll rather than one request per file. Each
// batch and each document that settles invalidates the knowledge base's queries, so its counts,
// live ingestion progress and document list catch up.

import {
  BATCH_LIMITS,
  type BatchUploadItem,
  batchesOf,
  batchFile,
  type DocumentStatus,
  isSettled,
  type KnowledgeDocument,
  uploadTypeOf,
} from "@hive/shared/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { errorText, isAbort } from "../../ui/error-text";

export type UploadPhase = "waiting" | "uploading" | DocumentStatus | "rejected";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 of ingestion, as the API reports it. */
  ingested: number;
  error: string | null;
  documentId: string | null;
  /** created, unchanged, replaced. */
  action: string | null;
}

export interface UploadOptions {
  tags: string[];
}

const POLL_MS = 1000;
/** A batch waits out rate limits for up to ten minutes before its files count as failed. */
const UPLOAD_RETRY = { maxAttempts: 30, maxWaitMs: 10 * 60_000 };
let counter = 0;

const outcome = (r: BatchUploadItem | undefined): Partial<UploadItem> =>
  !r
    ? { phase: "failed", error: "The answer had no result for this file" }
    : r.status === "refused" || !r.document
      ? { phase: "failed", error: r.error ? `${r.error.code}: ${r.error.message}` : "Refused" }
      : {
          phase: r.document.status,
          ingested: r.document.progress,
          error: r.document.error,
          documentId: r.document.id,
          action: r.status,
        };

/** Every document of the knowledge base, 100 a page. */
async function allDocuments(kbId: string, signal: AbortSignal): Promise<KnowledgeDocument[]> {
  const docs: KnowledgeDocument[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.knowledge.documents(kbId, { limit: 100, ...(cursor ? { cursor } : {}) }, { signal });
    docs.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return docs;
}

export function useUploads(kbId: string) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const queue = useRef<{ key: string; file: File; options: UploadOptions }[]>([]);
  const busy = useRef(false);
  // Aborts uploads when the page goes away; made in an effect so StrictMode's remount gets a fresh one.
  const lifetime = useRef(new AbortController());
  const latest = useRef(items);
  latest.current = items;
  const queryClient = useQueryClient();
  // Counts in the list of knowledge bases change too, so the whole family, not one base.
  const settled = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: queryKeys.knowledge.all }),
    [queryClient],
  );

  const patch = useCallback(
    (key: string, change: Partial<UploadItem>) =>
      setItems((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i))),
    [],
  );

  // One batch at a time: files are read whole into memory to be encoded, so a large selection
  // must not be read all at once.
  const drain = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      while (queue.current.length) {
        const waiting = queue.current.splice(0);
        for (const batch of batchesOf(
          waiting.map((w) => ({ ...w, size: w.file.size })),
          BATCH_LIMITS,
        )) {
          for (const { key } of batch) patch(key, { phase: "uploading" });
          try {
            const files = await Promise.all(
              batch.map(async ({ file, options }) =>
                batchFile(file.name, new Uint8Array(await file.arrayBuffer()), options.tags),
              ),
            );
            const answer = await api.knowledge.uploadBatch(kbId, files, {
              retry: UPLOAD_RETRY,
              signal: lifetime.current.signal,
            });
            for (const [i, { key }] of batch.entries()) patch(key, outcome(answer.results.find((r) => r.index === i)));
            settled();
          } catch (err) {
            if (isAbort(err)) return;
            for (const { key } of batch) patch(key, { phase: "failed", error: errorText(err) });
          }
        }
      }
    } finally {
      busy.current = false;
    }
  }, [kbId, patch, settled]);

  const add = useCallback(
    (files: readonly File[], options: UploadOptions) => {
      const fresh: UploadItem[] = files.map((file) => {
        const supported = uploadTypeOf(file.name) !== null;
        return {
          key: `u${++counter}`,
          name: file.name,
          size: file.size,
          phase: supported ? "waiting" : "rejected",
          ingested: 0,
          error: supported ? null : "Not a supported file type (.txt, .md, .html, .json or .pdf)",
          documentId: null,
          action: null,
        };
      });
      fresh.forEach((item, i) => {
        const file = files[i];
        if (item.phase === "waiting" && file) queue.current.push({ key: item.key, file, options });
      });
      setItems((list) => [...fresh, ...list]);
      void drain();
    },
    [drain],
  );

  // Poll the documents still being ingested, reading the latest list on every round so a
  // stream of upload results never postpones the next poll.
  const polling = items.some((i) => i.documentId && (i.phase === "queued" || i.phase === "processing"));
  useEffect(() => {
    if (!polling) return;
    const controller = new AbortController();
    let timer = 0;
    const tick = async () => {
      try {
        // Taken before the list is read: a batch answered meanwhile names documents the list may not hold yet.
        const pending = latest.current.filter(
          (i) => i.documentId && (i.phase === "queued" || i.phase === "processing"),
        );
        const now = new Map((await allDocuments(kbId, controller.signal)).map((d) => [d.id, d]));
        let changed = false;
        for (const item of pending) {
          const doc = now.get(item.documentId ?? "");
          if (!doc) {
            patch(item.key, { phase: "failed", error: "The document is gone (deleted meanwhile)" });
            continue;
          }
          patch(item.key, { phase: doc.status, ingested: doc.progress, error: doc.error });
          changed ||= isSettled(doc);
        }
        if (changed) settled();
      } catch (err) {
        if (controller.signal.aborted || isAbort(err)) return;
      }
      if (!controller.signal.aborted) timer = window.setTimeout(() => void tick(), POLL_MS);
    };
    timer = window.setTimeout(() => void tick(), POLL_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [polling, kbId, patch, settled]);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const clearFinished = useCallback(
    () =>
      setItems((list) => list.filter((i) => !(i.phase === "ready" || i.phase === "failed" || i.phase === "rejected"))),
    [],
  );
  return { items, add, clearFinished };
}
