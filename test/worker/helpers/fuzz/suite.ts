// The fuzz campaign as the workerd test suite runs it: the fixture and the OpenAPI document
// through SELF.fetch, a fixed seed, and the assertions every fuzz test file makes.
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { ADMIN, BASE, DASHBOARD_ORIGIN } from "../harness";
import type { Fetcher } from "./fixture";
import { describeProblem, prepareCampaign } from "./run";

const fetcher: Fetcher = (path, init) => SELF.fetch(`${BASE}${path}`, init);

export async function fuzzAndCheck(seed: number, count: number): Promise<void> {
  const run = await prepareCampaign(fetcher, ADMIN, DASHBOARD_ORIGIN);
  const report = await run({ seed, count, concurrency: 4 });

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
