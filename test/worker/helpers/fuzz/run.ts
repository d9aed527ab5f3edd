// Runs a seeded fuzz campaign: builds every request from the seed first (so the set is the
// same however many are in flight), sends them a few at a time, and counts the answers by
// status and route, keeping every answer that breaks the rules in verdict.ts.
import { PERMISSIONS } from "../../../../worker/core/permissions";
import { type Account, buildFuzzContext, type Fetcher } from "./fixture";
import { Random } from "./random";
import {
  type FuzzContext,
  type FuzzRequest,
  nextRequest,
  type OpenApiDocument,
  operationsOf,
  resolverFor,
} from "./requests";
import { problemWith } from "./verdict";

export interface FuzzProblem {
  request: FuzzRequest;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzReport {
  total: number;
  byStatus: Record<number, number>;
  /** "GET /api/agents/{id}" → status → count. */
  byRoute: Record<string, Record<number, number>>;
  /** principal → number of 2xx answers. */
  successesBy: Record<string, number>;
  problems: FuzzProblem[];
}

export interface FuzzOptions {
  seed: number;
  count: number;
  fetcher: Fetcher;
  context: FuzzContext;
  doc: OpenApiDocument;
  /** Routes from the permission table, for those the document does not describe. */
  tableRoutes: readonly string[];
  concurrency?: number;
  /** An answer (streams included) must be complete within this long. */
  timeoutMs?: number;
}

export function fuzzRequests(
  seed: number,
  count: number,
  context: FuzzContext,
  doc: OpenApiDocument,
  tableRoutes: readonly string[],
): FuzzRequest[] {
  const r = new Random(seed);
  const ops = operationsOf(doc, tableRoutes);
  const resolve = resolverFor(doc);
  return Array.from({ length: count }, () => nextRequest(r, ops, context, resolve));
}

/** The answer's status, type and text, or "timeout" when it has not fully arrived by the deadline. */
async function send(
  fetcher: Fetcher,
  req: FuzzRequest,
  timeoutMs: number,
): Promise<{ status: number; type: string; text: string } | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const answer = (async () => {
    const res = await fetcher(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      redirect: "manual",
    });
    return { status: res.status, type: res.headers.get("Content-Type") ?? "", text: await res.text() };
  })();
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const requests = fuzzRequests(opts.seed, opts.count, opts.context, opts.doc, opts.tableRoutes);
  const report: FuzzReport = { total: 0, byStatus: {}, byRoute: {}, successesBy: {}, problems: [] };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const req = requests[i] as FuzzRequest;
      const res = await send(opts.fetcher, req, opts.timeoutMs ?? 30_000);
      report.total++;
      if (res === "timeout") {
        report.problems.push({ request: req, status: 0, problem: "no complete answer in time", body: "" });
        continue;
      }
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      const route = (report.byRoute[req.route] ??= {});
      route[res.status] = (route[res.status] ?? 0) + 1;
      if (res.status < 300) report.successesBy[req.principal] = (report.successesBy[req.principal] ?? 0) + 1;
      const problem = problemWith(req, res.status, res.type, res.text);
      if (problem) report.problems.push({ request: req, status: res.status, problem, body: res.text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return report;
}

/**
 * Readies a campaign over `fetcher` (SELF.fetch in the test suite, a real `wrangler dev` in
 * bench/fuzz.ts): reads the OpenAPI document and builds the fixture once, and returns what runs
 * the permission table's routes for a seed.
 */
export async function prepareCampaign(
  fetcher: Fetcher,
  platformAdmin: Account,
  origin: string,
): Promise<(run: { seed: number; count: number; concurrency: number }) => Promise<FuzzReport>> {
  const doc = (await (await fetcher("/api/openapi.json", {})).json()) as OpenApiDocument;
  const context = await buildFuzzContext(fetcher, platformAdmin, origin);
  return (run) => runFuzz({ ...run, fetcher, context, doc, tableRoutes: Object.keys(PERMISSIONS) });
}

/** A problem as one readable line, with enough of the request to replay it. */
export function describeProblem(p: FuzzProblem): string {
  const r = p.request;
  const body =
    r.body === undefined
      ? ""
      : typeof r.body === "string"
        ? ` body=${JSON.stringify(r.body.slice(0, 120))}`
        : ` body=<${r.body.length} bytes>`;
  return `${p.problem}: ${r.method} ${r.url.slice(0, 200)} as ${r.principal} [${r.headers["Content-Type"] ?? "-"}]${body} → ${p.status} ${p.body.slice(0, 200)}`;
}
