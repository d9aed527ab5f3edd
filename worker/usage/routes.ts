// GET /api/usage (every member: the workspace's model spend by agent, model or day; by user for
// workspace admins only, since it shows what each person spends), the workspace budget
// (/api/workspaces/:id/budget, workspace admins) and the price table (/api/admin/model-prices,
// platform admins). Changes are audited.
import { and, eq } from "drizzle-orm";
import { audit } from "../audit/audit";
import { modelPrices, workspaceBudgets } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { WorkspaceParams } from "../workspaces/schemas";
import { budgetStatus, currentBudget, loadBudget, monthOf, monthSpend } from "./budget";
import { forgetPrices, priceList } from "./prices";
import { usageReport } from "./report";
import {
  ModelPriceInput,
  ModelPriceList,
  ModelPriceParams,
  UsageQuery,
  UsageReport,
  WorkspaceBudget,
  WorkspaceBudgetInput,
} from "./schemas";

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 366;
const budgetPath = "/api/workspaces/{id}/budget";
const pricePath = "/api/admin/model-prices/{provider}/{model}";

type BudgetRow = NonNullable<Awaited<ReturnType<typeof loadBudget>>>;
const toBudget = (row: BudgetRow, spent: number): WorkspaceBudget => ({
  monthly_usd: row.monthlyUsd,
  warn_ratio: row.warnRatio,
  status: budgetStatus(row, spent),
  updated_at: new Date(row.updatedAt).toISOString(),
});

export function registerUsage(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/usage",
      tags: ["usage"],
      summary: "Model calls, tokens and cost of the workspace in a window, grouped, with totals and the budget",
      query: UsageQuery,
      ok: [UsageReport, "The report"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const q = c.req.valid("query");
      if (q.group_by === "user" && p.role !== "admin")
        throw new ApiError("FORBIDDEN", "Only workspace admins may see usage by user");
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : monthOf(to).start;
      if (from >= to) throw new ApiError("VALIDATION_ERROR", "`from` must be before `to`", { details: { from, to } });
      if (to - from > MAX_WINDOW_DAYS * DAY_MS)
        throw new ApiError("VALIDATION_ERROR", `A window may span at most ${MAX_WINDOW_DAYS} days`);
      const db = c.var.services.db;
      const [report, budget] = await Promise.all([
        usageReport(db, p, q.group_by, { from, to }),
        currentBudget(db, p.workspaceId, true),
      ]);
      return c.json(
        {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          group_by: q.group_by,
          ...report,
          budget,
        },
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: budgetPath,
      tags: ["usage"],
      summary: "The workspace's monthly model budget and this month's spend (workspace admin)",
      params: WorkspaceParams,
      ok: [WorkspaceBudget, "The budget"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const row = await loadBudget(db, p.workspaceId);
      if (!row) throw notFound("Budget");
      return c.json(toBudget(row, await monthSpend(db, p.workspaceId, true)), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path: budgetPath,
      tags: ["usage"],
      summary: "Set the workspace's monthly model budget (workspace admin); 0 stops every model call",
      params: WorkspaceParams,
      body: WorkspaceBudgetInput,
      ok: [WorkspaceBudget, "Stored"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const input = c.req.valid("json");
      const db = c.var.services.db;
      const values = {
        monthlyUsd: input.monthly_usd,
        warnRatio: input.warn_ratio ?? 0.8,
        updatedBy: p.userId,
        updatedAt: Date.now(),
      };
      const [row] = await db
        .insert(workspaceBudgets)
        .values({ workspaceId: p.workspaceId, ...values })
        .onConflictDoUpdate({ target: workspaceBudgets.workspaceId, set: values })
        .returning();
      if (!row) throw new Error("the budget upsert returned no row");
      await audit(c, {
        action: "budget.update",
        targetType: "workspace",
        targetId: p.workspaceId,
        detail: { monthly_usd: row.monthlyUsd, warn_ratio: row.warnRatio },
      });
      return c.json(toBudget(row, await monthSpend(db, p.workspaceId, true)), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/admin/model-prices",
      tags: ["usage"],
      summary: "The model price table: defaults in code and the overrides platform admins set",
      ok: [ModelPriceList, "Prices per million tokens"],
    }),
    async (c) => c.json({ data: await priceList(c.var.services.db) }, 200),
  );

  app.openapi(
    jsonRoute({
      method: "put",
      path: pricePath,
      tags: ["usage"],
      summary: "Set a model's price (platform admin); model `*` prices every model of the provider",
      params: ModelPriceParams,
      body: ModelPriceInput,
      ok: [ModelPriceList, "The whole table after the change"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { provider, model } = c.req.valid("param");
      const input = c.req.valid("json");
      const values = {
        inputUsdPerMtok: input.input_usd_per_mtok,
        outputUsdPerMtok: input.output_usd_per_mtok,
        inputNeuronsPerMtok: input.input_neurons_per_mtok ?? null,
        outputNeuronsPerMtok: input.output_neurons_per_mtok ?? null,
        updatedBy: p.userId,
        updatedAt: Date.now(),
      };
      const db = c.var.services.db;
      await db
        .insert(modelPrices)
        .values({ provider, model, ...values })
        .onConflictDoUpdate({ target: [modelPrices.provider, modelPrices.model], set: values });
      forgetPrices();
      await audit(c, {
        action: "model_price.update",
        workspaceId: null,
        targetType: "model_price",
        targetId: `${provider}:${model}`,
        detail: input,
      });
      return c.json({ data: await priceList(db) }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: pricePath,
      tags: ["usage"],
      summary: "Remove a price override (platform admin); the default in code, if any, applies again",
      params: ModelPriceParams,
      ok: [ModelPriceList, "The whole table after the change"],
    }),
    async (c) => {
      const { provider, model } = c.req.valid("param");
      const db = c.var.services.db;
      const removed = await db
        .delete(modelPrices)
        .where(and(eq(modelPrices.provider, provider), eq(modelPrices.model, model)))
        .returning({ provider: modelPrices.provider });
      if (!removed.length) throw notFound("Price override");
      forgetPrices();
      await audit(c, {
        action: "model_price.delete",
        workspaceId: null,
        targetType: "model_price",
        targetId: `${provider}:${model}`,
      });
      return c.json({ data: await priceList(db) }, 200);
    },
  );
}
