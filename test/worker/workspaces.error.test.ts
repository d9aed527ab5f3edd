// Membership rules that must hold whatever the input: a workspace keeps an admin, a personal
// workspace keeps its owner, and bad input changes nothing.
import { describe, expect, it } from "vitest";
import type { MemberPage } from "../../worker/workspaces/member-routes";
import { addMember, api, createTeam, createUser, type ErrorBody, expectStatus, token } from "./helpers/harness";

describe("workspace invariants", () => {
  it("refuses to demote or remove the last admin", async () => {
    const team = await createTeam();
    const base = `/api/workspaces/${team.workspaceId}/members/${team.admin.id}`;
    const demote = await api<ErrorBody>("PATCH", base, { token: team.admin.token, body: { role: "user" } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.details).toEqual({ reason: "last_admin" });
    expect((await api("DELETE", base, { token: team.admin.token })).status).toBe(409);
    const members = await expectStatus<MemberPage>(200, "GET", `/api/workspaces/${team.workspaceId}/members`, {
      token: team.admin.token,
    });
    expect(members.data.find((m) => m.user_id === team.admin.id)?.role).toBe("admin");
  });

  it("keeps the owner of a personal workspace, and the workspace itself", async () => {
    const owner = await createUser();
    const helper = await createUser();
    const t = (await token(owner.email, owner.password)).access_token;
    await addMember(t, owner.personalWorkspaceId, helper, "admin");
    const helperToken = (await token(helper.email, helper.password, owner.personalWorkspaceId)).access_token;
    const base = `/api/workspaces/${owner.personalWorkspaceId}`;
    expect((await api<ErrorBody>("DELETE", `${base}/members/${owner.id}`, { token: helperToken })).status).toBe(409);
    expect(
      (await api("PATCH", `${base}/members/${owner.id}`, { token: helperToken, body: { role: "read_only" } })).status,
    ).toBe(409);
    const del = await api<ErrorBody>("DELETE", base, { token: t });
    expect(del.status).toBe(409);
    expect(del.body.error.details).toEqual({ reason: "personal" });
    expect((await api("GET", base, { token: t })).status).toBe(200);
  });

  it("refuses to invite a member, and bad emails and roles, without changing membership", async () => {
    const team = await createTeam();
    const path = `/api/workspaces/${team.workspaceId}/members`;
    const invitations = `/api/workspaces/${team.workspaceId}/invitations`;
    const member = await api<ErrorBody>("POST", invitations, {
      token: team.admin.token,
      body: { email: team.user.email.toUpperCase(), role: "admin" },
    });
    expect(member.status).toBe(409);
    expect(member.body.error.details).toEqual({ reason: "already_member" });
    for (const body of [
      { email: "someone@example.test", role: "owner" },
      { email: "not-an-email", role: "user" },
      {},
    ]) {
      const res = await api<ErrorBody>("POST", invitations, { token: team.admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
    expect(
      (await api("PATCH", `${path}/${team.user.id}`, { token: team.admin.token, body: { role: "superuser" } })).status,
    ).toBe(400);
    const members = await expectStatus<MemberPage>(200, "GET", path, { token: team.admin.token });
    expect(members.data.find((m) => m.user_id === team.user.id)?.role).toBe("user");
    expect(members.data).toHaveLength(3);
    expect(
      (
        await expectStatus<{ data: unknown[] }>(200, "GET", `${invitations}?status=pending`, {
          token: team.admin.token,
        })
      ).data,
    ).toEqual([]);
  });

  it("validates names and cursors", async () => {
    const team = await createTeam();
    for (const name of ["", " ", "x".repeat(101)]) {
      expect(
        (await api("PATCH", `/api/workspaces/${team.workspaceId}`, { token: team.admin.token, body: { name } })).status,
      ).toBe(400);
      expect((await api("POST", "/api/workspaces", { token: team.admin.token, body: { name } })).status).toBe(400);
    }
    for (const cursor of ["garbage", "WzEsMl0", "bnVsbA"]) {
      const res = await api<ErrorBody>("GET", `/api/workspaces/${team.workspaceId}/members?cursor=${cursor}`, {
        token: team.admin.token,
      });
      expect(res.status, cursor).toBe(400);
    }
    expect((await api("GET", "/api/workspaces?limit=0", { token: team.admin.token })).status).toBe(400);
  });

  it("answers a malformed workspace id in the path or header with 404", async () => {
    const team = await createTeam();
    expect((await api("GET", "/api/workspaces/has%20space", { token: team.admin.token })).status).toBe(404);
    expect(
      (await api("GET", "/api/auth/me", { token: team.admin.token, headers: { "X-Workspace-Id": "../../etc" } }))
        .status,
    ).toBe(404);
  });
});
