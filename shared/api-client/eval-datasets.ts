// /api/evals/datasets: evaluation datasets, their versioned cases, JSONL import and export, and
// cases made from conversations. Every change to the cases answers the dataset at its new version.
import type {
  EvalCaseChange,
  EvalCaseFromConversation,
  EvalCaseInput,
  EvalCasePage,
  EvalDataset,
  EvalDatasetCreate,
  EvalDatasetUpdate,
  EvalImportResult,
} from "../api-types/evals";
import type { Page } from "../api-types/page";
import { ApiCalls } from "./calls";
import { type PageParams, segment, withQuery } from "./query";
import type { CallOptions } from "./transport";

const datasetPath = (id: string) => `/api/evals/datasets/${segment(id)}`;

export class EvalDatasetsApi extends ApiCalls {
  /** Newest first; `name` finds the live dataset with exactly that name. */
  list(params: PageParams & { name?: string } = {}, opts?: CallOptions): Promise<Page<EvalDataset>> {
    return this.read<Page<EvalDataset>>("/api/evals/datasets", { ...params }, opts);
  }

  /** The live dataset named `name`, or null. */
  async byName(name: string, opts?: CallOptions): Promise<EvalDataset | null> {
    return (await this.list({ name, limit: 1 }, opts)).data[0] ?? null;
  }

  create(body: EvalDatasetCreate, opts?: CallOptions): Promise<EvalDataset> {
    return this.http.json<EvalDataset>("POST", "/api/evals/datasets", body, opts);
  }

  get(id: string, opts?: CallOptions): Promise<EvalDataset> {
    return this.read<EvalDataset>(datasetPath(id), {}, opts);
  }

  update(id: string, body: EvalDatasetUpdate, opts?: CallOptions): Promise<EvalDataset> {
    return this.http.json<EvalDataset>("PATCH", datasetPath(id), body, opts);
  }

  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.remove(datasetPath(id), opts);
  }

  /** A page of one version's cases (default: the current version). */
  cases(id: string, params: PageParams & { version?: number } = {}, opts?: CallOptions): Promise<EvalCasePage> {
    return this.read<EvalCasePage>(`${datasetPath(id)}/cases`, { ...params }, opts);
  }

  addCases(id: string, cases: EvalCaseInput[], opts?: CallOptions): Promise<EvalCaseChange> {
    return this.http.json<EvalCaseChange>("POST", `${datasetPath(id)}/cases`, { cases }, opts);
  }

  /** Replaces a case (by id or case_key); the edit is a new version. */
  updateCase(id: string, caseId: string, body: EvalCaseInput, opts?: CallOptions): Promise<EvalCaseChange> {
    return this.http.json<EvalCaseChange>("PUT", `${datasetPath(id)}/cases/${segment(caseId)}`, body, opts);
  }

  deleteCase(id: string, caseId: string, opts?: CallOptions): Promise<EvalCaseChange> {
    return this.http.json<EvalCaseChange>("DELETE", `${datasetPath(id)}/cases/${segment(caseId)}`, undefined, opts);
  }

  fromConversation(id: string, body: EvalCaseFromConversation, opts?: CallOptions): Promise<EvalCaseChange> {
    return this.http.json<EvalCaseChange>("POST", `${datasetPath(id)}/cases/from-conversation`, body, opts);
  }

  /** Imports a JSONL text as one new version; a 400 (HiveApiError) lists the bad lines in `details.lines`. */
  import(id: string, jsonl: string, mode: "append" | "replace" = "append", opts?: CallOptions) {
    return this.http.json<EvalImportResult>("POST", withQuery(`${datasetPath(id)}/import`, { mode }), { jsonl }, opts);
  }

  /** One version of the dataset (default: the current one) as JSONL text. */
  async export(id: string, version?: number, opts?: CallOptions): Promise<string> {
    const res = await this.http.stream("GET", withQuery(`${datasetPath(id)}/export`, { version }), undefined, opts);
    return new Response(res.body).text();
  }
}
