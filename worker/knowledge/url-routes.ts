// Web pages as a knowledge source: POST .../documents/fetch takes URLs (or a sitemap, read here
// to learn its URLs) and answers 202 with a document per accepted URL, queued for the consumer
// to fetch (url-fetch.ts); POST .../documents/:docId/refetch queues a conditional re-fetch. Each
// URL is checked by the http_get tool's guard up front, so a refused one never becomes a
// document; the consumer checks it again, with every redirect.

import { createRoute } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { audit } from "../audit/audit";
import { documents } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { log } from "../core/logger";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { sendTraced } from "../core/trace/queue";
import { checkUrl } from "../outbound/url-guard";
import type { FetchDocumentMessage } from "../queue/messages";
import { admitIngest } from "../ratelimit/middleware";
import { type DocumentRow, findDocument, inKnowledgeBase, toDocument } from "./document-store";
import { managedKnowledgeBase } from "./kb-access";
import { DocIdParam, KbIdParam, KnowledgeDocument } from "./schemas";
import { sitemapPages } from "./sitemap";
import {
  FetchDocumentsRequest,
  type FetchDocumentsResponse,
  type FetchRefusal,
  FetchDocumentsResponse as ResponseSchema,
} from "./url-schemas";
import { readSitemap, refusal } from "./web-page";

const tags = ["knowledge"];
const security = SIGNED_IN_SECURITY;
/** Queue.sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;
/** A page's stored name until its title is known. */
const NAME_CHARS = 200;
/** Stands in for the content hash (unique per knowledge base) until the page is fetched. */
export const pendingHash = (documentId: string) => `pending:${documentId}`;

export async function enqueueFetches(
  c: Context<HonoEnv>,
  workspaceId: string,
  ids: string[],
  refetch: boolean,
): Promise<void> {
  const requestId = c.get("requestId");
  for (let i = 0; i < ids.length; i += SEND_BATCH) {
    const slice = ids.slice(i, i + SEND_BATCH);
    await sendTraced("INGEST_QUEUE", slice.length, (traceparent) =>
      c.env.INGEST_QUEUE.sendBatch(
        slice.map((documentId) => {
          const body: z.infer<typeof FetchDocumentMessage> = {
            type: "fetch_document",
            v: 1,
            workspaceId,
            documentId,
            requestId,
            refetch,
            traceparent,
          };
          return { body };
        }),
      ),
    );
  }
}

/** Splits the requested URLs into ones to fetch (normalised, without repeats) and refusals. */
function screen(c: Context<HonoEnv>, urls: string[]): { accepted: string[]; refused: FetchRefusal[] } {
  const accepted: string[] = [];
  const refused: FetchRefusal[] = [];
  for (const raw of urls) {
    try {
      const url = checkUrl(raw.trim(), c.var.config.HTTP_TOOL_ALLOWLIST).toString();
      if (accepted.includes(url)) {
        refused.push({ url: raw, error: { code: "DUPLICATE_URL", message: "This URL is already in the request" } });
      } else accepted.push(url);
    } catch (err) {
      refused.push(refusal(raw, err));
    }
  }
  return { accepted, refused };
}

export function registerUrlRoutes(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases/{id}/documents/fetch",
      tags,
      security,
      summary:
        "Add web pages by URL or sitemap: each accepted URL becomes a document, fetched and ingested on the queue",
      request: { params: KbIdParam, body: jsonBody(FetchDocumentsRequest) },
      responses: {
        202: jsonResponse(ResponseSchema, "Accepted URLs queued; refused ones with the reason"),
        503: jsonResponse(ErrorSchema, "The ingestion queue is unavailable"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { p, db, row: kb } = await managedKnowledgeBase(c, c.req.valid("param").id);
      const body = c.req.valid("json");
      const listed: { urls: string[]; refused: FetchRefusal[] } = { urls: [], refused: [] };
      if ("sitemap" in body) {
        try {
          const read = (url: string) => readSitemap(url, c.var.config);
          const found = await sitemapPages(body.sitemap, read, refusal);
          Object.assign(listed, { urls: found.pages, refused: found.refused });
        } catch (err) {
          listed.refused.push(refusal(body.sitemap, err));
        }
      } else listed.urls = body.urls;
      const { accepted, refused } = screen(c, listed.urls);
      refused.unshift(...listed.refused);

      // A URL already in this knowledge base is re-fetched rather than added twice.
      const existing = new Map<string, string>();
      for (let i = 0; i < accepted.length; i += 50) {
        const rows = await db
          .select({ id: documents.id, url: documents.sourceUrl })
          .from(documents)
          .where(and(inKnowledgeBase(p.workspaceId, kb.id), inArray(documents.sourceUrl, accepted.slice(i, i + 50))));
        for (const r of rows) if (r.url) existing.set(r.url, r.id);
      }
      // Each page is a document to ingest: charged to the workspace's ingest window up front
      // (its bytes are not known until it is fetched), all or none.
      await admitIngest(c, { documents: accepted.length, bytes: 0 });
      const now = Date.now();
      const fresh: DocumentRow[] = accepted
        .filter((url) => !existing.has(url))
        .map((url) => {
          const id = newId("doc");
          return {
            id,
            workspaceId: p.workspaceId,
            knowledgeBaseId: kb.id,
            name: url.slice(0, NAME_CHARS),
            contentType: "text/html",
            contentHash: pendingHash(id),
            sizeBytes: 0,
            tags: body.tags ?? [],
            status: "queued",
            progress: 0,
            error: null,
            chunkCount: 0,
            attempts: 0,
            charCount: 0,
            indexedSignature: null,
            sourceUrl: url,
            etag: null,
            lastModified: null,
            checkedAt: null,
            unchangedAt: null,
            createdAt: now,
            updatedAt: now,
          };
        });
      const [first, ...rest] = fresh.map((row) => db.insert(documents).values(row));
      if (first) await db.batch([first, ...rest]);
      try {
        await enqueueFetches(
          c,
          p.workspaceId,
          fresh.map((d) => d.id),
          false,
        );
        await enqueueFetches(c, p.workspaceId, [...existing.values()], true);
      } catch (err) {
        log(c, "error", "fetch_enqueue_failed", { error: err instanceof Error ? err.message : String(err) });
        if (fresh.length > 0) {
          await db.delete(documents).where(
            and(
              eq(documents.workspaceId, p.workspaceId),
              inArray(
                documents.id,
                fresh.map((d) => d.id),
              ),
            ),
          );
        }
        throw new ApiError("UNAVAILABLE", "The ingestion queue is unavailable; try again shortly");
      }
      const ids = new Map([...fresh.map((d) => [d.sourceUrl as string, d.id] as const), ...existing]);
      const result: FetchDocumentsResponse = {
        queued: accepted.map((url) => ({ url, document_id: ids.get(url) as string })),
        refused,
      };
      await audit(c, {
        action: "document.fetch",
        targetType: "knowledge_base",
        targetId: kb.id,
        detail: {
          ...("sitemap" in body ? { sitemap: body.sitemap } : {}),
          created: fresh.length,
          refetched: existing.size,
          refused: refused.length,
        },
      });
      return c.json(result, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases/{id}/documents/{docId}/refetch",
      tags,
      security,
      summary: "Fetch a URL document's page again; it is re-indexed only when its content changed",
      request: { params: DocIdParam },
      responses: {
        202: jsonResponse(KnowledgeDocument, "Queued for a conditional re-fetch"),
        422: jsonResponse(ErrorSchema, "The document was uploaded, not fetched from a URL"),
        503: jsonResponse(ErrorSchema, "The ingestion queue is unavailable"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id, docId } = c.req.valid("param");
      const { p } = await managedKnowledgeBase(c, id);
      const row = await findDocument(c.var.services.db, p.workspaceId, id, docId);
      if (!row.sourceUrl) throw new ApiError("UNPROCESSABLE", "This document was uploaded, not fetched from a URL");
      await admitIngest(c, { documents: 1, bytes: 0 });
      try {
        await enqueueFetches(c, p.workspaceId, [row.id], true);
      } catch {
        throw new ApiError("UNAVAILABLE", "The ingestion queue is unavailable; try again shortly");
      }
      await audit(c, {
        action: "document.refetch",
        targetType: "document",
        targetId: row.id,
        detail: { knowledge_base_id: id, source_url: row.sourceUrl },
      });
      return c.json(toDocument(row), 202);
    },
  );
}
