// /api/evals/datasets: a workspace's evaluation datasets (create, list, read, rename, delete).
// Their cases live in cases-routes.ts and cases-file-routes.ts.
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../audit/statement";
import { inQuery, PageQuery, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { DatasetIdParam, EvalDataset, EvalDatasetCreate, EvalDatasetPage, EvalDatasetUpdate } from "./datasets-schemas";
import {
  createDataset,
  datasetWithCount,
  deleteDataset,
  findDataset,
  listDatasets,
  updateDataset,
} from "./datasets-store";

export const tags = ["evals"];

const DatasetListQuery = PageQuery.extend({
  name: z.string().min(1).max(200).optional().openapi(inQuery("name", "Only the live dataset with this exact name")),
});

export function registerDatasetRoutes(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/datasets",
      tags,
      summary: "List the workspace's evaluation datasets, newest first",
      query: DatasetListQuery,
      ok: [EvalDatasetPage, "A page of datasets"],
    }),
    async (c) => c.json(await listDatasets(c.var.services.db, signedIn(c.var.principal), c.req.valid("query")), 200),
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/evals/datasets",
      tags,
      summary: "Create an evaluation dataset (version 1, no cases yet)",
      body: EvalDatasetCreate,
      created: [EvalDataset, "Created"],
      errors: { 409: "A live dataset of this workspace already has the name" },
    }),
    async (c) => {
      const dataset = await createDataset(c.var.services.db, signedIn(c.var.principal), c.req.valid("json"), (row) =>
        auditStatement(c, {
          action: "eval_dataset.create",
          targetType: "eval_dataset",
          targetId: row.id,
          detail: { name: row.name },
        }),
      );
      return c.json(dataset, 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/datasets/{id}",
      tags,
      summary: "Get a dataset at its current version",
      params: DatasetIdParam,
      ok: [EvalDataset, "The dataset"],
    }),
    async (c) => {
      const db = c.var.services.db;
      const row = await findDataset(db, signedIn(c.var.principal).workspaceId, c.req.valid("param").id);
      return c.json(await datasetWithCount(db, row), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "patch",
      path: "/api/evals/datasets/{id}",
      tags,
      summary: "Rename or re-describe a dataset (its cases, and so its version, are unchanged)",
      params: DatasetIdParam,
      body: EvalDatasetUpdate,
      ok: [EvalDataset, "Updated"],
      errors: { 409: "A live dataset of this workspace already has the name" },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const dataset = await updateDataset(
        c.var.services.db,
        signedIn(c.var.principal),
        c.req.valid("param").id,
        body,
        (row) =>
          auditStatement(c, {
            action: "eval_dataset.update",
            targetType: "eval_dataset",
            targetId: row.id,
            detail: { ...body },
          }),
      );
      return c.json(dataset, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/evals/datasets/{id}",
      tags,
      summary: "Delete a dataset (soft: runs that used it keep their cases; the name becomes free)",
      params: DatasetIdParam,
      noContent: "Deleted",
    }),
    async (c) => {
      await deleteDataset(c.var.services.db, signedIn(c.var.principal), c.req.valid("param").id, (row) =>
        auditStatement(c, {
          action: "eval_dataset.delete",
          targetType: "eval_dataset",
          targetId: row.id,
          detail: { name: row.name, version: row.version },
        }),
      );
      return c.body(null, 204);
    },
  );
}
