// The run's event WebSocket: refused without a valid credential (token bound to the run,
// cookie from the dashboard's origin only, or bearer), another workspace's run is not found;
// a watcher gets the whole history first, then live events, and may only ping. A watcher whose
// principal loses access (sign-out, disabled user, revoked key, removed membership) while the run
// is open is closed within a few seconds (4401/4403 with a reason), and reconnecting is refused.

import type { SwarmMessage, SwarmSocketToken } from "@hive/shared/swarm-protocol";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { type Closed, closeOf, expectClosed, expectStillOpen } from "./helpers/closing-sockets";
import {
  addMember,
  adminToken,
  apiKey,
  createTeam,
  createUser,
  DASHBOARD_ORIGIN,
  type ErrorBody,
  expectStatus,
  login,
  newUserAccess,
  type Team,
  type TestUser,
  token,
} from "./helpers/harness";
import {
  createSwarmAgents,
  openEvents,
  SwarmModel,
  startRun,
  useSwarmFixture,
  type Watcher,
  waitFor,
  waitForRun,
  watch,
} from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b"]);
let outsiderAccess: string;

beforeAll(async () => {
  outsiderAccess = await newUserAccess();
});

const socketToken = async (runId: string, bearer = swarm.access) =>
  (await expectStatus<SwarmSocketToken>(200, "POST", `/api/swarm/runs/${runId}/socket-token`, { token: bearer })).token;

async function finishedRun(): Promise<string> {
  setProviderOverrides({ model: new SwarmModel({}) });
  const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: swarm.ids("a") });
  await waitForRun(swarm.access, run.id);
  return run.id;
}

async function expectRefused(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect(((await res.json()) as ErrorBody).error.code).toBe(
    status === 401 ? "UNAUTHENTICATED" : status === 403 ? "FORBIDDEN" : "NOT_FOUND",
  );
}

describe("opening the event socket", () => {
  it("is refused without any credential", async () => {
    await expectRefused(await openEvents(await finishedRun()), 401);
  });

  it("is refused with a bad token, another run's token, or an access token in place of a socket token", async () => {
    const runId = await finishedRun();
    const other = await finishedRun();
    await expectRefused(await openEvents(runId, { query: "?token=not-a-token" }), 401);
    await expectRefused(await openEvents(runId, { query: `?token=${await socketToken(other)}` }), 401);
    await expectRefused(await openEvents(runId, { query: `?token=${swarm.access}` }), 401);
  });

  it("refuses the session cookie from a foreign origin, accepts it from the dashboard", async () => {
    const runId = await finishedRun();
    const cookie = await login(swarm.user.email, swarm.user.password);
    await expectRefused(await openEvents(runId, { headers: { Cookie: cookie } }), 403);
    await expectRefused(await openEvents(runId, { headers: { Cookie: cookie, Origin: "https://evil.example" } }), 403);
    const res = await openEvents(runId, { headers: { Cookie: cookie, Origin: DASHBOARD_ORIGIN } });
    expect(res.status).toBe(101);
    res.webSocket?.accept();
    res.webSocket?.close();
  });

  it("accepts a socket token and a bearer credential", async () => {
    const runId = await finishedRun();
    for (const res of [
      await openEvents(runId, { query: `?token=${await socketToken(runId)}` }),
      await openEvents(runId, { headers: { Authorization: `Bearer ${swarm.access}` } }),
    ]) {
      expect(res.status).toBe(101);
      const w = watch(res);
      await w.closed;
      expect(w.messages.at(-1)).toMatchObject({ type: "result", final: true, status: "succeeded" });
    }
  });

  it("answers 404 for another workspace's run", async () => {
    const runId = await finishedRun();
    await expectRefused(await openEvents(runId, { headers: { Authorization: `Bearer ${outsiderAccess}` } }), 404);
  });
});

describe("watching a run", () => {
  it("gives a late joiner the history first, then the live events, each a protocol message in seq order", async () => {
    const model = new SwarmModel({ a: { reply: "one" }, b: { reply: "two", delayMs: 300 } });
    setProviderOverrides({ model });
    const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: swarm.ids("a", "b") });
    await waitFor(() => model.callsOf("b").length === 1);

    const w = watch(await openEvents(run.id, { query: `?token=${await socketToken(run.id)}` }));
    await w.closed;
    const types = w.messages.map((m) => m.type);
    expect(w.messages.map((m) => m.seq)).toEqual(w.messages.map((_, i) => i + 1));
    expect(types.slice(0, 4)).toEqual(["task", "assignment", "result", "assignment"]);
    expect(w.messages[2]).toMatchObject({ type: "result", final: false, step: 1, output: "one" });
    expect(w.messages.at(-1)).toMatchObject({
      type: "result",
      final: true,
      status: "succeeded",
      output: "two",
      steps_used: 2,
    });
    expect(w.messages.every((m: SwarmMessage) => m.v === 1 && m.run_id === run.id)).toBe(true);
  });

  it("answers a heartbeat with the run's status, refuses anything else, and streams a cancel", async () => {
    setProviderOverrides({ model: new SwarmModel({ a: { fail: "hang" } }) });
    const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: swarm.ids("a") });
    const w = watch(await openEvents(run.id, { query: `?token=${await socketToken(run.id)}` }));
    const replies = () => w.messages.filter((m) => m.seq === 0);

    w.socket.send(JSON.stringify({ v: 1, type: "heartbeat", run_id: run.id }));
    w.socket.send("{broken");
    w.socket.send(JSON.stringify({ v: 1, type: "gossip", run_id: run.id }));
    w.socket.send(JSON.stringify({ v: 1, type: "cancel", run_id: run.id, reason: "stop", by: null }));
    await waitFor(() => replies().length === 4);
    expect(replies()[0]).toMatchObject({ type: "heartbeat", status: "running" });
    expect(
      replies()
        .slice(1)
        .map((m) => (m.type === "error" ? m.code : m.type)),
    ).toEqual(["MALFORMED", "UNKNOWN_TYPE", "READ_ONLY"]);

    await expectStatus(200, "POST", `/api/swarm/runs/${run.id}/cancel`, { token: swarm.access });
    await w.closed;
    const live = w.messages.filter((m) => m.seq > 0).map((m) => m.type);
    expect(live.slice(-3)).toEqual(["result", "cancel", "result"]);
    expect(w.messages.at(-1)).toMatchObject({ type: "result", final: true, status: "cancelled" });
  });
});

describe("watchers after revocation", { timeout: 20_000 }, () => {
  let team: Team;
  let hangingAgent: string;
  const runs: string[] = [];

  beforeAll(async () => {
    team = await createTeam();
    hangingAgent = (await createSwarmAgents(team.admin.token, ["hang"])).hang ?? "";
  });

  afterEach(async () => {
    for (const id of runs.splice(0))
      await expectStatus(200, "POST", `/api/swarm/runs/${id}/cancel`, { token: team.admin.token });
  });

  /** A run of the team that stays open until the test's end. */
  async function openRun(): Promise<string> {
    setProviderOverrides({ model: new SwarmModel({ hang: { fail: "hang" } }) });
    const run = await startRun(team.admin.token, { strategy: "pipeline", task: "t", agent_ids: [hangingAgent] });
    runs.push(run.id);
    return run.id;
  }

  /** A fresh member of the team (so revoking them touches no other test). */
  async function member(): Promise<TestUser & { access: string }> {
    const user = await createUser();
    await addMember(team.admin.token, team.workspaceId, user, "user");
    return { ...user, access: (await token(user.email, user.password, team.workspaceId)).access_token };
  }

  /** A watcher that has received the run's history, with its close frame. */
  async function watching(res: Response): Promise<Watcher & { closedWith: Promise<Closed> }> {
    const w = watch(res);
    const closedWith = closeOf(w.socket);
    await waitFor(() => w.messages.some((m) => m.type === "task"));
    return { ...w, closedWith };
  }

  /** How a watcher whose credential was revoked is closed. */
  const REVOKED = [4401, "credential revoked"] as const;

  /**
   * Watches the run with `access`, ends that access with `end`, and checks the watcher is closed
   * with the given code and reason and that `access` is then refused (4401 and 4403 mirror HTTP 401 and 403).
   */
  async function expectAccessEnds(
    runId: string,
    access: Parameters<typeof openEvents>[1],
    end: (w: Watcher) => Promise<unknown>,
    [code, reason]: readonly [4401 | 4403, string],
  ): Promise<Watcher> {
    const w = await watching(await openEvents(runId, access));
    const since = Date.now();
    await end(w);
    await expectClosed(w.closedWith, since, code, reason);
    await expectRefused(await openEvents(runId, access), code - 4000);
    return w;
  }

  const socketToken = async (
    runId: string,
    auth: { token?: string; cookie?: string; headers?: Record<string, string> },
  ) => (await expectStatus<SwarmSocketToken>(200, "POST", `/api/swarm/runs/${runId}/socket-token`, auth)).token;

  it("sign-out ends the session's watchers (cookie and the tokens it minted) but not another session's; neither reconnects", async () => {
    const runId = await openRun();
    const m = await member();
    const inTeam = { "X-Workspace-Id": team.workspaceId };
    const [cookie, otherCookie] = [await login(m.email, m.password), await login(m.email, m.password)];
    const minted = await socketToken(runId, { cookie, headers: inTeam });
    const byCookie = await watching(
      await openEvents(runId, { headers: { Cookie: cookie, Origin: DASHBOARD_ORIGIN, ...inTeam } }),
    );
    const byToken = await watching(await openEvents(runId, { query: `?token=${minted}` }));
    const otherSession = await watching(
      await openEvents(runId, { headers: { Cookie: otherCookie, Origin: DASHBOARD_ORIGIN, ...inTeam } }),
    );

    const since = Date.now();
    await expectStatus(204, "POST", "/api/auth/logout", { cookie });
    await expectClosed(byCookie.closedWith, since, ...REVOKED);
    await expectClosed(byToken.closedWith, since, ...REVOKED);

    await expectRefused(
      await openEvents(runId, { headers: { Cookie: cookie, Origin: DASHBOARD_ORIGIN, ...inTeam } }),
      401,
    );
    await expectRefused(await openEvents(runId, { query: `?token=${minted}` }), 401);
    await expectStillOpen(otherSession.socket);
  });

  it("an API client's sign-out ends the watchers opened with its access token", async () => {
    const runId = await openRun();
    const m = await member();
    await expectAccessEnds(
      runId,
      { headers: { Authorization: `Bearer ${m.access}` } },
      () => expectStatus(204, "POST", "/api/auth/logout", { token: m.access }),
      REVOKED,
    );
  });

  it("disabling the user closes their watchers; their tokens open nothing", async () => {
    const runId = await openRun();
    const m = await member();
    const minted = await socketToken(runId, { token: m.access });
    await expectAccessEnds(
      runId,
      { query: `?token=${minted}` },
      async () =>
        expectStatus(200, "PATCH", `/api/users/${m.id}`, { token: await adminToken(), body: { disabled: true } }),
      [4401, "user disabled"],
    );
  });

  it("revoking an API key closes the watchers opened with it", async () => {
    const runId = await openRun();
    const m = await member();
    const key = await apiKey(m.access, ["swarm"]);
    await expectAccessEnds(
      runId,
      { headers: { Authorization: `Bearer ${key.key}` } },
      () => expectStatus(204, "DELETE", `/api/keys/${key.id}`, { token: m.access }),
      REVOKED,
    );
  });

  it("removing the member closes their watchers and a heartbeat gets no answer; their tokens open nothing", async () => {
    const runId = await openRun();
    const m = await member();
    const minted = await socketToken(runId, { token: m.access });
    const w = await expectAccessEnds(
      runId,
      { query: `?token=${minted}` },
      async (watcher) => {
        await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${m.id}`, {
          token: team.admin.token,
        });
        // The message is checked too: no status for someone who may no longer see the run.
        watcher.socket.send(JSON.stringify({ v: 1, type: "heartbeat", run_id: runId }));
      },
      [4403, "removed from the workspace"],
    );
    expect(w.messages.filter((m) => m.seq === 0)).toEqual([]);
  });
});
