// A stand-in for the Worker's evaluation dataset routes (worker/evals), typed by the API's own
// types: datasets by name (409 on a clash), each import one new version kept whole so any past
// version can be read or exported, and a file with bad lines refused with the 400 envelope that
// names them. It checks the CLI; the Worker's tests check the real routes.
import type { EvalCase, EvalCaseInput, EvalDataset, EvalImportLineError } from "@hive/shared/api-types";
import { readObject, sendError, sendJson } from "./fake-http";
import { listenLocal } from "./local-server";

export const EVAL_KEY = "lh_evals_0123456789abcdef";

interface Stored {
  dataset: EvalDataset;
  /** The cases of each version, index 0 = version 1. */
  versions: EvalCase[][];
}

export interface FakeEvalDatasetsApi {
  url: string;
  datasets: Stored[];
  requests: string[];
  close(): Promise<void>;
}

function parseLines(jsonl: string): { cases: EvalCaseInput[]; errors: EvalImportLineError[] } {
  const cases: EvalCaseInput[] = [];
  const errors: EvalImportLineError[] = [];
  jsonl.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as EvalCaseInput;
      if (typeof value.input !== "object" || value.input === null) {
        errors.push({ line: i + 1, path: "input", message: "Invalid input" });
      } else cases.push(value);
    } catch {
      errors.push({ line: i + 1, path: "", message: "not JSON" });
    }
  });
  return { cases, errors };
}

export async function startFakeEvalDatasetsApi(): Promise<FakeEvalDatasetsApi> {
  const datasets: Stored[] = [];
  const requests: string[] = [];
  const find = (id: string) => datasets.find((d) => d.dataset.id === id);
  const server = await listenLocal(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${EVAL_KEY}`) return sendError(res, 401, "UNAUTHENTICATED", "no");
    const path = url.pathname.split("/").slice(1);
    if (url.pathname === "/api/evals/datasets" && req.method === "GET") {
      const name = url.searchParams.get("name");
      const data = datasets.map((d) => d.dataset).filter((d) => name === null || d.name === name);
      return sendJson(res, 200, { data, next_cursor: null });
    }
    if (url.pathname === "/api/evals/datasets" && req.method === "POST") {
      const body = await readObject(req);
      const name = String(body.name);
      if (datasets.some((d) => d.dataset.name === name)) return sendError(res, 409, "CONFLICT", "name taken");
      const dataset: EvalDataset = {
        id: `eds_${datasets.length + 1}`,
        name,
        description: typeof body.description === "string" ? body.description : "",
        version: 1,
        case_count: 0,
        created_by: "usr_ada",
        created_at: 1_767_268_800_000,
        updated_at: 1_767_268_800_000,
      };
      datasets.push({ dataset, versions: [[]] });
      return sendJson(res, 201, dataset);
    }
    const stored = find(path[3] ?? "");
    if (!stored) return sendError(res, 404, "NOT_FOUND", "Dataset not found");
    const at = (v: string | null) => stored.versions[(v === null ? stored.dataset.version : Number(v)) - 1];
    const sub = path[4];
    if (sub === undefined && req.method === "GET") return sendJson(res, 200, stored.dataset);
    if (sub === undefined && req.method === "DELETE") {
      datasets.splice(datasets.indexOf(stored), 1);
      return sendJson(res, 204);
    }
    if (sub === "cases" && req.method === "GET") {
      const cases = at(url.searchParams.get("version"));
      if (!cases) return sendError(res, 404, "NOT_FOUND", "Version not found");
      return sendJson(res, 200, { data: cases, next_cursor: null, version: stored.dataset.version });
    }
    if (sub === "export" && req.method === "GET") {
      const cases = at(url.searchParams.get("version"));
      if (!cases) return sendError(res, 404, "NOT_FOUND", "Version not found");
      const text = cases
        .map(({ id: _i, case_key: _k, position: _p, added_in: _a, ...body }) => `${JSON.stringify(body)}\n`)
        .join("");
      res.writeHead(200, { "Content-Type": "application/x-ndjson" });
      return res.end(text);
    }
    if (sub === "import" && req.method === "POST") {
      const { cases, errors } = parseLines(String((await readObject(req)).jsonl ?? ""));
      if (errors.length) return sendError(res, 400, "VALIDATION_ERROR", "bad lines; nothing stored", { lines: errors });
      const replace = url.searchParams.get("mode") === "replace";
      const before = at(null) ?? [];
      const version = stored.dataset.version + 1;
      const added = cases.map(
        (c, i): EvalCase => ({
          ...c,
          id: `ecs_${version}_${i}`,
          case_key: `ecs_${version}_${i}`,
          position: i,
          added_in: version,
        }),
      );
      stored.versions.push(replace ? added : [...before, ...added]);
      stored.dataset = { ...stored.dataset, version, case_count: (replace ? 0 : before.length) + added.length };
      return sendJson(res, 200, {
        dataset: stored.dataset,
        mode: replace ? "replace" : "append",
        added: added.length,
        removed: replace ? before.length : 0,
      });
    }
    return sendError(res, 404, "NOT_FOUND", "no such route");
  });
  return { url: server.url, datasets, requests, close: server.close };
}
