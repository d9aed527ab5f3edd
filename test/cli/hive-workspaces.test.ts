// hive workspaces invite / invitations / accept / decline / sent / revoke against a fake of the
// Worker's invitation routes: an admin invites an email, the invitee sees it and only then joins.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { fakeApiSuite } from "./helpers/fake-api-suite";
import { ADA, BOB, startFakeInvitationsApi } from "./helpers/fake-invitations-api";
import { runHiveWithKey } from "./helpers/run-hive";

describe("hive workspaces: joining by invitation", () => {
  const fake = fakeApiSuite("workspaces", startFakeInvitationsApi);
  const as = (credential: string, args: string[]) => runHiveWithKey(fake.api.url, credential, ["workspaces", ...args]);
  beforeEach(() => {
    fake.api.invitations.length = 0;
    fake.api.memberships.get("ws_team")?.delete(BOB.id);
  });

  test("an admin invites, the invitee lists and accepts, and is a member only then", async () => {
    const invited = await as(ADA.token, ["invite", "Bob@Example.com", "--role", "read_only"]);
    assert.equal(invited.code, 0, invited.stderr);
    const id = fake.api.invitations[0]?.id ?? "";
    assert.match(
      invited.stdout,
      new RegExp(
        `^Invited bob@example\\.com to Team Hive as read_only \\(${id}\\); it can be accepted until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ\\.$`,
        "m",
      ),
    );
    assert.equal(fake.api.memberships.get("ws_team")?.has(BOB.id), false, "inviting adds nobody");

    const inbox = await as(BOB.token, ["invitations"]);
    assert.equal(inbox.code, 0, inbox.stderr);
    assert.match(inbox.stdout, new RegExp(`${id}\\s+Team Hive\\s+read_only\\s+ada@example\\.com`));
    assert.match(inbox.stderr, /hive workspaces accept <id>/);

    const accepted = await as(BOB.token, ["accept", id]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(accepted.stdout.trim(), "Joined Team Hive (ws_team) as read_only.");
    assert.equal(fake.api.memberships.get("ws_team")?.get(BOB.id), "read_only");

    const listed = await as(BOB.token, ["list"]);
    assert.match(listed.stdout, /ws_team\s+Team Hive\s+read_only/);
    assert.equal((await as(BOB.token, ["invitations"])).stdout.trim(), "No pending invitations.");
    const sent = await as(ADA.token, ["sent", "--status", "accepted", "--json"]);
    assert.deepEqual(
      (JSON.parse(sent.stdout) as { data: { id: string; status: string }[] }).data.map((i) => [i.id, i.status]),
      [[id, "accepted"]],
    );
  });

  test("decline leaves the workspace closed; a revoked invitation cannot be accepted", async () => {
    await as(ADA.token, ["invite", BOB.email]);
    const first = fake.api.invitations[0]?.id ?? "";
    const declined = await as(BOB.token, ["decline", first]);
    assert.equal(declined.code, 0, declined.stderr);
    assert.equal(declined.stdout.trim(), "Declined the invitation to Team Hive.");
    assert.equal(fake.api.memberships.get("ws_team")?.has(BOB.id), false);

    await as(ADA.token, ["invite", BOB.email]);
    const second = fake.api.invitations[0]?.id ?? "";
    const revoked = await as(ADA.token, ["revoke", second]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const late = await as(BOB.token, ["accept", second]);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /This invitation is revoked/);
    assert.equal(fake.api.memberships.get("ws_team")?.has(BOB.id), false);
  });

  test("an API key cannot answer for its person, and bad arguments are usage errors", async () => {
    await as(ADA.token, ["invite", BOB.email]);
    const id = fake.api.invitations[0]?.id ?? "";
    const byKey = await as(BOB.key, ["accept", id]);
    assert.equal(byKey.code, 1);
    assert.match(byKey.stderr, /API keys cannot answer invitations/);
    assert.equal(fake.api.memberships.get("ws_team")?.has(BOB.id), false);
    assert.equal((await as(ADA.token, ["invite", BOB.email, "--role", "owner"])).code, 64);
    assert.equal((await as(BOB.token, ["accept"])).code, 64);
    assert.equal((await as(BOB.token, ["join"])).code, 64);
  });
});
