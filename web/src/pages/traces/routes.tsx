// Pages under Traces: one trace's waterfall.
import type { PageRoute } from "../../router/match";
import { TracePage } from "./trace-page";

export const TRACE_ROUTES: readonly PageRoute[] = [
  { pattern: "/traces/:id", section: "/traces", render: (p) => <TracePage traceId={p.id ?? ""} /> },
];
