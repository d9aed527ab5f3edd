// Storage faults reach the client as what they are: a D1 that cannot answer is a 503 with the
// envelope and Retry-After (never a 500), and a failed write leaves nothing half-written.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { D1_OUTAGE, faultyD1, fetchWith } from "./helpers/faulty-env";
import { type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";

let access: string;

beforeAll(async () => {
  access = await newUserAccess();
});

const agentNames = async () =>
  (
    await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    })
  ).data.map((a) => a.name);

function expectUnavailable(res: { status: number; body: unknown; headers: Headers }) {
  expect(res.status).toBe(503);
  expect(res.headers.get("Retry-After")).toBe("1");
  const { error } = res.body as ErrorBody;
  expect(error).toMatchObject({ code: "UNAVAILABLE", details: { retry_after_seconds: 1 } });
  expect(error.request_id).toMatch(/^req_/);
  expect(JSON.stringify(error)).not.toContain(D1_OUTAGE);
}

describe("D1 outage", () => {
  it("answers a read 503 with the envelope and Retry-After, not 500", async () => {
    const db = faultyD1(/agents/i);
    const res = await fetchWith({ DB: db }, "GET", "/api/agents", {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(db.failures.length).toBeGreaterThan(0);
    expectUnavailable(res);
  });

  it("answers a create 503 and stores neither the agent nor its first version", async () => {
    const db = faultyD1(/insert into "agent_versions"/i);
    const res = await fetchWith({ DB: db }, "POST", "/api/agents", { token: access, body: { name: "Half written" } });
    expectUnavailable(res);
    expect(await agentNames()).not.toContain("Half written");
    const versions = await env.DB.prepare(
      "SELECT count(*) AS n FROM agent_versions v JOIN agents a ON a.id = v.agent_id WHERE a.name = ?",
    )
      .bind("Half written")
      .first<{ n: number }>();
    expect(versions?.n).toBe(0);
  });

  it("writes an agent and its audit row together: a failed audit write leaves no agent behind", async () => {
    const db = faultyD1(/insert into "audit_logs"/i);
    const res = await fetchWith({ DB: db }, "POST", "/api/agents", { token: access, body: { name: "Unaudited" } });
    expectUnavailable(res);
    expect(db.failures).toHaveLength(1);
    expect(await agentNames()).not.toContain("Unaudited");
  });

  it("writes a knowledge base and a workspace with their audit rows: a failed audit write leaves neither", async () => {
    const kbDb = faultyD1(/insert into "audit_logs"/i);
    const kb = await fetchWith({ DB: kbDb }, "POST", "/api/knowledge-bases", {
      token: access,
      body: { name: "Unaudited KB" },
    });
    expectUnavailable(kb);
    const wsDb = faultyD1(/insert into "audit_logs"/i);
    const ws = await fetchWith({ DB: wsDb }, "POST", "/api/workspaces", {
      token: access,
      body: { name: "Unaudited WS" },
    });
    expectUnavailable(ws);
    const left = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM knowledge_bases WHERE name = ?1) + (SELECT count(*) FROM workspaces WHERE name = ?2) AS n",
    )
      .bind("Unaudited KB", "Unaudited WS")
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    // And with D1 answering, both are created with their audit rows.
    await expectStatus(201, "POST", "/api/knowledge-bases", { token: access, body: { name: "Audited KB" } });
    await expectStatus(201, "POST", "/api/workspaces", { token: access, body: { name: "Audited WS" } });
    const audited = await env.DB.prepare(
      "SELECT action FROM audit_logs WHERE action IN ('knowledge_base.create', 'workspace.create') AND detail LIKE '%Audited%'",
    ).all<{ action: string }>();
    expect(audited.results.map((r) => r.action).sort()).toEqual(["knowledge_base.create", "workspace.create"]);
  });

  it("writes a swarm run with its audit row: a failed audit write leaves no run and starts no coordinator", async () => {
    const ids: string[] = [];
    for (const name of ["Faults drafter", "Faults editor"])
      ids.push((await expectStatus<Agent>(201, "POST", "/api/agents", { token: access, body: { name } })).id);
    const db = faultyD1(/insert into "audit_logs"/i);
    const task = "Summarise the storage fault handling for the release note";
    const res = await fetchWith({ DB: db }, "POST", "/api/swarm/runs", {
      token: access,
      body: { strategy: "pipeline", task, agent_ids: ids },
    });
    expectUnavailable(res);
    const runs = await env.DB.prepare("SELECT count(*) AS n FROM swarm_runs WHERE task = ?")
      .bind(task)
      .first<{ n: number }>();
    expect(runs?.n).toBe(0);
  });

  it("still answers 500 for a statement D1 refused (a bug, not an outage)", async () => {
    const refusing = faultyD1(/^$/);
    refusing.prepare = () => {
      throw new Error("D1_ERROR: no such table: agents: SQLITE_ERROR");
    };
    const res = await fetchWith({ DB: refusing }, "GET", "/api/agents", {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(res.status).toBe(500);
    expect((res.body as ErrorBody).error.code).toBe("INTERNAL");
  });
});
