// Usage stays inside its workspace; spend per person is for workspace admins; the budget is set
// by workspace admins only and the price table by platform admins only; bad input is a 400.

import { env } from "cloudflare:test";
import type { UsageReport } from "@hive/shared/api-types/usage";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent } from "./helpers/chat";
import { adminToken, api, createTeam, type ErrorBody, expectStatus, type Team } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let team: Team;
let other: Team;
beforeAll(async () => {
  [team, other] = await Promise.all([createTeam(), createTeam()]);
  const agent = await createAgent(team.admin.token, { name: "Shared", visibility: "workspace" });
  setProviderOverrides({ model: new ScriptedModel(textScript("hello")) });
  expect((await chat(team.admin.token, agent.id, "hi")).status).toBe(200);
});
afterEach(() => clearProviderOverrides());

const usage = (tokenValue: string, query = "") =>
  api<UsageReport & ErrorBody>("GET", `/api/usage${query}`, { token: tokenValue });

describe("tenancy", () => {
  it("each workspace sees only its own calls", async () => {
    const mine = await usage(team.readOnly.token);
    expect(mine.status).toBe(200);
    expect(mine.body.totals.calls).toBe(1);
    const theirs = await usage(other.admin.token);
    expect(theirs.status).toBe(200);
    expect(theirs.body.totals.calls).toBe(0);
    expect(theirs.body.groups).toEqual([]);
  });

  it("another workspace's budget can be neither read nor set", async () => {
    for (const method of ["GET", "PUT"] as const) {
      const r = await api<ErrorBody>(method, `/api/workspaces/${team.workspaceId}/budget`, {
        token: other.admin.token,
        ...(method === "PUT" ? { body: { monthly_usd: 0 } } : {}),
      });
      expect(r.status, method).toBe(404);
    }
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM workspace_budgets WHERE workspace_id = ?")
      .bind(team.workspaceId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe("roles", () => {
  it("usage by user is for workspace admins only", async () => {
    for (const member of [team.user, team.readOnly]) {
      const r = await usage(member.token, "?group_by=user");
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("FORBIDDEN");
    }
    const r = await usage(team.admin.token, "?group_by=user");
    expect(r.status).toBe(200);
    expect(r.body.groups).toEqual([expect.objectContaining({ key: team.admin.id, calls: 1 })]);
  });

  it("only workspace admins set the budget, and the change is audited", async () => {
    for (const member of [team.user, team.readOnly]) {
      const r = await api<ErrorBody>("PUT", `/api/workspaces/${team.workspaceId}/budget`, {
        token: member.token,
        body: { monthly_usd: 0 },
      });
      expect(r.status).toBe(403);
    }
    await expectStatus(200, "PUT", `/api/workspaces/${team.workspaceId}/budget`, {
      token: team.admin.token,
      body: { monthly_usd: 50, warn_ratio: 0.5 },
    });
    const audited = await env.DB.prepare(
      "SELECT actor_id, detail FROM audit_logs WHERE workspace_id = ? AND action = 'budget.update'",
    )
      .bind(team.workspaceId)
      .all<{ actor_id: string; detail: string }>();
    expect(audited.results).toHaveLength(1);
    expect(audited.results[0]?.actor_id).toBe(team.admin.id);
    expect(JSON.parse(audited.results[0]?.detail ?? "{}")).toEqual({ monthly_usd: 50, warn_ratio: 0.5 });
  });

  it("only platform admins read or change the price table", async () => {
    const body = { input_usd_per_mtok: 0, output_usd_per_mtok: 0 };
    for (const t of [team.admin.token, team.user.token]) {
      expect((await api("GET", "/api/admin/model-prices", { token: t })).status).toBe(403);
      expect((await api("PUT", "/api/admin/model-prices/openai-compatible/gpt-4o", { token: t, body })).status).toBe(
        403,
      );
      expect((await api("DELETE", "/api/admin/model-prices/openai-compatible/gpt-4o", { token: t })).status).toBe(403);
    }
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM model_prices").first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe("input", () => {
  it("refuses bad budgets, prices and windows with the error envelope", async () => {
    const admin = await adminToken();
    const cases: [string, string, string, unknown][] = [
      ["PUT", `/api/workspaces/${team.workspaceId}/budget`, team.admin.token, { monthly_usd: -1 }],
      ["PUT", `/api/workspaces/${team.workspaceId}/budget`, team.admin.token, { monthly_usd: 5, warn_ratio: 2 }],
      ["PUT", `/api/workspaces/${team.workspaceId}/budget`, team.admin.token, { monthly_usd: "lots" }],
      [
        "PUT",
        "/api/admin/model-prices/openai-compatible/gpt-4o",
        admin,
        { input_usd_per_mtok: -1, output_usd_per_mtok: 0 },
      ],
      ["PUT", "/api/admin/model-prices/Bad%20Provider/x", admin, { input_usd_per_mtok: 1, output_usd_per_mtok: 1 }],
      ["PUT", "/api/admin/model-prices/openai-compatible/gpt-4o", admin, { input_usd_per_mtok: 1 }],
      ["GET", "/api/usage?group_by=team", team.admin.token, undefined],
      ["GET", "/api/usage?from=2026-02-01&to=2026-01-01", team.admin.token, undefined],
      ["GET", "/api/usage?from=yesterday", team.admin.token, undefined],
      ["GET", "/api/usage?from=2020-01-01&to=2026-01-01", team.admin.token, undefined],
    ];
    for (const [method, path, t, body] of cases) {
      const r = await api<ErrorBody>(method as "GET" | "PUT", path, { token: t, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_ERROR");
    }
    const budget = await api<ErrorBody>("GET", `/api/workspaces/${team.workspaceId}/budget`, {
      token: team.admin.token,
    });
    expect(budget.status).toBe(200);
    expect(budget.body).toMatchObject({ monthly_usd: 50 });
  });
});
