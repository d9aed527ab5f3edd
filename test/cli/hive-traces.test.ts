// hive traces list / show against a stand-in for GET /api/traces[/:id] typed by the API's own types:
// the query the CLI sends for each flag, the table, the text waterfall (indentation, offsets,
// durations, bars, ERROR in words), --json, and the 404 and 403 envelopes as CLI errors.
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, before, beforeEach, describe, test } from "node:test";
import { SAMPLE_TRACE, SAMPLE_TRACE_ID } from "../fixtures/trace-detail";
import { sendError, sendJson } from "./helpers/fake-http";
import { type LocalServer, listenLocal } from "./helpers/local-server";
import { runHiveWithKey } from "./helpers/run-hive";

const TOKEN = "eyJ.reader-access-token";
const USER_TOKEN = "eyJ.plain-user-token";
const TRACE_ID = SAMPLE_TRACE_ID;

const detail = SAMPLE_TRACE;
const { spans: _spans, ...summary } = detail;

describe("hive traces", () => {
  let server: LocalServer;
  const queries: URLSearchParams[] = [];
  const hive = (args: string[], credential = TOKEN) => runHiveWithKey(server.url, credential, ["traces", ...args]);

  before(async () => {
    server = await listenLocal((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://fake");
      if (req.headers.authorization === `Bearer ${USER_TOKEN}`)
        return sendError(res, 403, "FORBIDDEN", "Your role in this workspace does not allow this");
      if (url.pathname === "/api/traces") {
        queries.push(url.searchParams);
        const data = url.searchParams.get("route") === "/nothing" ? [] : [summary];
        return sendJson(res, 200, { data, next_cursor: null });
      }
      if (url.pathname === `/api/traces/${TRACE_ID}`) return sendJson(res, 200, detail);
      if (url.pathname.startsWith("/api/traces/")) return sendError(res, 404, "NOT_FOUND", "Trace not found");
      return sendError(res, 404, "NOT_FOUND", "No such route");
    });
  });
  after(() => server.close());
  beforeEach(() => {
    queries.length = 0;
  });

  test("list: sends each flag as the API's filter and prints a table", async () => {
    const before = Date.now();
    const run = await hive([
      "list",
      "--route",
      "/api/agents/:id/chat",
      "--errors",
      "--since",
      "1h",
      "--agent",
      "agt_helper",
      "--status",
      "5xx",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const q = queries[0];
    assert.ok(q);
    assert.equal(q.get("route"), "/api/agents/:id/chat");
    assert.equal(q.get("errors"), "true");
    assert.equal(q.get("agent_id"), "agt_helper");
    assert.equal(q.get("status"), "5xx");
    const from = Date.parse(q.get("from") ?? "");
    assert.ok(Math.abs(before - 3_600_000 - from) < 60_000, `from ${q.get("from")}`);
    assert.match(run.stdout, /^STARTED\s+TRACE\s+NAME\s+STATUS\s+DURATION\s+SPANS\s+FLAGS$/m);
    assert.match(
      run.stdout,
      new RegExp(
        `^2026-01-01 12:00Z\\s+${TRACE_ID}\\s+POST /api/agents/:id/chat\\s+500\\s+200\\.0 ms\\s+4\\s+error,degraded$`,
        "m",
      ),
    );
  });

  test("list: without flags asks for the newest page only; an empty answer says so", async () => {
    const run = await hive(["list", "--route", "/nothing"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(queries[0]?.get("errors"), null);
    assert.equal(queries[0]?.get("from"), null);
    assert.match(run.stdout, /^No traces match\./m);
  });

  test("list: a bad --status or --since is a usage error before any request", async () => {
    const status = await hive(["list", "--status", "teapot"]);
    assert.equal(status.code, 64);
    assert.match(status.stderr, /--status must be an HTTP status/);
    const since = await hive(["list", "--since", "last tuesday"]);
    assert.equal(since.code, 64);
    assert.equal(queries.length, 0);
  });

  test("show: facts, then a waterfall indented by depth with offsets, durations, bars and ERROR in words", async () => {
    const run = await hive(["show", TRACE_ID]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^trace\\s+${TRACE_ID}$`, "m"));
    assert.match(run.stdout, /^kept\s+error$/m);
    assert.match(run.stdout, /^conversation\s+cnv_1$/m);
    const lines = run.stdout.split("\n");
    const row = (name: string) => lines.find((l) => l.startsWith(name)) ?? "";
    // The root fills the axis; the children sit where they start, nested by indentation.
    assert.match(row("POST /api/agents"), /\s0\.0 ms\s+200\.0 ms\s+\|#{40}\|$/);
    assert.match(row("  invoke_agent"), /\s50\.0 ms\s+100\.0 ms\s+\| {10}#{20} {10}\|$/);
    assert.match(row("    chat llama3.1"), /\s60\.0 ms\s+80\.0 ms\s+\| {12}#{16} {12}\| 42\/7 tok$/);
    assert.match(
      row("  d1 messages.insert"),
      /\s190\.0 ms\s+10\.0 ms\s+\| {38}#{2}\| ERROR: D1_ERROR: database is locked$/,
    );
  });

  test("show --json prints the API's trace; an unknown id and a refused role are errors with the API's message", async () => {
    const json = await hive(["show", TRACE_ID, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), detail);

    const missing = await hive(["show", "ffffffffffffffffffffffffffffffff"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Trace not found/);

    const refused = await hive(["list"], USER_TOKEN);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /does not allow/);

    const usage = await hive(["show"]);
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /usage: hive traces show <trace id>/);
  });
});
