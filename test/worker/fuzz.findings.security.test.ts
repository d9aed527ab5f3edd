// Answers the long fuzz run (bench/fuzz.ts) once got wrong, kept as plain regression tests.
import { describe, expect, it } from "vitest";
import { adminToken, api, createUser } from "./helpers/harness";

describe("fuzz findings", () => {
  it("searches users and workspaces by the longest text the schema allows (D1 caps LIKE patterns at 50 bytes)", async () => {
    const token = await adminToken();
    const name = `Zeta ${"w".repeat(60)}`;
    const user = await createUser({ name });
    const users = await api<{ data: { id: string }[] }>(
      "GET",
      `/api/users?q=${encodeURIComponent("w".repeat(60).toUpperCase())}`,
      { token },
    );
    expect(users.status).toBe(200);
    expect(users.body.data.map((u) => u.id)).toContain(user.id);
    expect((await api("GET", `/api/users?q=${"u".repeat(254)}`, { token })).status).toBe(200);
    const workspaces = await api<{ data: unknown[] }>("GET", `/api/admin/workspaces?limit=100&q=${"b".repeat(100)}`, {
      token,
    });
    expect(workspaces.status).toBe(200);
    expect(workspaces.body.data).toEqual([]);
    // Wildcards in the text are matched literally.
    expect(
      (await api<{ data: unknown[] }>("GET", `/api/admin/workspaces?q=${encodeURIComponent("%_%")}`, { token })).body
        .data,
    ).toEqual([]);
  });
});
