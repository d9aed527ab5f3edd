// Uploads for one knowledge base, each with two progress bars' worth of state: the bytes going
// up (XMLHttpRequest upload events), then ingestion on the queue (the document's own status
// and progress, polled until it is ready or failed). Each document that settles invalidates the
// knowledge base's queries, so its counts and document list catch up.

import { type DocumentStatus, isSettled, uploadBody, uploadTypeOf } from "@hive/shared/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { errorText, isAbort } from "../../ui/error-text";
import { uploadWithProgress } from "./upload-request";

export type UploadPhase = "waiting" | "uploading" | DocumentStatus | "rejected";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 of the bytes sent. */
  sent: number;
  /** 0..1 of ingestion, as the API reports it. */
  ingested: number;
  error: string | null;
  documentId: string | null;
  /** created, replaced, reprocessed, unchanged. */
  action: string | null;
}

export interface UploadOptions {
  tags: string[];
  replace: boolean;
}

const POLL_MS = 1000;
let counter = 0;

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

  // One upload at a time: files are read whole into memory to be encoded, so a large batch
  // must not be read all at once.
  const drain = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) {
        const { key, file, options } = next;
        patch(key, { phase: "uploading" });
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const body = uploadBody(file.name, bytes, {
            ...(options.tags.length ? { tags: options.tags } : {}),
            replace: options.replace,
          });
          const result = await uploadWithProgress(kbId, body, (sent) => patch(key, { sent }), lifetime.current.signal);
          patch(key, {
            phase: result.status,
            sent: 1,
            ingested: result.progress,
            error: result.error,
            documentId: result.id,
            action: result.action,
          });
          if (isSettled(result)) settled();
        } catch (err) {
          if (isAbort(err)) return;
          patch(key, { phase: "failed", error: errorText(err) });
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
          sent: 0,
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
  // stream of upload progress events never postpones the next poll.
  const polling = items.some((i) => i.documentId && (i.phase === "queued" || i.phase === "processing"));
  useEffect(() => {
    if (!polling) return;
    const controller = new AbortController();
    let timer = 0;
    const tick = async () => {
      const pending = latest.current.filter((i) => i.documentId && (i.phase === "queued" || i.phase === "processing"));
      for (const item of pending) {
        try {
          const doc = await api.knowledge.document(kbId, item.documentId ?? "", { signal: controller.signal });
          patch(item.key, { phase: doc.status, ingested: doc.progress, error: doc.error });
          if (isSettled(doc)) settled();
        } catch (err) {
          if (controller.signal.aborted || isAbort(err)) return;
          patch(item.key, { phase: "failed", error: `Lost track of it: ${errorText(err)}` });
        }
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
