// The knowledge feature's wiring: its routes, its queue handler and the retrieval it offers
// to agents through the knowledge_search tool.
import type { Router } from "../core/openapi";
import { createServices } from "../core/services";
import { registerQueueHandler } from "../queue/consumer";
import { registerKnowledgeSearcher } from "../tools/knowledge-search";
import { registerBatchRoute } from "./batch-route";
import { registerDocumentRoutes } from "./document-routes";
import { registerEmbeddingsRoute } from "./embeddings-route";
import { ingestDocument } from "./ingest";
import { registerIngestionRoute } from "./ingestion-route";
import { registerKnowledgeBaseRoutes } from "./kb-routes";
import { registerOriginalRoute } from "./original-route";
import { searchKnowledge } from "./retrieval/search";
import { registerSearchRoute } from "./search-route";
import { fetchDocument } from "./url-fetch";
import { registerUrlRoutes } from "./url-routes";

export function registerKnowledge(app: Router): void {
  registerKnowledgeBaseRoutes(app);
  registerDocumentRoutes(app);
  registerOriginalRoute(app);
  registerUrlRoutes(app);
  registerBatchRoute(app);
  registerIngestionRoute(app);
  registerSearchRoute(app);
  registerEmbeddingsRoute(app);
  registerQueueHandler("ingest_document", ingestDocument);
  registerQueueHandler("fetch_document", fetchDocument);
  registerKnowledgeSearcher(async ({ env, config, workspaceId, knowledgeBaseIds, query, topK, signal }) => {
    signal.throwIfAborted();
    const services = createServices(env, config);
    const { data } = await searchKnowledge(
      { db: services.db, embedder: services.embedder, vectorIndex: services.vectorIndex, ai: env.AI },
      { workspaceId, knowledgeBaseIds, query, topK, mode: "hybrid" },
    );
    return data.map((hit) => ({
      id: hit.chunk_id,
      text: hit.content,
      source: `${hit.citation.document_name} (chars ${hit.citation.start_offset}-${hit.citation.end_offset})`,
      score: hit.score,
      origin: {
        document_id: hit.citation.document_id,
        document_name: hit.citation.document_name,
        knowledge_base_id: hit.citation.knowledge_base_id,
        source_url: hit.citation.source_url,
        start_offset: hit.citation.start_offset,
        end_offset: hit.citation.end_offset,
      },
      snippet: hit.snippet.text,
    }));
  });
}
