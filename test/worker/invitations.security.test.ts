// Joining a workspace by invitation (issue 14, item 6): inviting says nothing about whether an
// email has an account, nobody becomes a member without accepting, only the invited account can
// answer, expired and revoked invitations cannot be accepted, and every step is audited.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { AuditPage } from "../../worker/audit/schemas";
import type { MyInvitationPage } from "../../worker/invitations/inbox-routes";
import type { Invitation, MyInvitation } from "../../worker/invitations/schemas";
import type { InvitationPage } from "../../worker/invitations/workspace-routes";
import type { MemberPage } from "../../worker/workspaces/member-routes";
import {
  api,
  apiKey,
  createTeam,
  createUser,
  type ErrorBody,
  expectStatus,
  type Team,
  token,
  uniqueEmail,
} from "./helpers/harness";

const invitationsOf = (team: Team) => `/api/workspaces/${team.workspaceId}/invitations`;
const invite = (team: Team, email: string, role = "user") =>
  expectStatus<Invitation>(201, "POST", invitationsOf(team), { token: team.admin.token, body: { email, role } });
const own = async (person: { email: string; password: string; accessToken?: string }) =>
  person.accessToken ?? (await token(person.email, person.password)).access_token;
const memberIds = async (team: Team) =>
  (
    await expectStatus<MemberPage>(200, "GET", `/api/workspaces/${team.workspaceId}/members`, {
      token: team.admin.token,
    })
  ).data.map((m) => m.user_id);

/** Makes an invitation lapse, as time passing would (no route moves expires_at). */
const lapse = (id: string) =>
  env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?")
    .bind(Date.now() - 1000, id)
    .run();

describe("account enumeration", { timeout: 30_000 }, () => {
  it("answers an invitation to a registered email exactly as one to an unknown email", async () => {
    const team = await createTeam();
    const registered = await createUser();
    const unknown = uniqueEmail("nobody");
    const a = await api<Invitation>("POST", invitationsOf(team), {
      token: team.admin.token,
      body: { email: registered.email, role: "user" },
    });
    const b = await api<Invitation>("POST", invitationsOf(team), {
      token: team.admin.token,
      body: { email: unknown, role: "user" },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(Object.keys(a.body).sort()).toEqual(Object.keys(b.body).sort());
    const comparable = (i: Invitation) => ({
      ...i,
      id: i.id.slice(0, 4),
      email: "-",
      expires_at: "-",
      created_at: "-",
    });
    expect(comparable(a.body)).toEqual(comparable(b.body));
    expect(a.body).toMatchObject({
      status: "pending",
      role: "user",
      workspace_id: team.workspaceId,
      invited_by: team.admin.id,
      responded_at: null,
    });
    expect(JSON.stringify(a.body)).not.toContain(registered.id);
    expect([...a.headers.keys()].sort()).toEqual([...b.headers.keys()].sort());
    // Neither became a member: an invitation is only an offer.
    expect(await memberIds(team)).not.toContain(registered.id);
  });

  it("no longer adds people directly through the members route", async () => {
    const team = await createTeam();
    const outsider = await createUser();
    const res = await api<ErrorBody>("POST", `/api/workspaces/${team.workspaceId}/members`, {
      token: team.admin.token,
      body: { email: outsider.email, role: "user" },
    });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(await memberIds(team)).not.toContain(outsider.id);
  });
});

describe("answering an invitation", { timeout: 30_000 }, () => {
  it("makes the invitee a member with the invited role only when they accept", async () => {
    const team = await createTeam();
    const invitee = await createUser();
    const sent = await invite(team, invitee.email.toUpperCase(), "read_only");
    expect(sent.email).toBe(invitee.email);
    const t = await own(invitee);
    const inbox = await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: t });
    expect(inbox.data).toHaveLength(1);
    expect(inbox.data[0]).toMatchObject({
      id: sent.id,
      role: "read_only",
      status: "pending",
      workspace: { id: team.workspaceId },
      invited_by: { email: team.admin.email },
    });
    expect((await api("GET", `/api/workspaces/${team.workspaceId}`, { token: t, headers: {} })).status).toBe(404);

    const accepted = await expectStatus<MyInvitation>(200, "POST", `/api/invitations/${sent.id}/accept`, { token: t });
    expect(accepted.status).toBe("accepted");
    const inside = (await token(invitee.email, invitee.password, team.workspaceId)).access_token;
    expect(
      (await api<{ role: string }>("GET", `/api/workspaces/${team.workspaceId}`, { token: inside })).body.role,
    ).toBe("read_only");
    expect((await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: t })).data).toEqual([]);
    const again = await api<ErrorBody>("POST", `/api/invitations/${sent.id}/accept`, { token: t });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ reason: "accepted" });
    const listed = await expectStatus<InvitationPage>(200, "GET", `${invitationsOf(team)}?status=accepted`, {
      token: team.admin.token,
    });
    expect(listed.data.map((i) => [i.id, i.email, i.status])).toContainEqual([sent.id, invitee.email, "accepted"]);
    expect(listed.data.every((i) => i.status === "accepted")).toBe(true);
  });

  it("leaves a declined invitation's workspace closed, and lets the admin invite again", async () => {
    const team = await createTeam();
    const invitee = await createUser();
    const sent = await invite(team, invitee.email);
    const t = await own(invitee);
    expect(
      (await expectStatus<MyInvitation>(200, "POST", `/api/invitations/${sent.id}/decline`, { token: t })).status,
    ).toBe("declined");
    expect(await memberIds(team)).not.toContain(invitee.id);
    expect((await api("POST", `/api/invitations/${sent.id}/accept`, { token: t })).status).toBe(409);
    expect(await memberIds(team)).not.toContain(invitee.id);
    await invite(team, invitee.email);
  });

  it("does not let anyone but the invited account see or answer it", async () => {
    const team = await createTeam();
    const invitee = await createUser();
    const stranger = await createUser();
    const sent = await invite(team, invitee.email);
    const strangerToken = await own(stranger);
    for (const verb of ["accept", "decline"]) {
      const res = await api<ErrorBody>("POST", `/api/invitations/${sent.id}/${verb}`, { token: strangerToken });
      expect(res.status, verb).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    // Not the admin who sent it, nor another member of its workspace.
    for (const t of [team.admin.token, team.user.token])
      expect((await api("POST", `/api/invitations/${sent.id}/accept`, { token: t })).status).toBe(404);
    expect(
      (await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: strangerToken })).data,
    ).toEqual([]);
    // Not even with the invitee's own API key: answering is a person's decision.
    const key = await apiKey(await own(invitee), ["admin"]);
    expect((await api("POST", `/api/invitations/${sent.id}/accept`, { token: key.key })).status).toBe(403);
    expect((await api("GET", "/api/invitations", { token: key.key })).status).toBe(403);
    expect(await memberIds(team)).not.toContain(stranger.id);
    expect(await memberIds(team)).not.toContain(invitee.id);
    // Still pending for the right person.
    expect(
      (await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: await own(invitee) })).data.map(
        (i) => i.id,
      ),
    ).toEqual([sent.id]);
  });

  it("waits for an account that does not exist yet", async () => {
    const team = await createTeam();
    const email = uniqueEmail("later");
    const sent = await invite(team, email, "user");
    const later = await createUser({ email });
    const inbox = await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: await own(later) });
    expect(inbox.data.map((i) => i.id)).toEqual([sent.id]);
    await expectStatus(200, "POST", `/api/invitations/${sent.id}/accept`, { token: await own(later) });
    expect(await memberIds(team)).toContain(later.id);
  });
});

describe("expiry and revocation", { timeout: 30_000 }, () => {
  it("refuses an expired invitation and shows it as expired; a new one can be sent", async () => {
    const team = await createTeam();
    const invitee = await createUser();
    const sent = await invite(team, invitee.email);
    // Seven days by default (INVITATION_TTL_HOURS).
    expect(Date.parse(sent.expires_at) - Date.parse(sent.created_at)).toBe(7 * 24 * 3_600_000);
    await lapse(sent.id);
    const t = await own(invitee);
    const res = await api<ErrorBody>("POST", `/api/invitations/${sent.id}/accept`, { token: t });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ reason: "expired" });
    expect(await memberIds(team)).not.toContain(invitee.id);
    expect((await expectStatus<MyInvitationPage>(200, "GET", "/api/invitations", { token: t })).data).toEqual([]);
    const expired = await expectStatus<InvitationPage>(200, "GET", `${invitationsOf(team)}?status=expired`, {
      token: team.admin.token,
    });
    expect(expired.data.map((i) => [i.id, i.status])).toEqual([[sent.id, "expired"]]);
    const renewed = await invite(team, invitee.email);
    await expectStatus(200, "POST", `/api/invitations/${renewed.id}/accept`, { token: t });
    expect(await memberIds(team)).toContain(invitee.id);
  });

  it("lasts INVITATION_TTL_HOURS when that is configured", async () => {
    const team = await createTeam();
    const ctx = createExecutionContext();
    const res = await createApp().request(
      invitationsOf(team),
      {
        method: "POST",
        headers: { Authorization: `Bearer ${team.admin.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ email: uniqueEmail("short"), role: "user" }),
      },
      { ...env, INVITATION_TTL_HOURS: "48" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(201);
    const sent = await res.json<Invitation>();
    expect(Date.parse(sent.expires_at) - Date.parse(sent.created_at)).toBe(48 * 3_600_000);
  });

  it("refuses a second pending invitation to the same email", async () => {
    const team = await createTeam();
    const email = uniqueEmail("twice");
    await invite(team, email);
    const res = await api<ErrorBody>("POST", invitationsOf(team), {
      token: team.admin.token,
      body: { email, role: "admin" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ reason: "already_invited" });
  });

  it("lets an admin revoke a pending invitation, which then cannot be accepted", async () => {
    const team = await createTeam();
    const invitee = await createUser();
    const sent = await invite(team, invitee.email, "admin");
    const pending = await expectStatus<InvitationPage>(200, "GET", `${invitationsOf(team)}?status=pending`, {
      token: team.admin.token,
    });
    expect(pending.data.map((i) => i.id)).toEqual([sent.id]);
    // Plain users and read-only members neither list nor revoke invitations.
    for (const t of [team.user.token, team.readOnly.token]) {
      expect((await api("GET", invitationsOf(team), { token: t })).status).toBe(403);
      expect((await api("DELETE", `${invitationsOf(team)}/${sent.id}`, { token: t })).status).toBe(403);
    }
    await expectStatus(204, "DELETE", `${invitationsOf(team)}/${sent.id}`, { token: team.admin.token });
    const res = await api<ErrorBody>("POST", `/api/invitations/${sent.id}/accept`, { token: await own(invitee) });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ reason: "revoked" });
    expect(await memberIds(team)).not.toContain(invitee.id);
    const again = await api<ErrorBody>("DELETE", `${invitationsOf(team)}/${sent.id}`, { token: team.admin.token });
    expect(again.status).toBe(409);
    expect((await api("DELETE", `${invitationsOf(team)}/inv_doesnotexist`, { token: team.admin.token })).status).toBe(
      404,
    );
  });
});

describe("tenancy", { timeout: 30_000 }, () => {
  it("keeps one workspace's invitations out of another's admins' reach", async () => {
    const a = await createTeam("A");
    const b = await createTeam("B");
    const sent = await invite(a, uniqueEmail("a-only"));
    // B's admin names A's invitation under B's workspace: it does not exist there.
    expect((await api("DELETE", `${invitationsOf(b)}/${sent.id}`, { token: b.admin.token })).status).toBe(404);
    const bList = await expectStatus<InvitationPage>(200, "GET", invitationsOf(b), { token: b.admin.token });
    expect(bList.data.map((i) => i.id)).not.toContain(sent.id);
    expect(bList.data.every((i) => i.workspace_id === b.workspaceId)).toBe(true);
    // Under A's path B's admin is not a member at all.
    for (const [method, path, body] of [
      ["GET", invitationsOf(a)],
      ["POST", invitationsOf(a), { email: uniqueEmail(), role: "admin" }],
      ["DELETE", `${invitationsOf(a)}/${sent.id}`],
    ] as const) {
      expect(
        (await api(method, path, { token: b.admin.token, ...(body ? { body } : {}) })).status,
        `${method} ${path}`,
      ).toBe(404);
    }
    const still = await expectStatus<InvitationPage>(200, "GET", `${invitationsOf(a)}?status=pending`, {
      token: a.admin.token,
    });
    expect(still.data.map((i) => [i.id, i.status])).toEqual([[sent.id, "pending"]]);
  });
});

describe("audit", { timeout: 30_000 }, () => {
  it("records invite, accept, decline and revoke in the inviting workspace", async () => {
    const team = await createTeam();
    const [joins, refuses] = await Promise.all([createUser(), createUser()]);
    const first = await invite(team, joins.email);
    const second = await invite(team, refuses.email);
    const third = await invite(team, uniqueEmail("revoked"));
    await expectStatus(200, "POST", `/api/invitations/${first.id}/accept`, { token: await own(joins) });
    await expectStatus(200, "POST", `/api/invitations/${second.id}/decline`, { token: await own(refuses) });
    await expectStatus(204, "DELETE", `${invitationsOf(team)}/${third.id}`, { token: team.admin.token });
    // createTeam's own members joined by invitation too: look at these three only.
    const ours = new Set([first.id, second.id, third.id]);
    const rows = async (action: string) =>
      (
        await expectStatus<AuditPage>(200, "GET", `/api/audit?action=${action}&limit=100`, { token: team.admin.token })
      ).data.filter((r) => r.target_id && ours.has(r.target_id));
    expect((await rows("invitation.create")).map((r) => [r.target_id, r.actor_id, r.workspace_id]).sort()).toEqual(
      [first.id, second.id, third.id].sort().map((id) => [id, team.admin.id, team.workspaceId]),
    );
    expect(await rows("invitation.accept")).toEqual([
      expect.objectContaining({
        actor_id: joins.id,
        target_id: first.id,
        workspace_id: team.workspaceId,
        detail: { email: joins.email, role: "user" },
      }),
    ]);
    expect(await rows("invitation.decline")).toEqual([
      expect.objectContaining({ actor_id: refuses.id, target_id: second.id, workspace_id: team.workspaceId }),
    ]);
    expect(await rows("invitation.revoke")).toEqual([
      expect.objectContaining({ actor_id: team.admin.id, target_id: third.id }),
    ]);
  });
});
