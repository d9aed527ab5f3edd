// /api/evals/datasets/:id/cases: read a version's cases, and change them one request at a time,
// each request making exactly one new version (cases-store.ts). Edits are whole: the body of a
// PUT replaces the case, which keeps its case_key and position.
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { auditStatement } from "../audit/statement";
import { evalCases } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { caseFromConversation } from "./cases-from-conversation";
import {
  CasePageQuery,
  CaseParams,
  EvalCaseInput,
  EvalCasePage,
  EvalCasesAdd,
  FromConversationBody,
} from "./cases-schemas";
import { type CaseChange, commitChange, findLiveCase, listCases, toCase, versionOf } from "./cases-store";
import { tags } from "./datasets-routes";
import { DatasetIdParam, EvalCaseChange } from "./datasets-schemas";
import { type DatasetRow, datasetWithCount, findDataset } from "./datasets-store";

/** The caller's dataset `id` (404 for anyone else's). */
export const datasetOf = (c: Context<HonoEnv>, id: string) =>
  findDataset(c.var.services.db, signedIn(c.var.principal).workspaceId, id);

/** Writes `change` to `dataset` as its next version, audited as `action`. */
export function changeCases(
  c: Context<HonoEnv>,
  dataset: DatasetRow,
  action: string,
  change: CaseChange,
  detail: Record<string, unknown> = {},
) {
  return commitChange(c.var.services.db, signedIn(c.var.principal), dataset, change, (version) =>
    auditStatement(c, {
      action,
      targetType: "eval_dataset",
      targetId: dataset.id,
      detail: { version, added: change.add.length, ...detail },
    }),
  );
}

export function registerCaseRoutes(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/evals/datasets/{id}/cases",
      tags,
      summary: "A page of the cases of one version of the dataset (default: the current one), in order",
      params: DatasetIdParam,
      query: CasePageQuery,
      ok: [EvalCasePage, "A page of cases"],
    }),
    async (c) => {
      const { limit, cursor, version } = c.req.valid("query");
      const dataset = await datasetOf(c, c.req.valid("param").id);
      return c.json(await listCases(c.var.services.db, dataset, versionOf(dataset, version), limit, cursor), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/evals/datasets/{id}/cases",
      tags,
      summary: "Add one case, or many (`{ cases: [...] }`), as one new version",
      params: DatasetIdParam,
      body: EvalCasesAdd,
      created: [EvalCaseChange, "The dataset at its new version and the cases added"],
      errors: { 409: "The dataset changed at the same time; reload and retry" },
    }),
    async (c) => {
      const dataset = await datasetOf(c, c.req.valid("param").id);
      const body = c.req.valid("json");
      const list = "cases" in body ? body.cases : [body];
      const change = { kind: "add" as const, add: list.map((b) => ({ body: b })) };
      return c.json(await changeCases(c, dataset, "eval_case.create", change), 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path: "/api/evals/datasets/{id}/cases/{caseId}",
      tags,
      summary:
        "Replace a case of the current version (by id or case_key): a new version holds the edited copy, past versions the old one. An edit that changes nothing makes no version",
      params: CaseParams,
      body: EvalCaseInput,
      ok: [EvalCaseChange, "The dataset and the case as edited"],
      errors: { 409: "The dataset changed at the same time; reload and retry" },
    }),
    async (c) => {
      const db = c.var.services.db;
      const { id, caseId } = c.req.valid("param");
      const body = c.req.valid("json");
      const dataset = await datasetOf(c, id);
      const old = await findLiveCase(db, dataset, caseId);
      if (JSON.stringify(old.body) === JSON.stringify(body)) {
        return c.json({ dataset: await datasetWithCount(db, dataset), cases: [toCase(old)] }, 200);
      }
      const change = {
        kind: "edit" as const,
        remove: eq(evalCases.id, old.id),
        add: [{ body, caseKey: old.caseKey, position: old.position }],
      };
      return c.json(await changeCases(c, dataset, "eval_case.update", change, { case_key: old.caseKey }), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/evals/datasets/{id}/cases/{caseId}",
      tags,
      summary: "Remove a case (by id or case_key) from the next version; past versions keep it",
      params: CaseParams,
      ok: [EvalCaseChange, "The dataset at its new version (no cases added)"],
      errors: { 409: "The dataset changed at the same time; reload and retry" },
    }),
    async (c) => {
      const { id, caseId } = c.req.valid("param");
      const dataset = await datasetOf(c, id);
      const old = await findLiveCase(c.var.services.db, dataset, caseId);
      const change = { kind: "delete" as const, remove: eq(evalCases.id, old.id), add: [] };
      return c.json(await changeCases(c, dataset, "eval_case.delete", change, { case_key: old.caseKey }), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/evals/datasets/{id}/cases/from-conversation",
      tags,
      summary:
        "Add a case made from one of your conversations: the turn's user message(s) as input, its answer as expected output, its cited documents as expected sources, its tool calls as expected tool calls",
      params: DatasetIdParam,
      body: FromConversationBody,
      created: [EvalCaseChange, "The dataset at its new version and the case added"],
      errors: { 409: "The dataset changed at the same time; reload and retry", 422: "No finished answer to take" },
    }),
    async (c) => {
      const body = c.req.valid("json");
      // The dataset is checked first: a missing one is a 404 before any conversation is read.
      const dataset = await datasetOf(c, c.req.valid("param").id);
      const made = await caseFromConversation(c.env, c.var.services.db, signedIn(c.var.principal), body);
      const change = { kind: "from_conversation" as const, add: [{ body: made }] };
      const detail = { conversation_id: body.conversation_id };
      return c.json(await changeCases(c, dataset, "eval_case.create", change, detail), 201);
    },
  );
}
