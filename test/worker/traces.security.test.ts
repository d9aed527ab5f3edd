// Who reads traces: members of the trace's workspace with audit rights (admins, read-only
// reviewers, keys with audit:read), never another tenant (its trace ids answer 404 like unknown
// ones), and traces outside any workspace only platform admins, whose reads are audited.
import { env } from "cloudflare:test";
import type { TraceDetail, TracePage } from "@hive/shared/api-types/traces";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, apiKey, createTeam, type ErrorBody, expectStatus, type Team } from "./helpers/harness";
import { insertTrace } from "./helpers/trace-seeds";

let team: Team;
let other: Team;
let mine: string;
let theirs: string;
let outside: string;

beforeAll(async () => {
  [team, other] = await Promise.all([createTeam(), createTeam()]);
  mine = await insertTrace({ workspaceId: team.workspaceId }, [
    { spanId: "s1", name: "GET /api/agents", offsetMs: 0, durationMs: 2 },
  ]);
  theirs = await insertTrace({ workspaceId: other.workspaceId, route: "/api/agents/:id/chat" }, [
    { spanId: "s1", name: "chat", offsetMs: 0, durationMs: 2, attributes: { "gen_ai.request.model": "secret-model" } },
  ]);
  outside = await insertTrace({ workspaceId: null, route: "/api/auth/token", method: "POST", status: 401 });
});

/**
 * The seeded traces a caller lists (the test's own requests are traced too, in each team's
 * workspace: only the three seeded traces say anything about who sees what).
 */
const listed = async (token: string, query = "") =>
  (await expectStatus<TracePage>(200, "GET", `/api/traces${query}`, { token })).data
    .map((t) => t.trace_id)
    .filter((id) => [mine, theirs, outside].includes(id));

describe("tenancy", () => {
  it("lists only the caller's workspace's traces, never another tenant's or those outside any workspace", async () => {
    expect(await listed(team.admin.token)).toEqual([mine]);
    expect(await listed(other.admin.token)).toEqual([theirs]);
    // Filters cannot widen the scope.
    expect(await listed(team.admin.token, "?route=/api/agents/:id/chat")).toEqual([]);
    expect(await listed(team.admin.token, "?status=4xx")).toEqual([]);
  });

  it("answers another tenant's trace id with the same 404 as an unknown one", async () => {
    const res = await api<ErrorBody>("GET", `/api/traces/${theirs}`, { token: team.admin.token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
    expect(JSON.stringify(res.body)).not.toContain("secret-model");
    const unknown = await api<ErrorBody>("GET", "/api/traces/ffffffffffffffffffffffffffffffff", {
      token: team.admin.token,
    });
    expect(unknown.body.error.message).toBe(res.body.error.message);
  });

  it("shows traces outside any workspace to platform admins only, and audits their reads", async () => {
    expect((await api("GET", `/api/traces/${outside}`, { token: team.admin.token })).status).toBe(404);
    const denied = await api<ErrorBody>("GET", "/api/traces?all=true", { token: team.admin.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("FORBIDDEN");

    const platform = await adminToken();
    const all = await listed(platform, "?all=true&limit=100");
    expect(all).toEqual(expect.arrayContaining([mine, theirs, outside]));
    expect(await listed(platform)).not.toContain(outside);
    const detail = await expectStatus<TraceDetail>(200, "GET", `/api/traces/${outside}`, { token: platform });
    expect(detail).toMatchObject({ trace_id: outside, workspace_id: null, route: "/api/auth/token", status: 401 });

    const row = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_logs WHERE action = 'admin.trace_read' AND target_id = ?1",
    )
      .bind(outside)
      .first<{ n: number }>();
    expect(row?.n).toBe(1);
  });
});

describe("permission", () => {
  it("lets workspace admins and read-only reviewers read traces, not plain users (as the audit trail)", async () => {
    expect(await listed(team.readOnly.token)).toEqual([mine]);
    await expectStatus(200, "GET", `/api/traces/${mine}`, { token: team.readOnly.token });
    for (const path of ["/api/traces", `/api/traces/${mine}`]) {
      const res = await api<ErrorBody>("GET", path, { token: team.user.token });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
  });

  it("lets API keys with audit:read read traces, and refuses keys without it", async () => {
    const reader = await apiKey(team.admin.token, ["audit:read"]);
    const chat = await apiKey(team.admin.token, ["chat", "agents:read"]);
    expect(await listed(reader.key)).toEqual([mine]);
    expect((await api("GET", `/api/traces/${mine}`, { token: chat.key })).status).toBe(403);
    expect((await api("GET", "/api/traces", { token: chat.key })).status).toBe(403);
  });

  it("refuses anonymous callers with 401 and has no route that changes traces", async () => {
    expect((await api("GET", "/api/traces")).status).toBe(401);
    expect((await api("GET", `/api/traces/${mine}`)).status).toBe(401);
    const del = await api("DELETE", `/api/traces/${mine}`, { token: team.admin.token });
    expect([404, 405]).toContain(del.status);
    const still = await env.DB.prepare("SELECT count(*) AS n FROM traces WHERE trace_id = ?1")
      .bind(mine)
      .first<{ n: number }>();
    expect(still?.n).toBe(1);
  });
});
