// Platform administration of users: create, list and search, read, rename, promote, disable.
import { describe, expect, it } from "vitest";
import type { UserPage } from "../../worker/users/routes";
import type { User } from "../../worker/users/schemas";
import { adminToken, api, createUser, type ErrorBody, expectStatus, pagesOf, token } from "./helpers/harness";

describe("platform admin user management", () => {
  it("creates users who can sign in and have their own workspace", async () => {
    const admin = await adminToken();
    const created = await expectStatus<User>(201, "POST", "/api/users", {
      token: admin,
      body: { email: "  Grace@Example.TEST ", password: "a-long-enough-password", name: "Grace" },
    });
    expect(created).toMatchObject({
      email: "grace@example.test",
      name: "Grace",
      kind: "human",
      platform_role: "member",
      disabled: false,
    });
    const t = await token("grace@example.test", "a-long-enough-password");
    expect(t.workspace_id).toMatch(/^ws_/);
  });

  it("lists and searches users with cursor pagination", async () => {
    const admin = await adminToken();
    const made = await Promise.all([
      createUser({ name: "Searchable One" }),
      createUser({ name: "Searchable Two" }),
      createUser({ name: "Someone Else" }),
    ]);
    const found = await expectStatus<UserPage>(200, "GET", "/api/users?q=searchable", { token: admin });
    expect(found.data.map((u) => u.id).sort()).toEqual([made[0].id, made[1].id].sort());
    const literal = await expectStatus<UserPage>(200, "GET", "/api/users?q=%25", { token: admin });
    expect(literal.data).toHaveLength(0);
    const ids = (await pagesOf<User>("/api/users", 2, { token: admin })).flat().map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of made) expect(ids).toContain(u.id);
  });

  it("promotes a user to platform admin and back", async () => {
    const admin = await adminToken();
    const u = await createUser();
    const promoted = await expectStatus<User>(200, "PATCH", `/api/users/${u.id}`, {
      token: admin,
      body: { platform_role: "platform_admin", name: "Promoted" },
    });
    expect(promoted).toMatchObject({ platform_role: "platform_admin", name: "Promoted" });
    const theirs = (await token(u.email, u.password)).access_token;
    await expectStatus(200, "GET", "/api/users", { token: theirs });
    await expectStatus(200, "PATCH", `/api/users/${u.id}`, { token: admin, body: { platform_role: "member" } });
    expect((await api("GET", "/api/users", { token: theirs })).status).toBe(403);
  });

  it("refuses to let an admin disable or demote themselves, and rejects empty or unknown changes", async () => {
    const admin = await adminToken();
    const me = await expectStatus<{ user: User }>(200, "GET", "/api/auth/me", { token: admin });
    for (const body of [{ disabled: true }, { platform_role: "member" }]) {
      const res = await api<ErrorBody>("PATCH", `/api/users/${me.user.id}`, { token: admin, body });
      expect(res.status).toBe(409);
    }
    expect((await api("PATCH", `/api/users/${me.user.id}`, { token: admin, body: {} })).status).toBe(400);
    expect(
      (await api("PATCH", `/api/users/${me.user.id}`, { token: admin, body: { platform_role: "god" } })).status,
    ).toBe(400);
    expect((await api("GET", "/api/users/usr_nope", { token: admin })).status).toBe(404);
    expect(
      (
        await api("POST", "/api/users", {
          token: admin,
          body: { email: me.user.email, password: "a-long-enough-password" },
        })
      ).status,
    ).toBe(409);
    await expectStatus(200, "GET", "/api/auth/me", { token: admin });
  });
});
