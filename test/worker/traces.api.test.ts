// GET /api/traces and /api/traces/:traceId over rows written straight into D1: every list filter,
// cursor paging, a trace's spans in tree order with offsets, the 404 and 400 envelopes; and the
// Cron Trigger's retention purge of old traces with their spans.
import { createScheduledController, env } from "cloudflare:test";
import type { TraceDetail, TracePage } from "@hive/shared/api-types/traces";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { api, createTeam, type ErrorBody, expectStatus, type Team } from "./helpers/harness";
import { insertTrace } from "./helpers/trace-seeds";

let team: Team;
const now = Date.now();
const ids: Record<string, string> = {};

/**
 * The seeded traces all start before `now`; the test's own requests are traced too (after `now`),
 * so every listing is bounded by `to=now` unless the test sets its own window.
 */
const list = async (query: string) => {
  const bounded = query.includes("to=") ? query : `${query}${query ? "&" : "?"}to=${new Date(now).toISOString()}`;
  return expectStatus<TracePage>(200, "GET", `/api/traces${bounded}`, { token: team.admin.token });
};
const listed = async (query: string) => (await list(query)).data.map((t) => t.trace_id);

beforeAll(async () => {
  team = await createTeam();
  const ws = team.workspaceId;
  ids.chat = await insertTrace({
    workspaceId: ws,
    method: "POST",
    route: "/api/agents/:id/chat",
    status: 200,
    durationMs: 950,
    agentId: "agt_a",
    conversationId: "cnv_a",
    startedAt: now - 5_000,
  });
  ids.missing = await insertTrace({
    workspaceId: ws,
    route: "/api/agents/:id",
    status: 404,
    durationMs: 3,
    startedAt: now - 4_000,
  });
  ids.failed = await insertTrace({
    workspaceId: ws,
    method: "POST",
    route: "/api/swarm/runs",
    status: 500,
    durationMs: 40,
    error: true,
    runId: "run_b",
    startedAt: now - 3_000,
  });
  ids.slow = await insertTrace({
    workspaceId: ws,
    route: "/api/agents",
    status: 200,
    durationMs: 2_500,
    agentId: "agt_b",
    startedAt: now - 2_000,
  });
  ids.old = await insertTrace({
    workspaceId: ws,
    route: "/api/agents",
    status: 201,
    durationMs: 8,
    startedAt: now - 3 * 86_400_000,
  });
});

describe("listing traces", () => {
  it("lists the workspace's traces newest first with their summary", async () => {
    const page = await list("");
    expect(page.data.map((t) => t.trace_id)).toEqual([ids.slow, ids.failed, ids.missing, ids.chat, ids.old]);
    expect(page.next_cursor).toBeNull();
    expect(page.data[3]).toMatchObject({
      trace_id: ids.chat,
      workspace_id: team.workspaceId,
      name: "POST /api/agents/:id/chat",
      method: "POST",
      route: "/api/agents/:id/chat",
      status: 200,
      duration_ms: 950,
      error: false,
      agent_id: "agt_a",
      conversation_id: "cnv_a",
      kept_because: "sampled",
      started_at: new Date(now - 5_000).toISOString(),
    });
  });

  it("filters by route, exact status and status class", async () => {
    expect(await listed("?route=/api/agents/:id/chat")).toEqual([ids.chat]);
    expect(await listed("?status=404")).toEqual([ids.missing]);
    expect(await listed("?status=4xx")).toEqual([ids.missing]);
    expect(await listed("?status=5xx")).toEqual([ids.failed]);
    expect(await listed("?status=2xx")).toEqual([ids.slow, ids.chat, ids.old]);
  });

  it("filters by duration, agent, conversation, run and errors only", async () => {
    expect(await listed("?min_duration_ms=900")).toEqual([ids.slow, ids.chat]);
    expect(await listed("?max_duration_ms=10")).toEqual([ids.missing, ids.old]);
    expect(await listed("?min_duration_ms=30&max_duration_ms=1000")).toEqual([ids.failed, ids.chat]);
    expect(await listed("?agent_id=agt_b")).toEqual([ids.slow]);
    expect(await listed("?conversation_id=cnv_a")).toEqual([ids.chat]);
    expect(await listed("?run_id=run_b")).toEqual([ids.failed]);
    expect(await listed("?errors=true")).toEqual([ids.failed]);
  });

  it("filters by start time, from inclusive and to exclusive", async () => {
    const from = new Date(now - 4_000).toISOString();
    const to = new Date(now - 2_000).toISOString();
    expect(await listed(`?from=${from}&to=${to}`)).toEqual([ids.failed, ids.missing]);
    expect(await listed(`?to=${new Date(now - 86_400_000).toISOString()}`)).toEqual([ids.old]);
  });

  it("pages with the cursor, every trace exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let i = 0; i < 5 && cursor !== null; i++) {
      const page: TracePage = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((t) => t.trace_id));
      cursor = page.next_cursor;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual([ids.slow, ids.failed, ids.missing, ids.chat, ids.old]);
  });

  it.each([
    ["status=abc", "status"],
    ["status=6xx", "status"],
    ["status=40", "status"],
    ["min_duration_ms=-1", "min_duration_ms"],
    ["max_duration_ms=fast", "max_duration_ms"],
    ["from=yesterday", "from"],
    ["errors=maybe", "errors"],
    ["limit=0", "limit"],
    ["cursor=not-a-cursor", "cursor"],
  ])("answers ?%s with a 400 envelope naming %s", async (query, field) => {
    const res = await api<ErrorBody>("GET", `/api/traces?${query}`, { token: team.admin.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.request_id).toMatch(/^req_/);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });
});

describe("one trace", () => {
  it("returns the trace with its spans in tree order, offsets from the first span, attributes and events", async () => {
    const started = now - 1_000;
    const traceId = await insertTrace(
      {
        workspaceId: team.workspaceId,
        method: "POST",
        route: "/api/agents/:id/chat",
        durationMs: 120,
        startedAt: started,
      },
      [
        // Written out of order, as segments flush: the tree is rebuilt from parent ids and starts.
        {
          spanId: "c1",
          parentSpanId: "b1",
          name: "chat llama3.1",
          kind: "client",
          offsetMs: 20,
          durationMs: 80,
          attributes: {
            "gen_ai.request.model": "llama3.1",
            "gen_ai.usage.input_tokens": 42,
            "gen_ai.usage.output_tokens": 7,
          },
          events: [{ name: "first_token", time_ms: started + 35, attributes: {} }],
        },
        {
          spanId: "a1",
          name: "POST /api/agents/:id/chat",
          kind: "server",
          offsetMs: 0,
          durationMs: 120,
          attributes: { "http.route": "/api/agents/:id/chat", "http.response.status_code": 200 },
        },
        { spanId: "d1", parentSpanId: "a1", name: "d1 messages.insert", kind: "client", offsetMs: 105, durationMs: 4 },
        { spanId: "b1", parentSpanId: "a1", name: "invoke_agent", offsetMs: 10, durationMs: 95 },
        {
          spanId: "e1",
          parentSpanId: "b1",
          name: "execute_tool http_get",
          offsetMs: 101,
          durationMs: 2,
          status: "error",
          statusMessage: "TimeoutError: upstream timed out",
        },
        { spanId: "z9", parentSpanId: "gone", name: "queue send", kind: "producer", offsetMs: 110, durationMs: 1 },
      ],
    );
    const t = await expectStatus<TraceDetail>(200, "GET", `/api/traces/${traceId}`, { token: team.admin.token });
    expect(t).toMatchObject({ trace_id: traceId, route: "/api/agents/:id/chat", duration_ms: 120, span_count: 6 });
    expect(t.spans.map((s) => [s.span_id, s.depth, s.offset_ms])).toEqual([
      ["a1", 0, 0],
      ["b1", 1, 10],
      ["c1", 2, 20],
      ["e1", 2, 101],
      ["d1", 1, 105],
      // Its parent was never kept: shown as a root, not lost.
      ["z9", 0, 110],
    ]);
    const chat = t.spans.find((s) => s.span_id === "c1");
    expect(chat).toMatchObject({
      kind: "client",
      duration_ms: 80,
      attributes: { "gen_ai.request.model": "llama3.1", "gen_ai.usage.input_tokens": 42 },
      events: [{ name: "first_token", offset_ms: 35, attributes: {} }],
    });
    expect(t.spans.find((s) => s.span_id === "e1")).toMatchObject({
      status: "error",
      status_message: "TimeoutError: upstream timed out",
    });
  });

  it("shows spans caught in a parent cycle as roots instead of losing them, and a trace without spans", async () => {
    const traceId = await insertTrace({ workspaceId: team.workspaceId, startedAt: now - 500 }, [
      { spanId: "p", parentSpanId: "q", name: "first", offsetMs: 1, durationMs: 1 },
      { spanId: "q", parentSpanId: "p", name: "second", offsetMs: 2, durationMs: 1 },
      { spanId: "self", parentSpanId: "self", name: "own parent", offsetMs: 0, durationMs: 1 },
    ]);
    const t = await expectStatus<TraceDetail>(200, "GET", `/api/traces/${traceId}`, { token: team.admin.token });
    expect(t.spans.map((s) => [s.span_id, s.depth])).toEqual([
      ["self", 0],
      ["p", 0],
      ["q", 1],
    ]);
    const bare = await insertTrace({ workspaceId: team.workspaceId, startedAt: now - 400 });
    const empty = await expectStatus<TraceDetail>(200, "GET", `/api/traces/${bare}`, { token: team.admin.token });
    expect(empty.spans).toEqual([]);
  });

  it("answers an unknown trace id with the 404 envelope", async () => {
    const res = await api<ErrorBody>("GET", "/api/traces/0123456789abcdef0123456789abcdef", {
      token: team.admin.token,
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", message: "Trace not found" });
  });
});

describe("retention", () => {
  it("purges traces older than TRACE_RETENTION_DAYS with their spans, in batches, on the Cron Trigger", async () => {
    const ws = team.workspaceId;
    const day = 86_400_000;
    const at = now + 5 * day;
    const kept = await insertTrace({ workspaceId: ws, startedAt: at - day }, [
      { spanId: "k1", name: "GET", offsetMs: 0, durationMs: 1 },
    ]);
    const expired = await insertTrace({ workspaceId: null, startedAt: at - 8 * day }, [
      { spanId: "x1", name: "GET /health", offsetMs: 0, durationMs: 1 },
      { spanId: "x2", parentSpanId: "x1", name: "d1", offsetMs: 0, durationMs: 1 },
    ]);
    // More than one batch's worth of expired traces.
    for (let i = 0; i < 3; i++)
      await env.DB.batch(
        Array.from({ length: 150 }, (_, j) =>
          env.DB.prepare(
            "INSERT INTO traces (trace_id, workspace_id, name, duration_ms, kept_because, started_at) VALUES (?1, ?2, 'GET', 1, 'sampled', ?3)",
          ).bind(`bulk-${i}-${j}`, ws, at - 10 * day - i * 1000 - j),
        ),
      );
    const count = async (sql: string, ...args: unknown[]) =>
      (
        await env.DB.prepare(sql)
          .bind(...args)
          .first<{ n: number }>()
      )?.n;

    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "0 * * * *" }), env);

    expect(await count("SELECT count(*) AS n FROM traces WHERE trace_id LIKE 'bulk-%'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM traces WHERE trace_id = ?1", expired)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM trace_spans WHERE trace_id = ?1", expired)).toBe(0);
    // Within the window (the default 7 days): kept with its spans; so are the traces of `now`.
    expect(await count("SELECT count(*) AS n FROM trace_spans WHERE trace_id = ?1", kept)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM traces WHERE trace_id = ?1", ids.chat)).toBe(1);
    const later = new Date(at + 86_400_000).toISOString();
    expect((await list(`?to=${later}`)).data.map((t) => t.trace_id)).toContain(kept);
  });
});
