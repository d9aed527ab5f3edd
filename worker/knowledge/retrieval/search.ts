// Hybrid retrieval with citations: lexical (FTS5 bm25) and vector candidates fused by
// reciprocal rank fusion, optionally reranked, then loaded from D1 — the source of truth, so a
// vector whose chunk row is gone (or outside the scope) is dropped here. This is the function
// the search route, the knowledge_search tool and the benchmark all call.

import type { SearchMode } from "@hive/shared/api-types/knowledge";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../core/db";
import { chunks, documents, knowledgeBases } from "../../core/db/schema";
import { ApiError } from "../../core/errors";
import { writeLog } from "../../core/logger";
import { LOCAL_EMBEDDING_MODEL } from "../../core/providers/local-embedder";
import type { Embedder, VectorIndex } from "../../core/providers/types";
import type { AiRunner } from "../../core/providers/workers-ai";
import { withSpan } from "../../core/trace/tracer";
import type { KnowledgeBaseRow } from "../kb-store";
import type { SearchFilters, SearchHit, SearchResponse } from "../schemas";
import { queryTerms } from "./fts-query";
import { RRF_K, reciprocalRankFusion } from "./fuse";
import { lexicalSearch, type Ranked } from "./lexical";
import { RERANK_MODEL, rerank } from "./rerank";
import { inJson, resolveDocuments, type SearchScope } from "./scope";
import { makeSnippet, snippetTerms } from "./snippet";
import { MAX_VECTOR_DEPTH, vectorSearch } from "./vector";

export interface SearchDeps {
  db: Database;
  embedder: Embedder;
  vectorIndex: VectorIndex;
  /** The Workers AI binding, when there is one: enables reranking and Workers AI embedding models. */
  ai?: AiRunner | undefined;
}

export interface SearchOptions {
  workspaceId: string;
  knowledgeBaseIds: readonly string[];
  query: string;
  topK?: number;
  mode?: SearchMode;
  filters?: SearchFilters;
  /** Defaults to on when `ai` is present. */
  rerank?: boolean;
  /** The knowledge bases' rows when the caller has loaded them already (saves a query). */
  loaded?: readonly KnowledgeBaseRow[];
  /** Each retriever's weight in the fusion; default from `defaultFusion` of the knowledge bases. */
  weights?: FusionWeights;
}

export interface FusionWeights {
  lexical: number;
  vector: number;
}

/**
 * Hybrid fusion when every searched knowledge base is embedded by the built-in offline embedder
 * (hashed words, bigrams and trigrams: it re-measures lexical overlap, with no meaning of its
 * own). On Cranfield its vector list adds no independent signal: equal-weight RRF at k = 60
 * put hybrid at 0.310 nDCG@10 against 0.350 for lexical-only, and only weights that leave the
 * vector list to break ties and fill gaps kept hybrid level with lexical (the fusion sweep,
 * bench/knowledge-fusion-sweep.ts, scored on the route's top 10 chunks: k = 10 with the vector
 * list at 0.05 gave 0.351). So over the offline embedder the vector list is a tie-breaker. That
 * sweep ran on the collection it is judged on: treat the margin as a tie. Callers may set
 * their own weights; learned embeddings (Workers AI, OpenAI-compatible) keep the paper's
 * k = 60 and equal weights.
 */
export const OFFLINE_FUSION = { k: 10, weights: { lexical: 1, vector: 0.05 } } as const;
export const LEARNED_FUSION = { k: RRF_K, weights: { lexical: 1, vector: 1 } } as const;

export function defaultFusion(kbs: readonly Pick<KnowledgeBaseRow, "embeddingModel">[]): {
  k: number;
  weights: FusionWeights;
} {
  const offline = kbs.length > 0 && kbs.every((kb) => kb.embeddingModel === LOCAL_EMBEDDING_MODEL);
  const f = offline ? OFFLINE_FUSION : LEARNED_FUSION;
  return { k: f.k, weights: { ...f.weights } };
}

const MAX_RERANK_CANDIDATES = 50;

type Retrieved = { ok: true; hits: Ranked[] } | { ok: false; hits: [] };

async function attempt(
  name: "lexical" | "vector",
  depth: number,
  enabled: boolean,
  run: () => Promise<Ranked[]>,
  tolerate: boolean,
): Promise<Retrieved> {
  if (!enabled) return { ok: true, hits: [] };
  try {
    const hits = await withSpan(name, { "liquid_hive.retrieval.depth": depth }, async (span) => {
      const found = await run();
      span.setAttribute("liquid_hive.retrieval.candidates", found.length);
      return found;
    });
    return { ok: true, hits };
  } catch (err) {
    if (!tolerate) throw err;
    writeLog("warn", "knowledge_retriever_failed", {
      retriever: name,
      error: err instanceof Error ? err.message : String(err),
    });
    return { ok: false, hits: [] };
  }
}

interface ChunkRow {
  id: string;
  content: string;
  seq: number;
  start: number;
  end: number;
  documentId: string;
  knowledgeBaseId: string;
  name: string;
  sourceUrl: string | null;
  tags: string[];
}

async function load(db: Database, scope: SearchScope, ids: string[]): Promise<Map<string, ChunkRow>> {
  if (ids.length === 0) return new Map();
  const rows: ChunkRow[] = await db
    .select({
      id: chunks.id,
      content: chunks.content,
      seq: chunks.seq,
      start: chunks.startOffset,
      end: chunks.endOffset,
      documentId: chunks.documentId,
      knowledgeBaseId: chunks.knowledgeBaseId,
      name: documents.name,
      sourceUrl: documents.sourceUrl,
      tags: documents.tags,
    })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .where(
      and(
        eq(chunks.workspaceId, scope.workspaceId),
        eq(documents.workspaceId, scope.workspaceId),
        inJson(chunks.knowledgeBaseId, scope.knowledgeBaseIds),
        inJson(chunks.id, ids),
        scope.documentIds ? inJson(chunks.documentId, scope.documentIds) : undefined,
      ),
    );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The knowledge bases searched: only the workspace's own, whatever ids the caller passed. */
async function knowledgeBasesFor(db: Database, opts: SearchOptions): Promise<KnowledgeBaseRow[]> {
  if (opts.loaded) {
    const wanted = new Set(opts.knowledgeBaseIds);
    return opts.loaded.filter((kb) => kb.workspaceId === opts.workspaceId && wanted.has(kb.id));
  }
  if (opts.knowledgeBaseIds.length === 0) return [];
  return db
    .select()
    .from(knowledgeBases)
    .where(
      and(eq(knowledgeBases.workspaceId, opts.workspaceId), inJson(knowledgeBases.id, [...opts.knowledgeBaseIds])),
    );
}

/** The search under its `retrieval` span: lexical, vector, fusion and rerank are its children, with their counts. */
export function searchKnowledge(deps: SearchDeps, opts: SearchOptions): Promise<SearchResponse> {
  const attributes = {
    "liquid_hive.retrieval.mode": opts.mode ?? "hybrid",
    "liquid_hive.retrieval.top_k": opts.topK ?? 10,
    "liquid_hive.retrieval.knowledge_bases": opts.knowledgeBaseIds.length,
  };
  return withSpan("retrieval", attributes, async (span) => {
    const response = await search(deps, opts);
    span.setAttributes({
      "liquid_hive.retrieval.returned": response.data.length,
      "liquid_hive.retrieval.reranked": response.reranked,
      "liquid_hive.degraded": response.degraded,
    });
    return response;
  });
}

async function search(deps: SearchDeps, opts: SearchOptions): Promise<SearchResponse> {
  const started = performance.now();
  const topK = opts.topK ?? 10;
  const mode = opts.mode ?? "hybrid";
  const kbs = await knowledgeBasesFor(deps.db, opts);
  const fusion = defaultFusion(kbs);
  const weights = opts.weights ?? fusion.weights;
  const empty = (): SearchResponse => ({
    data: [],
    mode,
    reranked: false,
    degraded: false,
    weights,
    rrf_k: fusion.k,
    took_ms: performance.now() - started,
  });
  if (kbs.length === 0) return empty();
  const knowledgeBaseIds = kbs.map((kb) => kb.id);
  const documentIds = await resolveDocuments(deps.db, opts.workspaceId, knowledgeBaseIds, opts.filters ?? {});
  if (documentIds && documentIds.length === 0) return empty();
  const scope: SearchScope = { workspaceId: opts.workspaceId, knowledgeBaseIds, documentIds };

  const useRerank = Boolean(deps.ai) && opts.rerank !== false;
  const depth = Math.min(MAX_VECTOR_DEPTH, Math.max(topK * 4, 40));
  const hybrid = mode === "hybrid";
  const [lexical, vector] = await Promise.all([
    attempt("lexical", depth, mode !== "vector", () => lexicalSearch(deps.db, scope, opts.query, depth), hybrid),
    attempt("vector", depth, mode !== "lexical", () => vectorSearch(deps, kbs, scope, opts.query, depth), hybrid),
  ]);
  if (!lexical.ok && !vector.ok)
    throw new ApiError("UNAVAILABLE", "Search is temporarily unavailable: both retrievers failed");
  const lexicalScore = new Map(lexical.hits.map((h) => [h.id, h.score]));
  const vectorScore = new Map(vector.hits.map((h) => [h.id, h.score]));
  const fused = await withSpan("fusion", { "liquid_hive.retrieval.rrf_k": fusion.k }, (span) => {
    const lists = { lexical: lexical.hits.map((h) => h.id), vector: vector.hits.map((h) => h.id) };
    const out = reciprocalRankFusion(lists, fusion.k, { lexical: weights.lexical, vector: weights.vector });
    span.setAttributes({
      "liquid_hive.retrieval.candidates": lists.lexical.length + lists.vector.length,
      "liquid_hive.retrieval.returned": out.length,
    });
    return out;
  });

  // Slack for candidates the final lookup drops (vectors without a row, out-of-scope documents).
  const candidates = fused.slice(0, useRerank ? Math.min(MAX_RERANK_CANDIDATES, Math.max(topK * 3, 20)) : topK * 2);
  const rows = await load(
    deps.db,
    scope,
    candidates.map((f) => f.id),
  );
  let ordered = candidates.filter((f) => rows.has(f.id));
  const rerankScore = new Map<string, number>();
  let reranked = false;
  const { ai } = deps;
  if (useRerank && ai && ordered.length > 1) {
    try {
      const passages = ordered.map((f) => rows.get(f.id)?.content ?? "");
      const rerankAttrs = { "liquid_hive.retrieval.candidates": passages.length, "gen_ai.request.model": RERANK_MODEL };
      const scores = await withSpan("rerank", rerankAttrs, () => rerank(ai, opts.query, passages));
      ordered.forEach((f, i) => {
        rerankScore.set(f.id, scores[i] as number);
      });
      ordered = [...ordered].sort((a, b) => (rerankScore.get(b.id) ?? 0) - (rerankScore.get(a.id) ?? 0));
      reranked = true;
    } catch (err) {
      writeLog("warn", "knowledge_rerank_failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  const terms = snippetTerms(queryTerms(opts.query));
  const data: SearchHit[] = ordered.slice(0, topK).map((f) => {
    const row = rows.get(f.id) as ChunkRow;
    const rr = reranked ? (rerankScore.get(f.id) ?? null) : null;
    return {
      chunk_id: row.id,
      content: row.content,
      citation: {
        document_id: row.documentId,
        document_name: row.name,
        knowledge_base_id: row.knowledgeBaseId,
        chunk_id: row.id,
        chunk_seq: row.seq,
        start_offset: row.start,
        end_offset: row.end,
        source_url: row.sourceUrl,
      },
      snippet: makeSnippet(row.content, row.start, terms),
      score: rr ?? f.fused,
      scores: {
        lexical: lexicalScore.get(f.id) ?? null,
        vector: vectorScore.get(f.id) ?? null,
        fused: f.fused,
        rerank: rr,
      },
      ranks: { lexical: f.ranks.lexical ?? null, vector: f.ranks.vector ?? null },
      tags: row.tags,
    };
  });
  return {
    data,
    mode,
    reranked,
    degraded: !lexical.ok || !vector.ok,
    weights,
    rrf_k: fusion.k,
    took_ms: Math.round((performance.now() - started) * 100) / 100,
  };
}
