// /api/knowledge-bases and /api/knowledge-bases/:id.
import { createRoute } from "@hono/zod-openapi";
import { and, eq, isNotNull, isNull, or } from "drizzle-orm";
import { audit } from "../audit/audit";
import { auditStatement } from "../audit/statement";
import { documents } from "../core/db/schema";
import {
  commonErrors,
  ErrorSchema,
  jsonBody,
  jsonResponse,
  PageQuery,
  type Router,
  SIGNED_IN_SECURITY,
} from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { sendTraced } from "../core/trace/queue";
import { embedderFor } from "./embedders";
import { knowledgeBaseOf, managedKnowledgeBase } from "./kb-access";
import { createKnowledgeBase, describeKnowledgeBase, listKnowledgeBases, updateKnowledgeBase } from "./kb-store";
import { purgeKnowledgeBase } from "./purge";
import {
  CreateKnowledgeBaseRequest,
  KbIdParam,
  KnowledgeBase,
  KnowledgeBasePage,
  UpdateKnowledgeBaseRequest,
} from "./schemas";

const tags = ["knowledge"];
const security = SIGNED_IN_SECURITY;
/** Queue.sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export function registerKnowledgeBaseRoutes(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases",
      tags,
      security,
      summary: "List the workspace's knowledge bases",
      request: { query: PageQuery },
      responses: { 200: jsonResponse(KnowledgeBasePage, "A page of knowledge bases"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(
        await listKnowledgeBases(c.var.services.db, signedIn(c.var.principal).workspaceId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases",
      tags,
      security,
      summary: "Create a knowledge base with its chunking settings and embedding model",
      request: { body: jsonBody(CreateKnowledgeBaseRequest) },
      responses: {
        201: jsonResponse(KnowledgeBase, "Created"),
        422: jsonResponse(ErrorSchema, "Embedding model not available here"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const body = c.req.valid("json");
      const model = body.embedding_model ?? c.var.services.embedder.model;
      embedderFor({ embedder: c.var.services.embedder, ai: c.env.AI }, model);
      const db = c.var.services.db;
      const input = {
        name: body.name,
        description: body.description,
        chunkSize: body.chunk_size,
        chunkOverlap: body.chunk_overlap,
        embeddingModel: model,
        refetchIntervalHours: body.refetch_interval_hours ?? null,
      };
      // The audit row goes in the same batch: a D1 failure leaves neither.
      const row = await createKnowledgeBase(db, p, input, (kb) =>
        auditStatement(c, {
          action: "knowledge_base.create",
          targetType: "knowledge_base",
          targetId: kb.id,
          detail: { name: kb.name, embedding_model: model },
        }),
      );
      return c.json(await describeKnowledgeBase(c.var.services.db, row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases/{id}",
      tags,
      security,
      summary: "Get a knowledge base with its document and chunk counts",
      request: { params: KbIdParam },
      responses: { 200: jsonResponse(KnowledgeBase, "The knowledge base"), ...commonErrors },
    }),
    async (c) => {
      const { db, row } = await knowledgeBaseOf(c, c.req.valid("param").id);
      return c.json(await describeKnowledgeBase(db, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/knowledge-bases/{id}",
      tags,
      security,
      summary: "Rename or re-describe a knowledge base, or change its chunking (every document is then chunked again)",
      request: { params: KbIdParam, body: jsonBody(UpdateKnowledgeBaseRequest) },
      responses: { 200: jsonResponse(KnowledgeBase, "Updated"), ...commonErrors },
    }),
    async (c) => {
      const { p, db, row } = await managedKnowledgeBase(c, c.req.valid("param").id);
      const next = await updateKnowledgeBase(db, row, c.req.valid("json"));
      const rechunk = next.chunkSize !== row.chunkSize || next.chunkOverlap !== row.chunkOverlap;
      let requeued = 0;
      if (rechunk) {
        // Old chunks stay searchable until each document's new ones replace them.
        const queued = await db
          .update(documents)
          .set({ status: "queued", progress: 0, error: null, attempts: 0, updatedAt: Date.now() })
          .where(
            and(
              eq(documents.workspaceId, p.workspaceId),
              eq(documents.knowledgeBaseId, row.id),
              // A web page not fetched yet has no text; its fetch message ingests it with the new settings.
              or(isNull(documents.sourceUrl), isNotNull(documents.checkedAt)),
            ),
          )
          .returning({ id: documents.id });
        const requestId = c.get("requestId");
        for (let i = 0; i < queued.length; i += SEND_BATCH) {
          const slice = queued.slice(i, i + SEND_BATCH);
          await sendTraced("INGEST_QUEUE", slice.length, (traceparent) =>
            c.env.INGEST_QUEUE.sendBatch(
              slice.map((d) => ({
                body: {
                  type: "ingest_document",
                  v: 1,
                  workspaceId: p.workspaceId,
                  documentId: d.id,
                  requestId,
                  traceparent,
                },
              })),
            ),
          );
        }
        requeued = queued.length;
      }
      await audit(c, {
        action: "knowledge_base.update",
        targetType: "knowledge_base",
        targetId: row.id,
        detail: { ...c.req.valid("json"), requeued_documents: requeued },
      });
      return c.json(await describeKnowledgeBase(db, next), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/knowledge-bases/{id}",
      tags,
      security,
      summary: "Delete a knowledge base with all its documents, chunks and vectors",
      request: { params: KbIdParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      const { row } = await managedKnowledgeBase(c, c.req.valid("param").id);
      const removed = await purgeKnowledgeBase(c.var.services, row);
      await audit(c, {
        action: "knowledge_base.delete",
        targetType: "knowledge_base",
        targetId: row.id,
        detail: { name: row.name, ...removed },
      });
      return c.body(null, 204);
    },
  );
}
