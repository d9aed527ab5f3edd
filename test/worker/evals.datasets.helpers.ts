// Shared steps for the evaluation dataset tests: datasets, cases and JSONL through the public API.
import { SELF } from "cloudflare:test";
import type {
  EvalCaseChange,
  EvalCaseInput,
  EvalCasePage,
  EvalDataset,
  EvalImportResult,
} from "@hive/shared/api-types/evals";
import { BASE, expectStatus } from "./helpers/harness";

let counter = 0;

export const createDataset = (token: string, name = `Set ${++counter}`, description?: string) =>
  expectStatus<EvalDataset>(201, "POST", "/api/evals/datasets", {
    token,
    body: { name, ...(description === undefined ? {} : { description }) },
  });

export const addCases = (token: string, datasetId: string, cases: EvalCaseInput[]) =>
  expectStatus<EvalCaseChange>(201, "POST", `/api/evals/datasets/${datasetId}/cases`, { token, body: { cases } });

export const casesAt = (token: string, datasetId: string, version?: number) =>
  expectStatus<EvalCasePage>(
    200,
    "GET",
    `/api/evals/datasets/${datasetId}/cases?limit=100${version === undefined ? "" : `&version=${version}`}`,
    { token },
  );

/** Sends a JSONL file as a script would (application/x-ndjson). */
export const importRequest = (token: string, datasetId: string, jsonl: string, mode?: "append" | "replace") =>
  SELF.fetch(`${BASE}/api/evals/datasets/${datasetId}/import${mode ? `?mode=${mode}` : ""}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-ndjson" },
    body: jsonl,
  });

export async function importJsonl(
  token: string,
  datasetId: string,
  jsonl: string,
  mode?: "append" | "replace",
): Promise<EvalImportResult> {
  const res = await importRequest(token, datasetId, jsonl, mode);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`import: ${res.status} ${body}`);
  return JSON.parse(body) as EvalImportResult;
}

export async function exportJsonl(token: string, datasetId: string, version?: number) {
  const res = await SELF.fetch(
    `${BASE}/api/evals/datasets/${datasetId}/export${version === undefined ? "" : `?version=${version}`}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  return { status: res.status, headers: res.headers, text: await res.text() };
}
