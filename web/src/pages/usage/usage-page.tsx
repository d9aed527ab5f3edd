// /usage: what the workspace's model calls cost in a window (this month, the last 7 or 30 days),
// broken down by agent, model or day (by user for admins), with a totals row, and the monthly
// budget as a bar with its numbers, which admins edit in place. The window and grouping live
// in the address, so a reload or a shared link shows the same breakdown.
import type { UsageGroupBy, UsageParams } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { useSearchParams } from "../../router/search-params";
import { type Choice, ChoiceSelect, choiceOf } from "../../ui/filters-choice";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { BudgetPanel } from "./budget-panel";
import { UsageTable } from "./usage-table";
import "../../styles/usage.css";

const DAY_MS = 86_400_000;
const WINDOWS = { month: "This month", "7d": "Last 7 days", "30d": "Last 30 days" } as const;
type WindowKey = keyof typeof WINDOWS;
const WINDOW: Choice<WindowKey> = {
  param: "window",
  options: Object.keys(WINDOWS) as WindowKey[],
  labels: WINDOWS,
  fallback: "month",
};
const GROUPS: Record<UsageGroupBy, string> = { agent: "Agent", model: "Model", day: "Day", user: "User" };

/** The API's window for a selection; "month" is the API's default (the month's start, UTC). */
function windowParams(key: WindowKey): Pick<UsageParams, "from"> {
  if (key === "month") return {};
  // Whole minutes, so the query key (and its cache entry) holds still between renders.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  return { from: new Date(now - Number.parseInt(key, 10) * DAY_MS).toISOString() };
}

export function UsagePage() {
  const me = useMe();
  const admin = isWorkspaceAdmin(me);
  const search = useSearchParams();
  const windowKey = choiceOf(search, WINDOW);
  const groups = (Object.keys(GROUPS) as UsageGroupBy[]).filter((g) => g !== "user" || admin);
  const group: Choice<UsageGroupBy> = { param: "by", options: groups, labels: GROUPS, fallback: "agent" };
  const by = choiceOf(search, group);
  const report = useQuery(queries.usage({ group_by: by, ...windowParams(windowKey) }));

  return (
    <Page
      title="Usage"
      lead={
        <>
          What model calls cost <strong>{me.workspace.name}</strong>: every chat, swarm step, /v1 and MCP call, priced
          from the platform&apos;s price table.
        </>
      }
    >
      <BudgetPanel workspaceId={me.workspace.id} budget={report.data?.budget ?? null} canEdit={admin} />
      <ListPanel id="usage-heading" title="Cost breakdown" busy={report.isFetching}>
        <div className="field-row">
          <ChoiceSelect id="usage-window" label="Window" choice={WINDOW} value={windowKey} />
          <ChoiceSelect id="usage-by" label="Group by" choice={group} value={by} />
        </div>
        <QueryState query={report} errorTitle="Could not load usage" compact />
        {report.data ? <UsageTable report={report.data} groupLabel={GROUPS[by]} /> : null}
      </ListPanel>
    </Page>
  );
}
