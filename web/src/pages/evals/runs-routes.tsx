// Pages under Evaluations for runs: the list, starting one, one run, and comparing two.
import type { PageRoute } from "../../router/match";
import { ComparePage } from "./compare-page";
import { NewEvalRunPage } from "./runs-new-page";
import { EvalRunsPage } from "./runs-page";
import { EvalRunPage } from "./runs-run-page";

export const EVAL_RUN_ROUTES: readonly PageRoute[] = [
  { pattern: "/evals/runs", section: "/evals", render: () => <EvalRunsPage /> },
  { pattern: "/evals/runs/new", section: "/evals", render: () => <NewEvalRunPage /> },
  { pattern: "/evals/runs/:id", section: "/evals", render: (p) => <EvalRunPage runId={p.id ?? ""} /> },
  { pattern: "/evals/compare", section: "/evals", render: () => <ComparePage /> },
];
