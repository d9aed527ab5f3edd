// hive usage against a stand-in for GET /api/usage typed by the API's own types: the window and
// grouping it asks for, the table with its totals row and the budget line, --json, and the
// API's refusals (a member asking for usage by user) as errors on stderr.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import type { UsageGroup, UsageReport } from "@hive/shared/api-types";
import { sendError, sendJson } from "./helpers/fake-http";
import { runHiveWithKey } from "./helpers/run-hive";

const ADMIN = "eyJ.admin-token";
const MEMBER = "eyJ.member-token";
const amounts = (calls: number, input: number, output: number, cost: number) => ({
  calls,
  input_tokens: input,
  output_tokens: output,
  cost_usd: cost,
  neurons: 0,
});
const GROUPS: Record<string, UsageGroup[]> = {
  agent: [
    { key: "agt_alpha", label: "Alpha", ...amounts(2, 3_000, 1_500, 1.25) },
    { key: "", label: "No agent (raw model calls)", ...amounts(1, 100, 50, 0.0002) },
  ],
  model: [{ key: "ollama:llama3", label: "ollama:llama3", priced: false, ...amounts(3, 3_100, 1_550, 0) }],
  day: [{ key: "2026-12-01", label: "2026-12-01", ...amounts(3, 3_100, 1_550, 1.2502) }],
  user: [{ key: "usr_ada", label: "Ada", ...amounts(3, 3_100, 1_550, 1.2502) }],
};

describe("hive usage", () => {
  let server: Server;
  let url = "";
  const queries: URLSearchParams[] = [];
  const hive = (args: string[], credential = ADMIN) => runHiveWithKey(url, credential, ["usage", ...args]);

  before(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      const auth = req.headers.authorization;
      if (u.pathname !== "/api/usage") return sendError(res, 404, "NOT_FOUND", "no such route");
      if (auth !== `Bearer ${ADMIN}` && auth !== `Bearer ${MEMBER}`)
        return sendError(res, 401, "UNAUTHENTICATED", "sign in");
      queries.push(u.searchParams);
      const by = u.searchParams.get("group_by") ?? "agent";
      if (by === "user" && auth !== `Bearer ${ADMIN}`)
        return sendError(res, 403, "FORBIDDEN", "Only workspace admins may see usage by user");
      const report: UsageReport = {
        from: u.searchParams.get("from") ?? "2026-12-01T00:00:00.000Z",
        to: "2026-12-06T12:00:00.000Z",
        group_by: by as UsageReport["group_by"],
        totals: amounts(3, 3_100, 1_550, 1.2502),
        groups: GROUPS[by] ?? [],
        budget: { monthly_usd: 10, spent_usd: 8.5, warn_ratio: 0.8, warned: true, exceeded: false },
      };
      sendJson(res, 200, report);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    queries.length = 0;
  });

  test("by agent (the default): a row per agent, a totals row and the budget", async () => {
    const run = await hive([]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(queries[0]?.get("group_by"), "agent");
    assert.equal(queries[0]?.has("from"), false);
    assert.match(run.stdout, /^AGENT\s+CALLS\s+INPUT\s+OUTPUT\s+COST$/m);
    assert.match(run.stdout, /^Alpha \(agt_alpha\)\s+2\s+3,000\s+1,500\s+\$1\.25$/m);
    assert.match(run.stdout, /^No agent \(raw model calls\)\s+1\s+100\s+50\s+\$0\.000200$/m);
    assert.match(run.stdout, /^TOTAL\s+3\s+3,100\s+1,550\s+\$1\.25$/m);
    assert.match(run.stdout, /^Budget: \$8\.50 of \$10\.00 this month \(85%\), warning at 80%; warning raised$/m);
  });

  test("--since 7d asks for the last seven days; --by model marks unpriced models", async () => {
    const before = Date.now();
    const run = await hive(["--by", "model", "--since", "7d"]);
    assert.equal(run.code, 0, run.stderr);
    const from = Date.parse(queries[0]?.get("from") ?? "");
    assert.ok(Math.abs(before - 7 * 86_400_000 - from) < 60_000, `from=${queries[0]?.get("from")}`);
    assert.equal(queries[0]?.get("group_by"), "model");
    assert.match(run.stdout, /^ollama:llama3\s+3\s+3,100\s+1,550\s+\$0\.00\s+unpriced$/m);
  });

  test("--json prints the API's report", async () => {
    const run = await hive(["--by", "day", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout) as UsageReport;
    assert.equal(body.group_by, "day");
    assert.equal(body.groups[0]?.key, "2026-12-01");
  });

  test("bad options and the API's refusals are errors", async () => {
    const bad = await hive(["--by", "team"]);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--by must be one of agent, model, day, user/);
    const since = await hive(["--since", "last week"]);
    assert.equal(since.code, 64);
    const refused = await hive(["--by", "user"], MEMBER);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Only workspace admins may see usage by user/);
  });
});
