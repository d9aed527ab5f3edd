// Pages under Swarm: starting a run and watching one.
import type { PageRoute } from "../../router/match";
import { RunPage } from "./run-page";
import { StartRunPage } from "./start-run-page";

export const SWARM_ROUTES: readonly PageRoute[] = [
  { pattern: "/swarm/new", section: "/swarm", render: () => <StartRunPage /> },
  { pattern: "/swarm/:id", section: "/swarm", render: (p) => <RunPage runId={p.id ?? ""} /> },
];
