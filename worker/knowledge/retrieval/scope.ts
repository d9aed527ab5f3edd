// What a search may see: one workspace, some of its knowledge bases, optionally some of their
// documents. Every retriever and the final lookup apply all of it.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Database } from "../../core/db";
import type { SearchFilters } from "../schemas";

export interface SearchScope {
  workspaceId: string;
  knowledgeBaseIds: string[];
  /** null: every document; otherwise only these (possibly none). */
  documentIds: string[] | null;
}

/** `column IN (...)` through one JSON parameter: D1 allows only 100 bound parameters per query. */
export const inJson = (column: SQLiteColumn | SQL, values: readonly string[]): SQL =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;

/** Turns document and tag filters into the set of document ids they allow. */
export async function resolveDocuments(
  db: Database,
  workspaceId: string,
  knowledgeBaseIds: string[],
  filters: SearchFilters,
): Promise<string[] | null> {
  if (!filters.tags) return filters.document_ids ?? null;
  const rows = await db.all<{ id: string }>(sql`
    SELECT d.id AS id FROM documents d
    WHERE d.workspace_id = ${workspaceId}
      AND ${inJson(sql`d.knowledge_base_id`, knowledgeBaseIds)}
      ${filters.document_ids ? sql`AND ${inJson(sql`d.id`, filters.document_ids)}` : sql``}
      AND EXISTS (SELECT 1 FROM json_each(d.tags) AS t WHERE ${inJson(sql`t.value`, filters.tags)})`);
  return rows.map((r) => r.id);
}
