// Links from records to their traces, through the public API: a chat message, a swarm step and
// an audit entry each carry the trace id of the request (or the run's drive) that wrote it, so
// the dashboard links to the waterfall. The id is the one the response's X-Trace-Id named.
// These need the tracer's HTTP middleware and its propagation into Durable Objects (trace-core).
import { describe, expect, it } from "vitest";
import type { AuditPage } from "../../worker/audit/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { chatRequest, createAgent, parseSse } from "./helpers/chat";
import { api, expectStatus } from "./helpers/harness";
import { useSwarmFixture } from "./swarm.helpers";

const TRACE_ID = /^[0-9a-f]{32}$/;

const swarm = useSwarmFixture(["a", "b"]);

describe("trace links", () => {
  it("a chat message's trace_id is the X-Trace-Id of the request that sent it", async () => {
    const agent = await createAgent(swarm.access, { name: "Linked" });
    const res = await chatRequest(swarm.access, agent.id, "Where is the trace?");
    expect(res.status).toBe(200);
    const traceId = res.headers.get("X-Trace-Id");
    expect(traceId).toMatch(TRACE_ID);
    const start = parseSse(await res.text()).find((e) => e.type === "start");
    const conversationId = start?.type === "start" ? start.conversation_id : "";
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
      token: swarm.access,
    });
    expect(detail.messages.data.map((m) => [m.role, m.trace_id])).toEqual([
      ["user", traceId],
      ["assistant", traceId],
    ]);
  });

  it("an audit entry's trace_id is the X-Trace-Id of the audited request", async () => {
    const res = await api<{ id: string }>("POST", "/api/agents", { token: swarm.access, body: { name: "Audited" } });
    expect(res.status).toBe(201);
    const traceId = res.headers.get("X-Trace-Id");
    expect(traceId).toMatch(TRACE_ID);
    const page = await expectStatus<AuditPage>(200, "GET", `/api/audit?target=${res.body.id}`, {
      token: swarm.access,
    });
    expect(page.data.map((e) => [e.action, e.trace_id])).toEqual([["agent.create", traceId]]);
  });

  it("every step of a swarm run names the trace it ran in", async () => {
    const run = await swarm.run({ strategy: "pipeline", task: "Name three bees", agent_ids: swarm.ids("a", "b") });
    expect(run.steps.length).toBeGreaterThan(0);
    for (const step of run.steps) expect(step.trace_id).toMatch(TRACE_ID);
  });
});
