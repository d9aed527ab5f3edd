// Lexical retrieval: D1's FTS5 index over chunks, ranked by bm25(). The MATCH expression comes
// from fts-query.ts (user text never reaches FTS5 syntax); the tenant filter is applied on the
// joined chunks row, so another workspace's or knowledge base's chunk can never be returned.
import { sql } from "drizzle-orm";
import type { Database } from "../../core/db";
import { ftsQuery } from "./fts-query";
import { inJson, type SearchScope } from "./scope";

export interface Ranked {
  id: string;
  score: number;
}

export async function lexicalSearch(db: Database, scope: SearchScope, query: string, depth: number): Promise<Ranked[]> {
  const match = ftsQuery(query);
  if (match === null) return [];
  const rows = await db.all<{ id: string; rank: number }>(sql`
    SELECT c.id AS id, bm25(chunks_fts) AS rank
    FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
    WHERE chunks_fts MATCH ${match}
      AND c.workspace_id = ${scope.workspaceId}
      AND ${inJson(sql`c.knowledge_base_id`, scope.knowledgeBaseIds)}
      ${scope.documentIds ? sql`AND ${inJson(sql`c.document_id`, scope.documentIds)}` : sql``}
    ORDER BY rank
    LIMIT ${depth}`);
  // bm25() is lower-is-better; report it negated so every score reads higher-is-better.
  return rows.map((r) => ({ id: r.id, score: -r.rank }));
}
