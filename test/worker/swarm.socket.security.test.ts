// The run's event WebSocket: refused without a valid credential (token bound to the run,
// cookie from the dashboard's origin only, or bearer), another workspace's run is not found;
// a watcher gets the whole history first, then live events, and may only ping.
import { beforeAll, describe, expect, it } from "vitest";
import type { SwarmMessage, SwarmSocketToken } from "../../shared/swarm-protocol";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { createUser, DASHBOARD_ORIGIN, expectStatus, login, token, type ErrorBody } from "./helpers/harness";
import { openEvents, startRun, SwarmModel, useSwarmFixture, waitFor, waitForRun, watch } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b"]);
const id = swarm.id;
let outsiderAccess: string;

beforeAll(async () => {
  const outsider = await createUser();
  outsiderAccess = (await token(outsider.email, outsider.password)).access_token;
});

const socketToken = async (runId: string, bearer = swarm.access) => (await expectStatus<SwarmSocketToken>(200, "POST", `/api/swarm/runs/${runId}/socket-token`, { token: bearer })).token;

async function finishedRun(): Promise<string> {
  setProviderOverrides({ model: new SwarmModel({}) });
  const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: [id("a")] });
  await waitForRun(swarm.access, run.id);
  return run.id;
}

async function expectRefused(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
  expect(((await res.json()) as ErrorBody).error.code).toBe(status === 401 ? "UNAUTHENTICATED" : status === 403 ? "FORBIDDEN" : "NOT_FOUND");
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
    for (const res of [await openEvents(runId, { query: `?token=${await socketToken(runId)}` }), await openEvents(runId, { headers: { Authorization: `Bearer ${swarm.access}` } })]) {
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
    const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: [id("a"), id("b")] });
    await waitFor(() => model.callsOf("b").length === 1);

    const w = watch(await openEvents(run.id, { query: `?token=${await socketToken(run.id)}` }));
    await w.closed;
    const types = w.messages.map((m) => m.type);
    expect(w.messages.map((m) => m.seq)).toEqual(w.messages.map((_, i) => i + 1));
    expect(types.slice(0, 4)).toEqual(["task", "assignment", "result", "assignment"]);
    expect(w.messages[2]).toMatchObject({ type: "result", final: false, step: 1, output: "one" });
    expect(w.messages.at(-1)).toMatchObject({ type: "result", final: true, status: "succeeded", output: "two", steps_used: 2 });
    expect(w.messages.every((m: SwarmMessage) => m.v === 1 && m.run_id === run.id)).toBe(true);
  });

  it("answers a heartbeat with the run's status, refuses anything else, and streams a cancel", async () => {
    setProviderOverrides({ model: new SwarmModel({ a: { fail: "hang" } }) });
    const run = await startRun(swarm.access, { strategy: "pipeline", task: "t", agent_ids: [id("a")] });
    const w = watch(await openEvents(run.id, { query: `?token=${await socketToken(run.id)}` }));
    const replies = () => w.messages.filter((m) => m.seq === 0);

    w.socket.send(JSON.stringify({ v: 1, type: "heartbeat", run_id: run.id }));
    w.socket.send("{broken");
    w.socket.send(JSON.stringify({ v: 1, type: "gossip", run_id: run.id }));
    w.socket.send(JSON.stringify({ v: 1, type: "cancel", run_id: run.id, reason: "stop", by: null }));
    await waitFor(() => replies().length === 4);
    expect(replies()[0]).toMatchObject({ type: "heartbeat", status: "running" });
    expect(replies().slice(1).map((m) => (m.type === "error" ? m.code : m.type))).toEqual(["MALFORMED", "UNKNOWN_TYPE", "READ_ONLY"]);

    await expectStatus(200, "POST", `/api/swarm/runs/${run.id}/cancel`, { token: swarm.access });
    await w.closed;
    const live = w.messages.filter((m) => m.seq > 0).map((m) => m.type);
    expect(live.slice(-3)).toEqual(["result", "cancel", "result"]);
    expect(w.messages.at(-1)).toMatchObject({ type: "result", final: true, status: "cancelled" });
  });
});
