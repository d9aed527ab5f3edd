// The fuzz campaign as the workerd test suite runs it: the fixture and the OpenAPI document
// through SELF.fetch, a fixed seed, and the assertions every fuzz test file makes.
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { PERMISSIONS } from "../../../../worker/core/permissions";
import { ADMIN, BASE, DASHBOARD_ORIGIN } from "../harness";
import { buildFuzzContext, type Fetcher } from "./fixture";
import type { OpenApiDocument } from "./requests";
import { describeProblem, runFuzz } from "./run";

const fetcher: Fetcher = (path, init) => SELF.fetch(`${BASE}${path}`, init);

export async function fuzzAndCheck(seed: number, count: number): Promise<void> {
  const doc = await (await fetcher("/api/openapi.json", {})).json<OpenApiDocument>();
  const context = await buildFuzzContext(fetcher, ADMIN, DASHBOARD_ORIGIN);
  const report = await runFuzz({
    seed,
    count,
    fetcher,
    context,
    doc,
    tableRoutes: Object.keys(PERMISSIONS),
    concurrency: 4,
  });

  expect(report.problems.map(describeProblem)).toEqual([]);
  expect(report.total).toBe(count);
  // The run reached the handlers, not only the authentication and validation in front of them.
  const successes = Object.entries(report.byRoute).filter(([, byStatus]) =>
    Object.keys(byStatus).some((s) => Number(s) < 300),
  );
  expect(successes.length).toBeGreaterThanOrEqual(15);
  for (const who of ["member", "admin", "apiKey", "cookie", "platformAdmin"])
    expect(report.successesBy[who] ?? 0, who).toBeGreaterThan(0);
  expect(report.byStatus[400] ?? 0).toBeGreaterThan(0);
  expect(report.byStatus[401] ?? 0).toBeGreaterThan(0);
}
