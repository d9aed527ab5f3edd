// /api/usage, /api/workspaces/:id/budget and /api/admin/model-prices: what model calls cost a
// workspace, its monthly limit, and the price table costs are computed from.

export const USAGE_GROUPS = ["agent", "model", "day", "user"] as const;
export type UsageGroupBy = (typeof USAGE_GROUPS)[number];

/** Where a model call came from. */
export const USAGE_SURFACES = ["chat", "swarm", "v1", "mcp", "eval"] as const;
export type UsageSurface = (typeof USAGE_SURFACES)[number];

export interface UsageAmounts {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** Workers AI neurons, for calls priced in them. */
  neurons: number;
}

export interface UsageGroup extends UsageAmounts {
  /** The agent id, "provider:model", the day (YYYY-MM-DD, UTC) or the user id; "" when the calls have none. */
  key: string;
  label: string;
  /** group_by=model only: false when the model has no price (its calls cost 0). */
  priced?: boolean;
}

export interface BudgetStatus {
  monthly_usd: number;
  /** Month-to-date (UTC calendar month) cost of the workspace's model calls. */
  spent_usd: number;
  warn_ratio: number;
  /** The warning for this month was raised (spent crossed warn_ratio × monthly_usd). */
  warned: boolean;
  /** Spent reached the limit: new model calls are refused until next month or a higher limit. */
  exceeded: boolean;
}

export interface UsageReport {
  from: string;
  to: string;
  group_by: UsageGroupBy;
  totals: UsageAmounts;
  groups: UsageGroup[];
  /** The workspace's budget, or null when it has none. */
  budget: BudgetStatus | null;
}

/** A usage total on an agent, conversation or swarm run. */
export interface UsageTotals {
  calls: number;
  tokens: number;
  cost_usd: number;
}

export interface WorkspaceBudgetInput {
  monthly_usd: number;
  /** Share of monthly_usd (0-1) at which one warning a month is raised; default 0.8. */
  warn_ratio?: number;
}

export interface WorkspaceBudget {
  monthly_usd: number;
  warn_ratio: number;
  status: BudgetStatus;
  updated_at: string;
}

export interface ModelPriceInput {
  input_usd_per_mtok: number;
  output_usd_per_mtok: number;
  input_neurons_per_mtok?: number | null;
  output_neurons_per_mtok?: number | null;
}

export interface ModelPrice {
  provider: string;
  /** The model id, or "*" for every model of the provider. */
  model: string;
  input_usd_per_mtok: number;
  output_usd_per_mtok: number;
  input_neurons_per_mtok: number | null;
  output_neurons_per_mtok: number | null;
  /** "default": the table in code; "override": a platform admin's row. */
  source: "default" | "override";
  updated_at: string | null;
}

export interface ModelPriceList {
  data: ModelPrice[];
}
