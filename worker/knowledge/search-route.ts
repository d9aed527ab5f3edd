// POST /api/knowledge-bases/:id/search: hybrid (default), lexical or vector retrieval with
// citations and highlighted snippets.
import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../core/errors";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { ProviderError, VectorIndexError } from "../core/providers/errors";
import { signedIn } from "../core/signed-in";
import { findKnowledgeBaseForSearch } from "./kb-store";
import { searchKnowledge } from "./retrieval/search";
import { KbIdParam, SearchRequest, SearchResponse } from "./schemas";

/** A retriever's backend failing is a 503 for the caller (hybrid mode degrades instead). */
export function providerUnavailable(err: unknown): never {
  if (err instanceof ProviderError || err instanceof VectorIndexError) {
    throw new ApiError("UNAVAILABLE", "Search is temporarily unavailable", {
      details: { reason: err.message },
      cause: err,
    });
  }
  throw err;
}

export function registerSearchRoute(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases/{id}/search",
      tags: ["knowledge"],
      security: SIGNED_IN_SECURITY,
      summary:
        "Search a knowledge base: lexical (FTS5 bm25) and vector hits fused by weighted reciprocal rank fusion, optionally reranked",
      request: { params: KbIdParam, body: jsonBody(SearchRequest) },
      responses: {
        200: jsonResponse(SearchResponse, "Hits with citations, best first"),
        503: jsonResponse(ErrorSchema, "A retriever's backend is down"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const kb = await findKnowledgeBaseForSearch(
        c.var.services.db,
        p.workspaceId,
        c.req.valid("param").id,
        c.var.config.DEFINITION_CACHE_TTL_SECONDS,
      );
      const body = c.req.valid("json");
      const services = c.var.services;
      const result = await searchKnowledge(
        { db: services.db, embedder: services.embedder, vectorIndex: services.vectorIndex, ai: c.env.AI },
        {
          workspaceId: p.workspaceId,
          knowledgeBaseIds: [kb.id],
          loaded: [kb],
          query: body.query,
          topK: body.top_k,
          mode: body.mode,
          filters: body.filters,
          ...(body.rerank === undefined ? {} : { rerank: body.rerank }),
          ...(body.weights ? { weights: body.weights } : {}),
        },
      ).catch(providerUnavailable);
      return c.json(result, 200);
    },
  );
}
