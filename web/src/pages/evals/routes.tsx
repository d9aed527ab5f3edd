// Pages under Evaluations: the datasets (runs add their own routes beside these).
import type { PageRoute, RouteParams } from "../../router/match";
import { DatasetPage } from "./datasets-detail-page";
import { DatasetsPage } from "./datasets-page";

const id = (p: RouteParams) => p.id ?? "";

export const EVAL_DATASET_ROUTES: readonly PageRoute[] = [
  { pattern: "/evals/datasets", section: "/evals", render: () => <DatasetsPage /> },
  { pattern: "/evals/datasets/:id", section: "/evals", render: (p) => <DatasetPage datasetId={id(p)} /> },
];
