// GET /api/usage (what model calls cost the workspace) and the workspace's monthly budget.
import type { UsageGroupBy, UsageReport, WorkspaceBudget, WorkspaceBudgetInput } from "../api-types/usage";
import { ApiCalls } from "./calls";
import { segment } from "./query";
import type { CallOptions } from "./transport";

export type * from "../api-types/usage";
export { USAGE_GROUPS } from "../api-types/usage";

export interface UsageParams {
  /** ISO 8601 date or time, inclusive; default: the start of the month (UTC). */
  from?: string;
  /** ISO 8601 date or time, exclusive; default: now. */
  to?: string;
  group_by?: UsageGroupBy;
}

export class UsageApi extends ApiCalls {
  report(params: UsageParams = {}, opts?: CallOptions): Promise<UsageReport> {
    return this.read<UsageReport>("/api/usage", { ...params }, opts);
  }

  setBudget(workspaceId: string, budget: WorkspaceBudgetInput, opts?: CallOptions): Promise<WorkspaceBudget> {
    return this.http.json<WorkspaceBudget>("PUT", `/api/workspaces/${segment(workspaceId)}/budget`, budget, opts);
  }
}
