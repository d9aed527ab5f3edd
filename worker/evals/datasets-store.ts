// Evaluation datasets in D1: one per name among a workspace's live datasets (a unique index, so
// two creates racing for a name give one 409), deleted softly so runs that pinned a version can
// still read its cases. Every member of the workspace reads them; the permission table decides
// who writes.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { evalDatasets, evalDatasetVersions } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { EvalDataset, EvalDatasetCreate, EvalDatasetUpdate } from "./datasets-schemas";

export type DatasetRow = typeof evalDatasets.$inferSelect;

/** Cases in the dataset's current version: exactly the rows no version has removed yet. */
// Written out: inside a subquery drizzle would leave the outer column unqualified.
const liveCaseCount = sql<number>`(SELECT count(*) FROM eval_cases AS c WHERE c.dataset_id = eval_datasets.id AND c.removed_in IS NULL)`;

export const toDataset = (row: DatasetRow, caseCount: number): EvalDataset => ({
  id: row.id,
  name: row.name,
  description: row.description,
  version: row.version,
  case_count: caseCount,
  created_by: row.createdBy,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

const live = (workspaceId: string) => and(eq(evalDatasets.workspaceId, workspaceId), isNull(evalDatasets.deletedAt));

/** The workspace's live dataset with this id; 404 for another tenant's, a deleted one or none. */
export function findDataset(db: Database, workspaceId: string, id: string): Promise<DatasetRow> {
  return findRow(db, evalDatasets, and(eq(evalDatasets.id, id), live(workspaceId)), "Dataset");
}

export async function datasetWithCount(db: Database, row: DatasetRow): Promise<EvalDataset> {
  const [counted] = await db
    .select({ n: liveCaseCount })
    .from(evalDatasets)
    .where(eq(evalDatasets.id, row.id))
    .limit(1);
  return toDataset(row, counted?.n ?? 0);
}

export async function listDatasets(
  db: Database,
  p: AuthenticatedPrincipal,
  query: { limit: number; cursor?: string | undefined; name?: string | undefined },
) {
  const rows = await newestFirst(
    db.select({ dataset: evalDatasets, n: liveCaseCount }).from(evalDatasets).$dynamic(),
    evalDatasets,
    query,
    live(p.workspaceId),
    query.name === undefined ? undefined : eq(evalDatasets.name, query.name),
  );
  return toPage(
    rows.map((r) => ({ ...r, id: r.dataset.id, createdAt: r.dataset.createdAt })),
    query.limit,
    (r) => toDataset(r.dataset, r.n),
  );
}

const nameTaken = (name: string) =>
  new ApiError("CONFLICT", `A dataset named "${name}" already exists in this workspace`, { details: { name } });

/** Runs a write that may hit the live-name unique index; the clash is a 409, not a 500. */
async function unlessNameTaken<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (name !== undefined && String(err).includes("UNIQUE")) throw nameTaken(name);
    throw err;
  }
}

/** Inserts the dataset at version 1 (no cases) with its version row and `alongside` (its audit row), in one batch. */
export async function createDataset(
  db: Database,
  p: AuthenticatedPrincipal,
  body: EvalDatasetCreate,
  alongside: (row: DatasetRow) => BatchItem<"sqlite">,
): Promise<EvalDataset> {
  const now = Date.now();
  const row: DatasetRow = {
    id: newId("eds"),
    workspaceId: p.workspaceId,
    name: body.name,
    description: body.description ?? "",
    version: 1,
    createdBy: p.userId,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await unlessNameTaken(body.name, () =>
    db.batch([
      db.insert(evalDatasets).values(row),
      db.insert(evalDatasetVersions).values({
        datasetId: row.id,
        version: 1,
        workspaceId: p.workspaceId,
        change: "create",
        createdBy: p.userId,
        createdAt: now,
      }),
      alongside(row),
    ]),
  );
  return toDataset(row, 0);
}

/** Renames or re-describes a dataset: its cases, and so its version, stay as they are. */
export async function updateDataset(
  db: Database,
  p: AuthenticatedPrincipal,
  id: string,
  body: EvalDatasetUpdate,
  alongside: (row: DatasetRow) => BatchItem<"sqlite">,
): Promise<EvalDataset> {
  const row = await findDataset(db, p.workspaceId, id);
  const next: DatasetRow = {
    ...row,
    name: body.name ?? row.name,
    description: body.description ?? row.description,
    updatedAt: Date.now(),
  };
  await unlessNameTaken(body.name, () =>
    db.batch([
      db
        .update(evalDatasets)
        .set({ name: next.name, description: next.description, updatedAt: next.updatedAt })
        .where(and(eq(evalDatasets.id, row.id), live(p.workspaceId))),
      alongside(next),
    ]),
  );
  return datasetWithCount(db, next);
}

export async function deleteDataset(
  db: Database,
  p: AuthenticatedPrincipal,
  id: string,
  alongside: (row: DatasetRow) => BatchItem<"sqlite">,
): Promise<void> {
  const row = await findDataset(db, p.workspaceId, id);
  await db.batch([
    db
      .update(evalDatasets)
      .set({ deletedAt: Date.now() })
      .where(and(eq(evalDatasets.id, row.id), live(p.workspaceId))),
    alongside(row),
  ]);
}
