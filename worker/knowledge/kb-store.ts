// Knowledge bases in D1. Every query is scoped to the caller's workspace: an id from another
// workspace is simply not found.

import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { documents, knowledgeBases } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { IsolateCache } from "../core/isolate-cache";
import type { AuthenticatedPrincipal } from "../core/principal";
import {
  checkChunkSettings,
  type KnowledgeBase,
  type KnowledgeBasePage,
  type UpdateKnowledgeBaseRequest,
} from "./schemas";

export type KnowledgeBaseRow = typeof knowledgeBases.$inferSelect;
interface Counts {
  documents: number;
  chunks: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const toKnowledgeBase = (row: KnowledgeBaseRow, counts: Counts): KnowledgeBase => ({
  id: row.id,
  name: row.name,
  description: row.description,
  embedding_model: row.embeddingModel,
  chunk_size: row.chunkSize,
  chunk_overlap: row.chunkOverlap,
  owner_id: row.ownerId,
  refetch_interval_hours: row.refetchIntervalHours,
  document_count: counts.documents,
  chunk_count: counts.chunks,
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

export function findKnowledgeBase(db: Database, workspaceId: string, id: string): Promise<KnowledgeBaseRow> {
  return findRow(
    db,
    knowledgeBases,
    and(eq(knowledgeBases.workspaceId, workspaceId), eq(knowledgeBases.id, id)),
    "Knowledge base",
  );
}

/** Knowledge bases as search reads them (id, workspace, embedding model); creating, editing or
 * deleting one (or changing a workspace) in this isolate forgets them all. */
const searchedKnowledgeBases = new IsolateCache<KnowledgeBaseRow>(
  /^\/api\/(knowledge-bases(\/[^/]+)?|workspaces(\/.*)?|admin(\/.*)?)$/,
);

/** `findKnowledgeBase` for the search path: from this isolate's cache when read within `ttlSeconds`. */
export async function findKnowledgeBaseForSearch(
  db: Database,
  workspaceId: string,
  id: string,
  ttlSeconds: number,
): Promise<KnowledgeBaseRow> {
  const key = `${workspaceId}:${id}`;
  const cached = searchedKnowledgeBases.get(key);
  if (cached) return cached;
  const row = await findKnowledgeBase(db, workspaceId, id);
  searchedKnowledgeBases.set(key, row, ttlSeconds);
  return row;
}

async function counts(db: Database, workspaceId: string, ids: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      kb: documents.knowledgeBaseId,
      documents: sql<number>`count(*)`,
      chunks: sql<number>`coalesce(sum(${documents.chunkCount}), 0)`,
    })
    .from(documents)
    .where(and(eq(documents.workspaceId, workspaceId), inArray(documents.knowledgeBaseId, ids)))
    .groupBy(documents.knowledgeBaseId);
  for (const r of rows) out.set(r.kb, { documents: Number(r.documents), chunks: Number(r.chunks) });
  return out;
}

const NONE: Counts = { documents: 0, chunks: 0 };

export async function describeKnowledgeBase(db: Database, row: KnowledgeBaseRow): Promise<KnowledgeBase> {
  return toKnowledgeBase(row, (await counts(db, row.workspaceId, [row.id])).get(row.id) ?? NONE);
}

export async function listKnowledgeBases(
  db: Database,
  workspaceId: string,
  limit: number,
  cursor: string | undefined,
): Promise<KnowledgeBasePage> {
  const rows = await newestFirst(
    db.select().from(knowledgeBases).$dynamic(),
    knowledgeBases,
    { cursor, limit },
    eq(knowledgeBases.workspaceId, workspaceId),
  );
  const byKb = await counts(
    db,
    workspaceId,
    rows.slice(0, limit).map((r) => r.id),
  );
  return toPage(rows, limit, (r) => toKnowledgeBase(r, byKb.get(r.id) ?? NONE));
}

export interface NewKnowledgeBase {
  name: string;
  description: string;
  chunkSize: number;
  chunkOverlap: number;
  embeddingModel: string;
  refetchIntervalHours: number | null;
}

/** Inserts the knowledge base and, in the same D1 batch, what `alongside` writes with it (its audit row). */
export async function createKnowledgeBase(
  db: Database,
  p: AuthenticatedPrincipal,
  input: NewKnowledgeBase,
  alongside: (kb: KnowledgeBaseRow) => BatchItem<"sqlite">,
): Promise<KnowledgeBaseRow> {
  const now = Date.now();
  const row: KnowledgeBaseRow = {
    id: newId("kb"),
    workspaceId: p.workspaceId,
    ownerId: p.userId,
    ...input,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([db.insert(knowledgeBases).values(row), alongside(row)]);
  return row;
}

/** Owners and workspace admins change or delete a knowledge base; API keys act for their user. */
export function assertCanManage(p: AuthenticatedPrincipal, row: KnowledgeBaseRow): void {
  if (p.role === "admin" || row.ownerId === p.userId) return;
  throw new ApiError("FORBIDDEN", "Only the owner or a workspace admin may change this knowledge base");
}

export async function updateKnowledgeBase(
  db: Database,
  row: KnowledgeBaseRow,
  change: UpdateKnowledgeBaseRequest,
): Promise<KnowledgeBaseRow> {
  const chunkSize = change.chunk_size ?? row.chunkSize;
  const chunkOverlap = change.chunk_overlap ?? row.chunkOverlap;
  const problem = checkChunkSettings(chunkSize, chunkOverlap);
  if (problem) {
    throw new ApiError("VALIDATION_ERROR", "Request validation failed", {
      details: {
        source: "json",
        fields: [{ path: "chunk_overlap", message: `${problem} (chunk_size ${chunkSize})`, code: "custom" }],
      },
    });
  }
  const next: KnowledgeBaseRow = {
    ...row,
    name: change.name ?? row.name,
    description: change.description ?? row.description,
    chunkSize,
    chunkOverlap,
    refetchIntervalHours:
      change.refetch_interval_hours === undefined ? row.refetchIntervalHours : change.refetch_interval_hours,
    updatedAt: Date.now(),
  };
  await db
    .update(knowledgeBases)
    .set({
      name: next.name,
      description: next.description,
      chunkSize,
      chunkOverlap,
      refetchIntervalHours: next.refetchIntervalHours,
      updatedAt: next.updatedAt,
    })
    .where(and(eq(knowledgeBases.workspaceId, row.workspaceId), eq(knowledgeBases.id, row.id)));
  return next;
}
