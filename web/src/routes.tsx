// The dashboard's pages, in navigation order. "/" shows the home page (Status).
import type { ReactNode } from "react";
import type { IconName } from "./layout/icons";
import { PlannedPage } from "./pages/planned/planned-page";
import { PLANNED_SECTIONS } from "./pages/planned/sections";
import { StatusPage } from "./pages/status/status-page";

export interface NavRoute {
  path: string;
  label: string;
  icon: IconName;
  render: () => ReactNode;
}

export const HOME_PATH = "/status";

export const NAV_ROUTES: readonly NavRoute[] = [
  { path: "/status", label: "Status", icon: "status", render: () => <StatusPage /> },
  ...PLANNED_SECTIONS.map((section) => ({
    path: section.path,
    label: section.title,
    icon: section.icon,
    render: () => <PlannedPage section={section} />,
  })),
];

export function findRoute(pathname: string): NavRoute | undefined {
  const path = pathname === "/" ? HOME_PATH : pathname.replace(/\/+$/, "");
  return NAV_ROUTES.find((route) => route.path === path);
}
