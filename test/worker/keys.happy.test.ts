// API keys: shown once, used as bearer credentials with their scopes, listed without secrets,
// revoked with effect on the next request, expiring, and issued to service accounts.
import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../worker/auth/schemas";
import type { ApiKeyPage } from "../../worker/keys/routes";
import type { ApiKey } from "../../worker/keys/schemas";
import type { MemberPage } from "../../worker/workspaces/member-routes";
import { api, apiKey, createTeam, expectStatus, newUserAccess } from "./helpers/harness";

describe("API keys", () => {
  it("acts as its owner in its workspace with the service role and its scopes", async () => {
    const team = await createTeam();
    const key = await apiKey(team.user.token, ["agents:read", "chat"], { name: "laptop" });
    expect(key).toMatchObject({
      name: "laptop",
      scopes: ["agents:read", "chat"],
      workspace_id: team.workspaceId,
      user_id: team.user.id,
      service_account: false,
      revoked_at: null,
    });
    const me = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { token: key.key });
    expect(me).toMatchObject({ via: "api_key", role: "service", scopes: ["agents:read", "chat"] });
    expect(me.workspace.id).toBe(team.workspaceId);
    expect(me.memberships.map((m) => m.workspace_id)).toEqual([team.workspaceId]);
  });

  it("lists keys without secrets, newest first, and records when a key was last used", async () => {
    const t = await newUserAccess();
    const first = await apiKey(t, ["agents:read"]);
    // Distinct creation times, so "newest first" is well defined.
    await new Promise((r) => setTimeout(r, 5));
    const second = await apiKey(t, ["knowledge:read"]);
    await expectStatus(200, "GET", "/api/auth/me", { token: first.key });
    let used: ApiKey | undefined;
    for (let i = 0; i < 20 && !used?.last_used_at; i++) {
      used = await expectStatus<ApiKey>(200, "GET", `/api/keys/${first.id}`, { token: t });
      if (!used.last_used_at) await new Promise((r) => setTimeout(r, 25));
    }
    expect(used?.last_used_at).not.toBeNull();
    const list = await expectStatus<ApiKeyPage>(200, "GET", "/api/keys", { token: t });
    expect(list.data.map((k) => k.id)).toEqual([second.id, first.id]);
    expect(list.data.every((k) => !("key" in k))).toBe(true);
  });

  it("stops working on the next request after revocation, and drops out of the default list", async () => {
    const t = await newUserAccess();
    const key = await apiKey(t, ["agents:read"]);
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(200);
    await expectStatus(204, "DELETE", `/api/keys/${key.id}`, { token: t });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
    expect((await expectStatus<ApiKeyPage>(200, "GET", "/api/keys", { token: t })).data).toHaveLength(0);
    const all = await expectStatus<ApiKeyPage>(200, "GET", "/api/keys?include_revoked=true", { token: t });
    expect(all.data[0]?.revoked_at).not.toBeNull();
  });

  it("stops working once expired", async () => {
    const t = await newUserAccess();
    const key = await apiKey(t, ["agents:read"], { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
  });

  it("lets a workspace admin issue keys to a service account that joins the workspace", async () => {
    const team = await createTeam();
    const key = await apiKey(team.admin.token, ["admin"], { serviceAccount: "deploy-bot" });
    expect(key.service_account).toBe(true);
    expect(key.user_id).not.toBe(team.admin.id);
    const members = await expectStatus<MemberPage>(200, "GET", `/api/workspaces/${team.workspaceId}/members`, {
      token: team.admin.token,
    });
    expect(members.data.find((m) => m.user_id === key.user_id)).toMatchObject({ kind: "service", name: "deploy-bot" });
    const second = await expectStatus<ApiKey>(201, "POST", "/api/keys", {
      token: team.admin.token,
      body: { name: "rotation", scopes: ["chat"], service_account: { id: key.user_id } },
    });
    expect(second.user_id).toBe(key.user_id);
    // An admin-scoped key manages keys: it can list and revoke them.
    const list = await expectStatus<ApiKeyPage>(200, "GET", "/api/keys", { token: key.key });
    expect(list.data.map((k) => k.id)).toContain(second.id);
    await expectStatus(204, "DELETE", `/api/keys/${second.id}`, { token: key.key });
  });
});
