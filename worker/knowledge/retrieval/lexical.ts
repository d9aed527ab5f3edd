// Lexical retrieval: D1's FTS5 index over chunks, ranked by bm25(). The MATCH expression comes
// from fts-query.ts (user text never reaches FTS5 syntax); the tenant filter is applied on the
// joined chunks row, so another workspace's or knowledge base's chunk can never be returned.
//
// The index is shared by every knowledge base, and joining every match to its chunks row to
// filter it costs more than ranking (10x Cranfield: ~2x). So the best `pool` matches are ranked
// first and only those are joined; when the pool is full yet yields fewer than `depth` in-scope
// rows, other tenants' rows crowded it and the exact query over every match runs instead.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../core/db";
import { ftsQuery } from "./fts-query";
import { inJson, type SearchScope } from "./scope";

export interface Ranked {
  id: string;
  score: number;
}

const POOL_FACTOR = 5;
const MIN_POOL = 200;

function scopeFilter(scope: SearchScope): SQL {
  return sql`c.workspace_id = ${scope.workspaceId}
      AND ${inJson(sql`c.knowledge_base_id`, scope.knowledgeBaseIds)}
      ${scope.documentIds ? sql`AND ${inJson(sql`c.document_id`, scope.documentIds)}` : sql``}`;
}

export async function lexicalSearch(db: Database, scope: SearchScope, query: string, depth: number): Promise<Ranked[]> {
  const match = ftsQuery(query);
  if (match === null) return [];
  const pool = Math.max(MIN_POOL, depth * POOL_FACTOR);
  // One round trip: the in-scope rows of the pool, then one row (id NULL) counting the pool.
  const result = await db.all<{ id: string | null; rank: number }>(sql`
    WITH top AS (
      SELECT rowid AS r, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ${match} ORDER BY rank LIMIT ${pool}
    )
    SELECT * FROM (
      SELECT c.id AS id, top.rank AS rank FROM top JOIN chunks c ON c.rowid = top.r
      WHERE ${scopeFilter(scope)}
      ORDER BY top.rank
      LIMIT ${depth}
    )
    UNION ALL SELECT NULL, count(*) FROM top`);
  const pooled = result.find((r) => r.id === null)?.rank ?? 0;
  let rows = result.filter((r): r is { id: string; rank: number } => r.id !== null);
  if (rows.length < depth && pooled >= pool) {
    rows = await db.all<{ id: string; rank: number }>(sql`
      SELECT c.id AS id, bm25(chunks_fts) AS rank
      FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
      WHERE chunks_fts MATCH ${match} AND ${scopeFilter(scope)}
      ORDER BY rank
      LIMIT ${depth}`);
  }
  // bm25() is lower-is-better; report it negated so every score reads higher-is-better.
  return rows.map((r) => ({ id: r.id, score: -r.rank }));
}
