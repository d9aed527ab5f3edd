// Workspaces as tenants: creating, listing, renaming, deleting, and managing members.
import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../worker/auth/schemas";
import type { MemberPage } from "../../worker/workspaces/member-routes";
import type { WorkspacePage } from "../../worker/workspaces/routes";
import type { Member, Workspace } from "../../worker/workspaces/schemas";
import {
  addMember,
  api,
  apiKey,
  createTeam,
  createUser,
  createWorkspace,
  expectStatus,
  newUserAccess,
  pagesOf,
  token,
} from "./helpers/harness";

describe("workspaces", () => {
  it("gives every user a personal workspace, and makes the creator of a new one its admin", async () => {
    const u = await createUser();
    const t = (await token(u.email, u.password)).access_token;
    const team = await createWorkspace(t, "Research");
    expect(team).toMatchObject({ name: "Research", personal: false, role: "admin", owner_id: u.id });
    const mine = await expectStatus<WorkspacePage>(200, "GET", "/api/workspaces", { token: t });
    expect(mine.data.map((w) => [w.id, w.personal, w.role])).toEqual(
      expect.arrayContaining([
        [u.personalWorkspaceId, true, "admin"],
        [team.id, false, "admin"],
      ]),
    );
  });

  it("pages through my workspaces with a cursor", async () => {
    const t = await newUserAccess();
    for (const name of ["One", "Two", "Three"]) await createWorkspace(t, name);
    const pages = await pagesOf<Workspace>("/api/workspaces", 1, { token: t });
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(1);
    const seen = pages.flat().map((w) => w.id);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it("renames a workspace and deletes a non-personal one with everything in it", async () => {
    const team = await createTeam();
    const renamed = await expectStatus<Workspace>(200, "PATCH", `/api/workspaces/${team.workspaceId}`, {
      token: team.admin.token,
      body: { name: "Renamed" },
    });
    expect(renamed.name).toBe("Renamed");
    const key = await apiKey(team.admin.token, ["agents:read"], { serviceAccount: "ci" });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(200);
    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}`, { token: team.admin.token });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { token: team.user.token })).status).toBe(401);
    const admin = await token(team.admin.email, team.admin.password);
    expect((await api("GET", `/api/workspaces/${team.workspaceId}`, { token: admin.access_token })).status).toBe(404);
  });

  it("acts in the workspace named by X-Workspace-Id with the role held there", async () => {
    const team = await createTeam();
    const personal = (await token(team.readOnly.email, team.readOnly.password)).access_token;
    const me = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", {
      token: personal,
      headers: { "X-Workspace-Id": team.workspaceId },
    });
    expect(me.workspace.id).toBe(team.workspaceId);
    expect(me.role).toBe("read_only");
    const home = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { token: personal });
    expect(home.role).toBe("admin");
    expect(home.memberships.map((m) => m.workspace_id)).toContain(team.workspaceId);
  });
});

describe("members", () => {
  it("adds (by invitation), lists, re-roles and removes members; a removed member loses access at once", async () => {
    const team = await createTeam();
    const extra = await createUser();
    await addMember(team.admin.token, team.workspaceId, { ...extra, email: extra.email.toUpperCase() }, "read_only");
    const extraToken = (await token(extra.email, extra.password, team.workspaceId)).access_token;
    expect((await api("GET", `/api/workspaces/${team.workspaceId}`, { token: extraToken })).status).toBe(200);

    const list = await expectStatus<MemberPage>(200, "GET", `/api/workspaces/${team.workspaceId}/members`, {
      token: team.readOnly.token,
    });
    expect(list.data.map((m) => m.role).sort()).toEqual(["admin", "read_only", "read_only", "user"]);

    const promoted = await expectStatus<Member>(
      200,
      "PATCH",
      `/api/workspaces/${team.workspaceId}/members/${extra.id}`,
      { token: team.admin.token, body: { role: "admin" } },
    );
    expect(promoted.role).toBe("admin");
    expect(
      (
        await api("PATCH", `/api/workspaces/${team.workspaceId}`, {
          token: extraToken,
          body: { name: "By the new admin" },
        })
      ).status,
    ).toBe(200);

    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${extra.id}`, {
      token: team.admin.token,
    });
    expect((await api("GET", `/api/workspaces/${team.workspaceId}`, { token: extraToken })).status).toBe(404);
    expect((await api("GET", "/api/auth/me", { token: extraToken })).status).toBe(401);
  });

  it("lets a second admin demote the first once there are two", async () => {
    const team = await createTeam();
    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
      body: { role: "admin" },
    });
    const demoted = await expectStatus<Member>(
      200,
      "PATCH",
      `/api/workspaces/${team.workspaceId}/members/${team.admin.id}`,
      { token: team.user.token, body: { role: "user" } },
    );
    expect(demoted.role).toBe("user");
  });
});
