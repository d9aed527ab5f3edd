// API keys never carry more than their maker may do, never mint further keys, and lose
// power as soon as their owner does.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../worker/auth/schemas";
import { api, apiKey, createTeam, type ErrorBody, expectStatus } from "./helpers/harness";

describe("API key scopes", () => {
  it("caps a person's key at their role", async () => {
    const team = await createTeam();
    const ro = await api<ErrorBody>("POST", "/api/keys", {
      token: team.readOnly.token,
      body: { name: "escalate", scopes: ["agents:read", "agents:write"] },
    });
    expect(ro.status).toBe(403);
    expect(ro.body.error.details).toEqual({ scopes: ["agents:write"] });
    expect(
      (await api("POST", "/api/keys", { token: team.user.token, body: { name: "escalate", scopes: ["admin"] } }))
        .status,
    ).toBe(403);
    expect(
      (
        await api("POST", "/api/keys", {
          token: team.readOnly.token,
          body: { name: "ok", scopes: ["agents:read", "audit:read"] },
        })
      ).status,
    ).toBe(201);
  });

  it("refuses service-account keys from anyone but a workspace admin", async () => {
    const team = await createTeam();
    const res = await api("POST", "/api/keys", {
      token: team.user.token,
      body: { name: "bot", scopes: ["chat"], service_account: { name: "sneaky" } },
    });
    expect(res.status).toBe(403);
    const other = await createTeam();
    const foreignBot = await apiKey(other.admin.token, ["chat"], { serviceAccount: "theirs" });
    const hijack = await api("POST", "/api/keys", {
      token: team.admin.token,
      body: { name: "x", scopes: ["chat"], service_account: { id: foreignBot.user_id } },
    });
    expect(hijack.status).toBe(404);
  });

  it("shrinks a person's key when the person is demoted, and kills it when they leave", async () => {
    const team = await createTeam();
    const key = await apiKey(team.user.token, ["agents:read", "agents:write"]);
    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
      body: { role: "read_only" },
    });
    const me = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { token: key.key });
    expect(me.scopes).toEqual(["agents:read"]);
    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
    });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
  });

  it("never lets a key create another key", async () => {
    const team = await createTeam();
    const key = await apiKey(team.admin.token, ["admin"], { serviceAccount: "root-bot" });
    const res = await api<ErrorBody>("POST", "/api/keys", {
      token: key.key,
      body: { name: "child", scopes: ["chat"] },
    });
    expect(res.status).toBe(403);
  });

  it("refuses a key outside its workspace and unknown or malformed keys", async () => {
    const team = await createTeam();
    const key = await apiKey(team.admin.token, ["admin"], { serviceAccount: "bound" });
    expect(
      (
        await api("GET", "/api/auth/me", {
          token: key.key,
          headers: { "X-Workspace-Id": team.admin.personalWorkspaceId },
        })
      ).status,
    ).toBe(404);
    for (const bad of [`${key.key}x`, key.key.slice(0, -1), "lh_", `lh_AAAAAAAA_${"A".repeat(40)}`]) {
      expect((await api("GET", "/api/auth/me", { token: bad })).status).toBe(401);
    }
  });

  it("validates create requests and stores nothing for bad ones", async () => {
    const team = await createTeam();
    const before = await env.DB.prepare("SELECT count(*) AS n FROM api_keys").first<{ n: number }>();
    const bodies = [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["root"] },
      { name: "x", scopes: ["chat", "chat"] },
      { name: "", scopes: ["chat"] },
      { name: "x", scopes: ["chat"], expires_at: "2001-01-01T00:00:00Z" },
      { name: "x", scopes: ["chat"], expires_at: "tomorrow" },
      { name: "x", scopes: ["chat"], service_account: { name: "a", id: "b" } },
    ];
    for (const body of bodies) {
      const res = await api<ErrorBody>("POST", "/api/keys", { token: team.admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const after = await env.DB.prepare("SELECT count(*) AS n FROM api_keys").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});
