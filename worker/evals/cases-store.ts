// The cases of a dataset, by version. A row belongs to the versions [added_in, removed_in): a
// change never rewrites a case, it marks the old row removed at the new version and adds the new
// rows, so every past version reads as it was and runs that pinned one stay reproducible. Each
// request is one new version, written in one D1 batch with its version row and its audit row;
// the version row's primary key turns two changes made at once into a 409, not a merged version.
import { and, asc, eq, gt, isNull, lte, max, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { cursorPosition, toPositionPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { evalCases, evalDatasets, evalDatasetVersions } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { newId } from "../core/ids";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { EvalCase, EvalCaseInput, EvalCasePage } from "./cases-schemas";
import type { EvalDataset } from "./datasets-schemas";
import { type DatasetRow, datasetWithCount } from "./datasets-store";

export type CaseRow = typeof evalCases.$inferSelect;

export const toCase = (r: CaseRow): EvalCase => ({
  id: r.id,
  case_key: r.caseKey,
  position: r.position,
  added_in: r.addedIn,
  ...(r.body as EvalCaseInput),
});

const inVersion = (datasetId: string, version: number) =>
  and(
    eq(evalCases.datasetId, datasetId),
    lte(evalCases.addedIn, version),
    or(isNull(evalCases.removedIn), gt(evalCases.removedIn, version)),
  );

/** The version asked for (default the current one); a version the dataset has not reached is 404. */
export function versionOf(dataset: DatasetRow, asked: number | undefined): number {
  if (asked === undefined) return dataset.version;
  if (asked > dataset.version) throw notFound(`Version ${asked} of the dataset`);
  return asked;
}

/** One page of a version's cases in their order. */
export async function listCases(
  db: Database,
  dataset: DatasetRow,
  version: number,
  limit: number,
  cursor?: string,
): Promise<EvalCasePage> {
  const after = cursorPosition(cursor, 0);
  const rows = await db
    .select()
    .from(evalCases)
    .where(and(inVersion(dataset.id, version), after === undefined ? undefined : gt(evalCases.position, after)))
    .orderBy(asc(evalCases.position))
    .limit(limit + 1);
  return { ...toPositionPage(rows, limit, (r) => r.position, toCase), version };
}

/** Every case of a version in order (export). */
export function allCases(db: Database, dataset: DatasetRow, version: number): Promise<CaseRow[]> {
  return db.select().from(evalCases).where(inVersion(dataset.id, version)).orderBy(asc(evalCases.position));
}

/** A case of the current version, by its id or its case key; 404 otherwise. */
export function findLiveCase(db: Database, dataset: DatasetRow, caseId: string): Promise<CaseRow> {
  return findRow(
    db,
    evalCases,
    and(
      eq(evalCases.datasetId, dataset.id),
      isNull(evalCases.removedIn),
      or(eq(evalCases.id, caseId), eq(evalCases.caseKey, caseId)),
    ),
    "Case",
  );
}

/** What one request does to the cases: the live rows it removes and the cases it adds. */
export interface CaseChange {
  kind: "add" | "edit" | "delete" | "import" | "from_conversation";
  /** Live rows of the dataset matching this are removed at the new version. */
  remove?: SQL;
  /** An edited case keeps its key and position; new ones get fresh keys after the last position. */
  add: { body: EvalCaseInput; caseKey?: string; position?: number }[];
}

/** D1 binds at most 100 values per statement; a case row binds 9 (every column of eval_cases). */
const ROWS_PER_INSERT = 11;

async function nextPosition(db: Database, datasetId: string): Promise<number> {
  const [row] = await db
    .select({ last: max(evalCases.position) })
    .from(evalCases)
    .where(eq(evalCases.datasetId, datasetId));
  return (row?.last ?? -1) + 1;
}

/**
 * Writes `change` as the dataset's next version, with the row `auditFor` makes, in one batch.
 * Answers the dataset at its new version and the cases added.
 */
export async function commitChange(
  db: Database,
  p: AuthenticatedPrincipal,
  dataset: DatasetRow,
  change: CaseChange,
  auditFor: (version: number) => BatchItem<"sqlite">,
): Promise<{ dataset: EvalDataset; cases: EvalCase[] }> {
  const version = dataset.version + 1;
  const now = Date.now();
  let position = change.add.some((a) => a.position === undefined) ? await nextPosition(db, dataset.id) : 0;
  const rows: CaseRow[] = change.add.map((a) => {
    const id = newId("ecs");
    return {
      id,
      workspaceId: dataset.workspaceId,
      datasetId: dataset.id,
      caseKey: a.caseKey ?? id,
      addedIn: version,
      removedIn: null,
      position: a.position ?? position++,
      body: a.body,
      createdAt: now,
    };
  });
  const inserts: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    inserts.push(db.insert(evalCases).values(rows.slice(i, i + ROWS_PER_INSERT)));
  }
  const removal = change.remove
    ? [
        db
          .update(evalCases)
          .set({ removedIn: version })
          .where(and(eq(evalCases.datasetId, dataset.id), isNull(evalCases.removedIn), change.remove)),
      ]
    : [];
  try {
    await db.batch([
      db.insert(evalDatasetVersions).values({
        datasetId: dataset.id,
        version,
        workspaceId: dataset.workspaceId,
        change: change.kind,
        createdBy: p.userId,
        createdAt: now,
      }),
      db
        .update(evalDatasets)
        .set({ version, updatedAt: now })
        .where(and(eq(evalDatasets.id, dataset.id), eq(evalDatasets.version, dataset.version))),
      ...removal,
      ...inserts,
      auditFor(version),
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE") || String(err).includes("PRIMARY KEY")) {
      throw new ApiError("CONFLICT", "The dataset changed while this change was being made; reload and retry", {
        details: { version: dataset.version },
      });
    }
    throw err;
  }
  return {
    dataset: await datasetWithCount(db, { ...dataset, version, updatedAt: now }),
    cases: rows.map(toCase),
  };
}
