// Tenant isolation (IDOR): another user's workspaces, members, keys and sessions answer 404,
// exactly like ids that do not exist, and stay unchanged.
import { describe, expect, it } from "vitest";
import type { AuditPage } from "../../worker/audit/schemas";
import type { SessionList } from "../../worker/auth/schemas";
import type { WorkspacePage } from "../../worker/workspaces/routes";
import {
  adminToken,
  api,
  apiKey,
  createTeam,
  createUser,
  createWorkspace,
  expectStatus,
  login,
  token,
} from "./helpers/harness";

describe("user B against user A's resources", () => {
  it("gets 404 for every read, change and delete by id", async () => {
    const a = await createUser();
    const b = await createUser();
    const aToken = (await token(a.email, a.password)).access_token;
    const bToken = (await token(b.email, b.password)).access_token;
    const aTeam = await createWorkspace(aToken, "A's team");
    const aKey = await apiKey(aToken, ["agents:read"]);
    const aCookie = await login(a.email, a.password);
    const aSession = (await expectStatus<SessionList>(200, "GET", "/api/auth/sessions", { cookie: aCookie })).data[0];
    if (!aSession) throw new Error("A has a session");

    const attempts: [string, string, unknown?][] = [];
    for (const ws of [a.personalWorkspaceId, aTeam.id]) {
      attempts.push(
        ["GET", `/api/workspaces/${ws}`],
        ["PATCH", `/api/workspaces/${ws}`, { name: "Taken over" }],
        ["DELETE", `/api/workspaces/${ws}`],
        ["GET", `/api/workspaces/${ws}/members`],
        ["POST", `/api/workspaces/${ws}/invitations`, { email: b.email, role: "admin" }],
        ["GET", `/api/workspaces/${ws}/invitations`],
        ["PATCH", `/api/workspaces/${ws}/members/${a.id}`, { role: "read_only" }],
        ["DELETE", `/api/workspaces/${ws}/members/${a.id}`],
      );
    }
    attempts.push(
      ["GET", `/api/keys/${aKey.id}`],
      ["DELETE", `/api/keys/${aKey.id}`],
      ["DELETE", `/api/auth/sessions/${aSession.id}`],
    );
    for (const [method, path, body] of attempts) {
      const res = await api(method as "GET", path, { token: bToken, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    // Naming A's workspace in the header does not open it either.
    const viaHeader = await api("GET", `/api/keys/${aKey.id}`, {
      token: bToken,
      headers: { "X-Workspace-Id": a.personalWorkspaceId },
    });
    expect(viaHeader.status).toBe(404);

    // Nothing of A's changed.
    expect((await api("GET", "/api/auth/me", { token: aKey.key })).status).toBe(200);
    expect((await api("GET", "/api/auth/me", { cookie: aCookie })).status).toBe(200);
    const aList = await expectStatus<WorkspacePage>(200, "GET", "/api/workspaces", { token: aToken });
    expect(aList.data.find((w) => w.id === aTeam.id)?.name).toBe("A's team");
  });

  it("lets a plain user see only the keys they made, even in a shared workspace", async () => {
    const team = await createTeam();
    const adminKey = await apiKey(team.admin.token, ["agents:read"]);
    const userKey = await apiKey(team.user.token, ["agents:read"]);
    expect((await api("GET", `/api/keys/${adminKey.id}`, { token: team.user.token })).status).toBe(404);
    expect((await api("DELETE", `/api/keys/${adminKey.id}`, { token: team.user.token })).status).toBe(404);
    expect((await api("GET", `/api/keys/${userKey.id}`, { token: team.admin.token })).status).toBe(200);
    expect((await api("GET", "/api/auth/me", { token: adminKey.key })).status).toBe(200);
  });
});

describe("platform admins", () => {
  it("have no implicit access to a workspace they are not in; the admin listing is audited", async () => {
    const owner = await createUser();
    const admin = await adminToken();
    expect((await api("GET", `/api/workspaces/${owner.personalWorkspaceId}`, { token: admin })).status).toBe(404);
    expect((await api("GET", `/api/workspaces/${owner.personalWorkspaceId}/members`, { token: admin })).status).toBe(
      404,
    );
    const all = await expectStatus<WorkspacePage>(200, "GET", "/api/admin/workspaces?limit=100", { token: admin });
    expect(all.data.map((w) => w.id)).toContain(owner.personalWorkspaceId);
    await expectStatus(200, "GET", `/api/admin/workspaces/${owner.personalWorkspaceId}/members`, { token: admin });
    // The owner sees that an administrator looked at their members.
    const ownerToken = (await token(owner.email, owner.password)).access_token;
    let seen = false;
    for (let i = 0; i < 20 && !seen; i++) {
      const log = await expectStatus<AuditPage>(200, "GET", "/api/audit?action=admin.members_list", {
        token: ownerToken,
      });
      seen = log.data.length > 0;
      if (!seen) await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toBe(true);
  });
});
