// Request and response shapes of /api/evals/datasets (types shared with the dashboard and the CLI
// in shared/api-types/evals.ts).
import type * as api from "@hive/shared/api-types/evals";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams, page } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { EvalCase } from "./cases-schemas";

export const DatasetIdParam = idParams("eds_3kT9aZ");

export const EvalDataset = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.number().int().openapi({ description: "The current version; every change to its cases adds one" }),
    case_count: z.number().int().openapi({ description: "Cases in the current version" }),
    created_by: z.string(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .openapi("EvalDataset");
export type EvalDataset = z.infer<typeof EvalDataset>;

export const EvalDatasetPage = page(EvalDataset).openapi("EvalDatasetPage");

const Description = z.string().max(2_000);

export const EvalDatasetCreate = z
  .object({ name: displayName(200), description: Description.optional() })
  .strict()
  .openapi("EvalDatasetCreate");
export type EvalDatasetCreate = z.infer<typeof EvalDatasetCreate>;

export const EvalDatasetUpdate = z
  .object({ name: displayName(200).optional(), description: Description.optional() })
  .strict()
  .openapi("EvalDatasetUpdate");
export type EvalDatasetUpdate = z.infer<typeof EvalDatasetUpdate>;

export const EvalCaseChange = z.object({ dataset: EvalDataset, cases: z.array(EvalCase) }).openapi("EvalCaseChange");
export type EvalCaseChange = z.infer<typeof EvalCaseChange>;

export const ImportMode = z.enum(["append", "replace"]);

export const EvalImportResult = z
  .object({ dataset: EvalDataset, mode: ImportMode, added: z.number().int(), removed: z.number().int() })
  .openapi("EvalImportResult");
export type EvalImportResult = z.infer<typeof EvalImportResult>;

type _Checks = [
  Expect<Same<EvalDataset, api.EvalDataset>>,
  Expect<Same<z.input<typeof EvalDatasetCreate>, api.EvalDatasetCreate>>,
  Expect<Same<z.input<typeof EvalDatasetUpdate>, api.EvalDatasetUpdate>>,
  Expect<Same<EvalCaseChange, api.EvalCaseChange>>,
  Expect<Same<EvalImportResult, api.EvalImportResult>>,
];
