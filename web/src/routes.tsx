// The dashboard's pages, in navigation order. "/" shows the home page (Status).
import type { ReactNode } from "react";
import type { IconName } from "./layout/icons";
import { AccountPage } from "./pages/account/account-page";
import { AgentsPage } from "./pages/agents/agents-page";
import { AGENT_ROUTES } from "./pages/agents/routes";
import { AuditPage } from "./pages/audit/audit-page";
import type { PageAccess } from "./pages/auth/access";
import { EvalsPage } from "./pages/evals/evals-page";
import { EVAL_DATASET_ROUTES } from "./pages/evals/routes";
import { EVAL_RUN_ROUTES } from "./pages/evals/runs-routes";
import { FlagsPage } from "./pages/flags/flags-page";
import { KeysPage } from "./pages/keys/keys-page";
import { KnowledgePage } from "./pages/knowledge/knowledge-page";
import { KNOWLEDGE_ROUTES } from "./pages/knowledge/routes";
import { MonitoringPage } from "./pages/monitoring/monitoring-page";
import { SafetyPage } from "./pages/safety/safety-page";
import { StatusPage } from "./pages/status/status-page";
import { SWARM_ROUTES } from "./pages/swarm/routes";
import { SwarmRunsPage } from "./pages/swarm/swarm-runs-page";
import { TRACE_ROUTES } from "./pages/traces/routes";
import { TracesPage } from "./pages/traces/traces-page";
import { UsagePage } from "./pages/usage/usage-page";
import { UsersPage } from "./pages/users/users-page";
import { MembersPage } from "./pages/workspaces/members-page";
import { matchPath, type PageRoute } from "./router/match";

export interface NavRoute {
  path: string;
  label: string;
  icon: IconName;
  render: () => ReactNode;
  /** Who sees it in the navigation and may open it; default "member" (signed in). */
  access?: PageAccess;
}

export const HOME_PATH = "/status";

export const NAV_ROUTES: readonly NavRoute[] = [
  { path: "/status", label: "Status", icon: "status", access: "public", render: () => <StatusPage /> },
  { path: "/agents", label: "Agents", icon: "agents", render: () => <AgentsPage /> },
  { path: "/knowledge", label: "Knowledge", icon: "knowledge", render: () => <KnowledgePage /> },
  { path: "/swarm", label: "Swarm", icon: "swarm", render: () => <SwarmRunsPage /> },
  { path: "/evals", label: "Evaluations", icon: "evals", render: () => <EvalsPage /> },
  { path: "/monitoring", label: "Monitoring", icon: "monitoring", render: () => <MonitoringPage /> },
  { path: "/safety", label: "Safety", icon: "safety", render: () => <SafetyPage /> },
  { path: "/usage", label: "Usage", icon: "usage", render: () => <UsagePage /> },
  { path: "/members", label: "Members", icon: "members", render: () => <MembersPage /> },
  { path: "/keys", label: "API keys", icon: "keys", render: () => <KeysPage /> },
  { path: "/audit", label: "Audit log", icon: "audit", access: "auditor", render: () => <AuditPage /> },
  { path: "/traces", label: "Traces", icon: "traces", access: "auditor", render: () => <TracesPage /> },
  { path: "/users", label: "Users", icon: "users", access: "platform_admin", render: () => <UsersPage /> },
  { path: "/flags", label: "Flags", icon: "settings", access: "platform_admin", render: () => <FlagsPage /> },
];

/** Pages below the navigation entries, by pattern. */
const PAGE_ROUTES: readonly PageRoute[] = [
  ...AGENT_ROUTES,
  ...KNOWLEDGE_ROUTES,
  ...SWARM_ROUTES,
  ...EVAL_RUN_ROUTES,
  ...EVAL_DATASET_ROUTES,
  ...TRACE_ROUTES,
  // Reached from the signed-in user's name in the header; no sidebar entry to highlight.
  { pattern: "/account", section: "/account", render: () => <AccountPage /> },
];

/** What App renders: `path` keys the page, so a different one remounts it. */
export interface MatchedRoute {
  path: string;
  /** The navigation entry it belongs to. */
  section: string;
  render: () => ReactNode;
  access: PageAccess;
}

export function findRoute(pathname: string): MatchedRoute | undefined {
  const path = pathname === "/" ? HOME_PATH : pathname.replace(/\/+$/, "");
  const nav = NAV_ROUTES.find((route) => route.path === path);
  if (nav) return { path: nav.path, section: nav.path, render: nav.render, access: nav.access ?? "member" };
  for (const route of PAGE_ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params)
      return {
        path: route.key?.(params) ?? path,
        section: route.section,
        render: () => route.render(params),
        access: "member",
      };
  }
  return undefined;
}
