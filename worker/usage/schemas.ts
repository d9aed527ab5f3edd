// Request and response shapes of the usage, budget and model-price routes (types shared with the
// dashboard and CLI in shared/api-types/usage.ts).
import type * as api from "@hive/shared/api-types/usage";
import { USAGE_GROUPS } from "@hive/shared/api-types/usage";
import { z } from "@hono/zod-openapi";
import { inQuery, pathId } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const UsageQuery = z.object({
  from: instant
    .optional()
    .openapi(inQuery("from", "ISO 8601 date or time, inclusive; default: the month's start (UTC)")),
  to: instant.optional().openapi(inQuery("to", "ISO 8601 date or time, exclusive; default: now")),
  group_by: z.enum(USAGE_GROUPS).default("agent").openapi(inQuery("group_by", "user: workspace admins only")),
});

const Amounts = {
  calls: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
  neurons: z.number(),
};

export const BudgetStatus = z
  .object({
    monthly_usd: z.number(),
    spent_usd: z.number(),
    warn_ratio: z.number(),
    warned: z.boolean(),
    exceeded: z.boolean(),
  })
  .openapi("BudgetStatus");

export const UsageReport = z
  .object({
    from: z.string(),
    to: z.string(),
    group_by: z.enum(USAGE_GROUPS),
    totals: z.object(Amounts),
    groups: z.array(z.object({ key: z.string(), label: z.string(), priced: z.boolean().optional(), ...Amounts })),
    budget: BudgetStatus.nullable(),
  })
  .openapi("UsageReport");

export const UsageTotals = z
  .object({ calls: z.number().int(), tokens: z.number().int(), cost_usd: z.number() })
  .openapi("UsageTotals");

export const WorkspaceBudgetInput = z
  .object({
    monthly_usd: z.number().min(0).max(10_000_000),
    warn_ratio: z.number().gt(0).max(1).optional(),
  })
  .strict()
  .openapi("WorkspaceBudgetInput");

export const WorkspaceBudget = z
  .object({ monthly_usd: z.number(), warn_ratio: z.number(), status: BudgetStatus, updated_at: z.string() })
  .openapi("WorkspaceBudget");
export type WorkspaceBudget = z.infer<typeof WorkspaceBudget>;

const perMtok = z.number().min(0).max(1_000_000);
export const ModelPriceInput = z
  .object({
    input_usd_per_mtok: perMtok,
    output_usd_per_mtok: perMtok,
    input_neurons_per_mtok: perMtok.nullable().optional(),
    output_neurons_per_mtok: perMtok.nullable().optional(),
  })
  .strict()
  .openapi("ModelPriceInput");

export const ModelPrice = z
  .object({
    provider: z.string(),
    model: z.string(),
    input_usd_per_mtok: z.number(),
    output_usd_per_mtok: z.number(),
    input_neurons_per_mtok: z.number().nullable(),
    output_neurons_per_mtok: z.number().nullable(),
    source: z.enum(["default", "override"]),
    updated_at: z.string().nullable(),
  })
  .openapi("ModelPrice");

export const ModelPriceList = z.object({ data: z.array(ModelPrice) }).openapi("ModelPriceList");

export const ModelPriceParams = z.object({
  provider: pathId("provider", "openai-compatible")
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _"),
  model: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "model", in: "path" }, example: "gpt-4o-mini", description: "URL-encode slashes" }),
});

type _Checks = [
  Expect<Same<z.output<typeof UsageReport>, api.UsageReport>>,
  Expect<Same<z.output<typeof UsageTotals>, api.UsageTotals>>,
  Expect<Same<z.input<typeof WorkspaceBudgetInput>, api.WorkspaceBudgetInput>>,
  Expect<Same<z.output<typeof WorkspaceBudget>, api.WorkspaceBudget>>,
  Expect<Same<z.input<typeof ModelPriceInput>, api.ModelPriceInput>>,
  Expect<Same<z.output<typeof ModelPriceList>, api.ModelPriceList>>,
];
