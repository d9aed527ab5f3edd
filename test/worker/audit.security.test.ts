// The audit log is append-only: no route changes it, and the database itself refuses
// UPDATE and DELETE (triggers from migration 0001). Security events are on disk before the
// answer leaves the Worker.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuditPage } from "../../worker/audit/schemas";
import { adminToken, api, apiKey, createTeam, createUser, expectStatus } from "./helpers/harness";

describe("append-only audit log", () => {
  it("refuses UPDATE and DELETE at the database", async () => {
    await createUser();
    const row = await env.DB.prepare("SELECT id, action FROM audit_logs LIMIT 1").first<{
      id: string;
      action: string;
    }>();
    if (!row) throw new Error("expected an audit row");
    await expect(
      env.DB.prepare("UPDATE audit_logs SET action = 'forged' WHERE id = ?").bind(row.id).run(),
    ).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_logs WHERE id = ?").bind(row.id).run()).rejects.toThrow(
      /append-only/,
    );
    await expect(env.DB.prepare("DELETE FROM audit_logs").run()).rejects.toThrow(/append-only/);
    const after = await env.DB.prepare("SELECT action FROM audit_logs WHERE id = ?")
      .bind(row.id)
      .first<{ action: string }>();
    expect(after?.action).toBe(row.action);
  });

  it("has no route that changes or deletes audit entries", async () => {
    const admin = await adminToken();
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const res = await api(method, "/api/audit", { token: admin, ...(method === "DELETE" ? {} : { body: {} }) });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("Allow")).toContain("GET");
    }
    expect((await api("DELETE", "/api/audit/aud_anything", { token: admin })).status).toBe(404);
  });

  it("writes sign-in failures and permission denials before answering", async () => {
    const u = await createUser();
    const failed = await api("POST", "/api/auth/token", { body: { email: u.email, password: "definitely-wrong-1" } });
    expect(failed.status).toBe(401);
    const row = await env.DB.prepare(
      "SELECT outcome, detail FROM audit_logs WHERE actor_id = ? AND action = 'auth.token' AND outcome = 'failure'",
    )
      .bind(u.id)
      .first<{ outcome: string; detail: string }>();
    expect(row).toMatchObject({ outcome: "failure" });
    expect(JSON.parse(row?.detail ?? "{}")).toEqual({ reason: "bad_password" });

    const team = await createTeam();
    expect(
      (
        await api("POST", `/api/workspaces/${team.workspaceId}/invitations`, {
          token: team.user.token,
          body: { email: u.email, role: "admin" },
        })
      ).status,
    ).toBe(403);
    const denied = await env.DB.prepare(
      "SELECT workspace_id, detail FROM audit_logs WHERE actor_id = ? AND action = 'permission.denied'",
    )
      .bind(team.user.id)
      .first<{ workspace_id: string; detail: string }>();
    expect(denied?.workspace_id).toBe(team.workspaceId);
    expect(JSON.parse(denied?.detail ?? "{}")).toMatchObject({ route: "POST /api/workspaces/:id/invitations" });
  });

  it("does not record anonymous 401s, so strangers cannot flood the table", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM audit_logs").first<{ n: number }>();
    for (let i = 0; i < 5; i++) expect((await api("GET", "/api/audit")).status).toBe(401);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM audit_logs").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("records an API key's own id as part of the actor", async () => {
    const team = await createTeam();
    const key = await apiKey(team.admin.token, ["admin"], { serviceAccount: "ops" });
    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}`, {
      token: key.key,
      body: { name: "Renamed by a key" },
    });
    const page = await expectStatus<AuditPage>(200, "GET", "/api/audit?action=workspace.update", {
      token: team.admin.token,
    });
    expect(page.data[0]).toMatchObject({
      actor_kind: "api_key",
      actor_id: key.user_id,
      detail: { key_id: key.id, name: "Renamed by a key" },
    });
  });
});
