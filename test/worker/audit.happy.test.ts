// The audit trail: every auth event and mutation leaves a row, readable with filters and a
// cursor by workspace admins and read-only members; platform admins may read across tenants.
import { describe, expect, it } from "vitest";
import type { AuditEntry, AuditPage } from "../../worker/audit/schemas";
import { chat, createAgent } from "./helpers/chat";
import {
  adminToken,
  api,
  apiKey,
  createTeam,
  createUser,
  expectStatus,
  login,
  pagesOf,
  token,
} from "./helpers/harness";

async function auditOf(accessToken: string, query = ""): Promise<AuditEntry[]> {
  return (await expectStatus<AuditPage>(200, "GET", `/api/audit?limit=100${query}`, { token: accessToken })).data;
}

describe("audit trail", () => {
  it("records auth events, key and membership changes, and denials in the workspace", async () => {
    const team = await createTeam();
    const key = await apiKey(team.admin.token, ["chat"], { serviceAccount: "audited-bot" });
    await expectStatus(204, "DELETE", `/api/keys/${key.id}`, { token: team.admin.token });
    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
      body: { role: "read_only" },
    });
    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
    });
    expect(
      (
        await api("PATCH", `/api/workspaces/${team.workspaceId}`, {
          token: team.readOnly.token,
          body: { name: "nope" },
        })
      ).status,
    ).toBe(403);

    const rows = await auditOf(team.admin.token);
    const actions = rows.map((r) => r.action);
    for (const action of [
      "workspace.create",
      "invitation.create",
      "invitation.accept",
      "key.create",
      "key.revoke",
      "member.role_change",
      "member.remove",
      "permission.denied",
    ]) {
      expect(actions, action).toContain(action);
    }
    const denied = rows.find((r) => r.action === "permission.denied");
    expect(denied).toMatchObject({
      outcome: "denied",
      actor_id: team.readOnly.id,
      actor_kind: "user",
      actor_email: team.readOnly.email,
    });
    expect(denied?.detail).toMatchObject({ route: "PATCH /api/workspaces/:id", code: "FORBIDDEN" });
    const roleChange = rows.find((r) => r.action === "member.role_change");
    expect(roleChange).toMatchObject({
      actor_id: team.admin.id,
      target_type: "user",
      target_id: team.user.id,
      detail: { from: "user", to: "read_only" },
    });
    expect(rows.every((r) => r.request_id?.startsWith("req_"))).toBe(true);
  });

  it("records sign-ins, failures, logout, tokens, refreshes and password changes in the personal workspace", async () => {
    const u = await createUser();
    const cookie = await login(u.email, u.password);
    await expectStatus(204, "POST", "/api/auth/logout", { cookie });
    expect(
      (
        await api("POST", "/api/auth/login", {
          body: { email: u.email, password: "wrong-password-123" },
          headers: { "CF-Connecting-IP": "203.0.113.9" },
        })
      ).status,
    ).toBe(401);
    const t = await token(u.email, u.password);
    await expectStatus(200, "POST", "/api/auth/refresh", { body: { refresh_token: t.refresh_token } });
    const fresh = await token(u.email, u.password);
    await expectStatus(200, "POST", "/api/auth/password", {
      token: fresh.access_token,
      body: { current_password: u.password, new_password: "the-new-password-123" },
    });

    const mine = await auditOf((await token(u.email, "the-new-password-123")).access_token);
    for (const action of ["auth.login", "auth.logout", "auth.token", "auth.refresh", "auth.password_change"])
      expect(
        mine.map((r) => r.action),
        action,
      ).toContain(action);
    // A failed sign-in belongs to no workspace yet: platform admins see it.
    const failed = await auditOf(await adminToken(), `&all=true&action=auth.login&outcome=failure&actor=${u.id}`);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ ip: "203.0.113.9", detail: { reason: "bad_password" }, workspace_id: null });
  });

  it("filters by action family, outcome, target and time, and pages with a cursor", async () => {
    const team = await createTeam();
    for (let i = 0; i < 3; i++) await apiKey(team.admin.token, ["chat"], { name: `k${i}` });
    const keys = await auditOf(team.admin.token, "&action=key.*");
    expect(keys.map((r) => r.action)).toEqual(["key.create", "key.create", "key.create"]);
    const target = keys[0]?.target_id ?? "";
    expect(await auditOf(team.admin.token, `&target=${target}`)).toHaveLength(1);
    expect(await auditOf(team.admin.token, "&outcome=denied")).toHaveLength(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await auditOf(team.admin.token, `&since=${encodeURIComponent(future)}`)).toHaveLength(0);
    expect((await auditOf(team.admin.token, `&until=${encodeURIComponent(future)}`)).length).toBeGreaterThan(3);

    const all = await auditOf(team.admin.token);
    const paged = (await pagesOf<AuditEntry>("/api/audit", 2, { token: team.admin.token })).flat().map((r) => r.id);
    expect(paged).toEqual(all.map((r) => r.id));
  });

  it("is readable by workspace admins, read-only members and audit:read keys, not by plain users", async () => {
    const team = await createTeam();
    await auditOf(team.readOnly.token);
    const reader = await apiKey(team.admin.token, ["audit:read"], { serviceAccount: "siem" });
    await auditOf(reader.key);
    expect((await api("GET", "/api/audit", { token: team.user.token })).status).toBe(403);
    expect((await api("GET", "/api/audit?all=true", { token: team.admin.token })).status).toBe(403);
    const other = await createUser();
    const theirs = await auditOf((await token(other.email, other.password)).access_token);
    expect(theirs.every((r) => r.workspace_id === other.personalWorkspaceId)).toBe(true);
    expect(theirs.some((r) => r.workspace_id === team.workspaceId)).toBe(false);
  });

  it("records each chat message and /v1 completion by the time its answer is done", async () => {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    const agent = await createAgent(access, { name: "Audited" });
    const first = await chat(access, agent.id, "hello");
    const second = await chat(access, agent.id, "again", first.conversationId);
    expect(second.status).toBe(200);
    expect(
      (
        await api("POST", "/v1/chat/completions", {
          token: access,
          body: { model: agent.id, stream: true, messages: [{ role: "user", content: "hi" }] },
        })
      ).status,
    ).toBe(200);
    const rows = await auditOf(access);
    const messages = rows.filter((r) => r.action === "chat.message");
    expect(messages).toHaveLength(2);
    expect(
      messages.every(
        (r) =>
          r.target_type === "conversation" &&
          r.target_id === first.conversationId &&
          r.actor_id === u.id &&
          r.request_id?.startsWith("req_"),
      ),
    ).toBe(true);
    expect(messages.map((r) => r.detail?.new_conversation).sort()).toEqual([false, true]);
    await expect
      .poll(async () => (await auditOf(access)).filter((r) => r.action === "openai.chat_completion"))
      .toHaveLength(1);
  });
});
