// JSONL in and out of a dataset: `POST …/import` takes a file (taken whole, or refused with every
// bad line named) as one new version, appended to the cases or replacing them; `GET …/export`
// downloads one version. Scripts send the file as application/x-ndjson or text/plain; the
// dashboard, whose cookie requests must be JSON (auth/csrf.ts), wraps it as `{ "jsonl": "..." }`.
import { createRoute, z } from "@hono/zod-openapi";
import { isNull } from "drizzle-orm";
import { evalCases } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { setRouteBodyLimit } from "../core/middleware";
import { commonErrors, ErrorSchema, inQuery, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { attachmentDisposition } from "../knowledge/originals";
import { parseJsonl, toJsonl } from "./cases-jsonl";
import { changeCases, datasetOf } from "./cases-routes";
import { MAX_IMPORT_BYTES, VersionQuery } from "./cases-schemas";
import { allCases, versionOf } from "./cases-store";
import { tags } from "./datasets-routes";
import { DatasetIdParam, EvalImportResult, ImportMode } from "./datasets-schemas";
import { datasetWithCount } from "./datasets-store";

const JsonlText = z.string().openapi({ description: "One EvalCaseInput (JSON) per line; see docs/evals.md" });
const WrappedJsonl = z.object({ jsonl: z.string() }).strict().openapi("EvalImportJson");
const NDJSON = /^(application\/(x-)?ndjson|application\/jsonl|text\/plain)\s*(;|$)/i;

export function registerCaseFileRoutes(app: Router) {
  // Room for the JSON wrapping of the largest file (escaped quotes and newlines).
  setRouteBodyLimit("POST /api/evals/datasets/:id/import", () => MAX_IMPORT_BYTES + MAX_IMPORT_BYTES / 4);

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/evals/datasets/{id}/import",
      tags,
      security: SIGNED_IN_SECURITY,
      summary:
        "Import cases from JSONL as one new version: `mode=append` (default) adds them after the current cases, `mode=replace` makes them the only cases. Nothing is stored if any line is bad; the 400 lists every bad line",
      request: {
        params: DatasetIdParam,
        query: z.object({ mode: ImportMode.default("append").openapi(inQuery("mode")) }),
        body: {
          content: {
            "application/x-ndjson": { schema: JsonlText },
            "text/plain": { schema: JsonlText },
            "application/json": { schema: WrappedJsonl },
          },
          required: false,
        },
      },
      responses: {
        200: jsonResponse(EvalImportResult, "The dataset at its new version and what changed"),
        409: jsonResponse(ErrorSchema, "The dataset changed at the same time; reload and retry"),
        413: jsonResponse(ErrorSchema, `More than ${MAX_IMPORT_BYTES} bytes or too many cases`),
        415: jsonResponse(ErrorSchema, "Not JSONL (nor JSON with a `jsonl` string)"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { mode } = c.req.valid("query");
      // Only a JSON body is parsed by the route (the `jsonl` wrapper); JSONL is read here as text.
      const wrapped = c.req.valid("json");
      const type = c.req.header("Content-Type") ?? "";
      let text: string;
      if (typeof wrapped === "object" && wrapped !== null && "jsonl" in wrapped) text = wrapped.jsonl;
      else if (NDJSON.test(type)) text = await c.req.text();
      else {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the file as application/x-ndjson or text/plain", {
          details: { accepted: ["application/x-ndjson", "text/plain", "application/json"] },
        });
      }
      if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
        throw new ApiError("PAYLOAD_TOO_LARGE", `An import may hold at most ${MAX_IMPORT_BYTES} bytes`, {
          details: { limit_bytes: MAX_IMPORT_BYTES },
        });
      }
      const dataset = await datasetOf(c, c.req.valid("param").id);
      const cases = parseJsonl(text);
      const removed = mode === "replace" ? (await datasetWithCount(c.var.services.db, dataset)).case_count : 0;
      const change = {
        kind: "import" as const,
        ...(mode === "replace" ? { remove: isNull(evalCases.removedIn) } : {}),
        add: cases.map((body) => ({ body })),
      };
      const result = await changeCases(c, dataset, "eval_dataset.import", change, { mode, removed });
      return c.json({ dataset: result.dataset, mode, added: cases.length, removed }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/evals/datasets/{id}/export",
      tags,
      security: SIGNED_IN_SECURITY,
      summary: "Download one version of the dataset (default: the current one) as JSONL, one case per line",
      request: { params: DatasetIdParam, query: VersionQuery },
      responses: {
        200: {
          description: "The cases as an attachment, sent as application/x-ndjson (text/plain is the same text)",
          content: { "application/x-ndjson": { schema: JsonlText }, "text/plain": { schema: JsonlText } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const dataset = await datasetOf(c, c.req.valid("param").id);
      const version = versionOf(dataset, c.req.valid("query").version);
      const rows = await allCases(c.var.services.db, dataset, version);
      return c.text(toJsonl(rows.map((r) => r.body)), 200, {
        "Content-Type": "application/x-ndjson; charset=utf-8",
        "Content-Disposition": attachmentDisposition(`${dataset.name}-v${version}.jsonl`),
        "Cache-Control": "private, no-cache",
      });
    },
  );
}
