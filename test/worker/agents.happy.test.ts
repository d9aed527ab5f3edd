// Agent definitions: create with defaults, read, list with cursor pagination, change (a new
// version every time the definition changes), list versions, roll back, soft delete.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Agent, AgentVersion } from "../../worker/agents/schemas";
import { createAgent } from "./helpers/chat";
import { api, expectStatus, newUserAccess, pagesOf } from "./helpers/harness";

let access: string;

beforeAll(async () => {
  access = await newUserAccess();
});

const fresh = { "Cache-Control": "no-cache" };
const get = (id: string) => expectStatus<Agent>(200, "GET", `/api/agents/${id}`, { token: access, headers: fresh });

describe("agents", () => {
  it("creates an agent with defaults filled in, at version 1", async () => {
    const agent = await createAgent(access, { name: "  Researcher  " });
    expect(agent).toMatchObject({
      name: "Researcher",
      description: "",
      visibility: "workspace",
      version: 1,
      tokens_in: 0,
      tokens_out: 0,
      can_edit: true,
      definition: {
        name: "Researcher",
        system_prompt: "",
        model: { provider: "offline", id: "offline" },
        fallback_models: [],
        temperature: 0.7,
        max_tokens: 1024,
        tools: [],
        knowledge_base_ids: [],
        safety: {},
        max_steps: 5,
      },
    });
    expect(agent.id).toMatch(/^agt_/);
    expect(await get(agent.id)).toEqual({ ...agent, usage: { calls: 0, tokens: 0, cost_usd: 0 } });
  });

  it("stores a full definition as given", async () => {
    const definition = {
      name: "Analyst",
      description: "Crunches numbers",
      system_prompt: "Be precise.",
      model: { provider: "workers-ai" as const, id: "@cf/meta/llama-3.1-8b-instruct" },
      fallback_models: [{ provider: "openai-compatible" as const, id: "llama3.1" }],
      temperature: 0.1,
      max_tokens: 512,
      tools: ["calculator" as const, "current_time" as const],
      knowledge_base_ids: [],
      safety: { input: { enabled: false }, output: { detectors: { pii: { action: "block" as const } } } },
      max_steps: 8,
      allow_system_override: true,
    };
    const agent = await createAgent(access, { ...definition, visibility: "private" });
    expect(agent.definition).toEqual(definition);
    expect(agent.visibility).toBe("private");
  });

  it("makes a new version for each definition change and keeps the old ones", async () => {
    const agent = await createAgent(access, { name: "V", system_prompt: "one" });
    const v2 = await expectStatus<Agent>(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { system_prompt: "two", safety: { output: { detectors: { pii: { action: "flag" } } } } },
    });
    expect(v2.version).toBe(2);
    expect(v2.definition.system_prompt).toBe("two");
    expect(v2.definition.safety).toEqual({ output: { detectors: { pii: { action: "flag" } } } });
    const v3 = await expectStatus<Agent>(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { name: "V3", expected_version: 2 },
    });
    expect(v3).toMatchObject({ version: 3, name: "V3" });

    const onlyVisibility = await expectStatus<Agent>(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { visibility: "private" },
    });
    expect(onlyVisibility).toMatchObject({ version: 3, visibility: "private" });

    const versions = await expectStatus<{ data: AgentVersion[]; next_cursor: string | null }>(
      200,
      "GET",
      `/api/agents/${agent.id}/versions`,
      { token: access, headers: fresh },
    );
    expect(versions.data.map((v) => [v.version, v.definition.system_prompt, v.current])).toEqual([
      [3, "two", true],
      [2, "two", false],
      [1, "one", false],
    ]);
    expect(versions.next_cursor).toBeNull();
  });

  it("rolls back by writing the old definition as a new version", async () => {
    const agent = await createAgent(access, { name: "R", system_prompt: "original", tools: ["calculator"] });
    await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { name: "R2", system_prompt: "changed", tools: [] },
    });
    const rolled = await expectStatus<Agent>(200, "POST", `/api/agents/${agent.id}/versions/1/rollback`, {
      token: access,
      body: { expected_version: 2 },
    });
    expect(rolled).toMatchObject({
      version: 3,
      name: "R",
      definition: { system_prompt: "original", tools: ["calculator"] },
    });
    const noBody = await api<Agent>("POST", `/api/agents/${agent.id}/versions/2/rollback`, { token: access });
    expect(noBody.status).toBe(200);
    expect(noBody.body).toMatchObject({ version: 4, name: "R2" });
  });

  it("stores no version for an edit or a rollback that changes nothing", async () => {
    const agent = await createAgent(access, { name: "Same", system_prompt: "steady", tools: ["calculator"] });
    const same = await expectStatus<Agent>(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { system_prompt: "steady", tools: ["calculator"] },
    });
    expect(same.version).toBe(1);
    const current = await expectStatus<Agent>(200, "POST", `/api/agents/${agent.id}/versions/1/rollback`, {
      token: access,
      body: {},
    });
    expect(current.version).toBe(1);
    await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, { token: access, body: { system_prompt: "moved" } });
    // Version 3 would equal version 2, which is current: none is stored.
    const again = await expectStatus<Agent>(200, "POST", `/api/agents/${agent.id}/versions/2/rollback`, {
      token: access,
      body: {},
    });
    expect(again.version).toBe(2);
    const versions = await expectStatus<{ data: AgentVersion[] }>(200, "GET", `/api/agents/${agent.id}/versions`, {
      token: access,
      headers: fresh,
    });
    expect(versions.data.map((v) => v.version)).toEqual([2, 1]);
  });

  it("audits what an edit changed: tools added and removed, short values from/to, the prompt by length", async () => {
    const agent = await createAgent(access, { name: "Trail", tools: ["calculator"] });
    await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { tools: ["http_get"], temperature: 0.2, system_prompt: "x".repeat(300) },
    });
    const row = await env.DB.prepare("SELECT detail FROM audit_logs WHERE target_id = ? AND action = 'agent.update'")
      .bind(agent.id)
      .first<{ detail: string }>();
    expect(JSON.parse(row?.detail ?? "null")).toEqual({
      version: 2,
      changes: {
        tools: { added: ["http_get"], removed: ["calculator"] },
        temperature: { from: 0.7, to: 0.2 },
        system_prompt: { from_length: 0, to_length: 300 },
      },
    });
  });

  it("pages through agents with a cursor, newest first", async () => {
    const t = await newUserAccess();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createAgent(t, { name: `Paged ${i}` })).id);
    const pages = await pagesOf<Agent>("/api/agents", 2, { token: t, headers: fresh });
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(pages.flat().map((a) => a.id)).toEqual([...made].reverse());
  });

  it("soft-deletes: the agent disappears from the API but its rows and versions remain", async () => {
    const agent = await createAgent(access, { name: "Doomed" });
    expect((await api("DELETE", `/api/agents/${agent.id}`, { token: access })).status).toBe(204);
    expect((await api("GET", `/api/agents/${agent.id}`, { token: access, headers: fresh })).status).toBe(404);
    expect((await api("DELETE", `/api/agents/${agent.id}`, { token: access })).status).toBe(404);
    const list = await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token: access,
      headers: fresh,
    });
    expect(list.data.map((a) => a.id)).not.toContain(agent.id);
    const row = await env.DB.prepare("SELECT deleted_at FROM agents WHERE id = ?")
      .bind(agent.id)
      .first<{ deleted_at: number | null }>();
    expect(row?.deleted_at).toBeGreaterThan(0);
    const versions = await env.DB.prepare("SELECT COUNT(*) AS n FROM agent_versions WHERE agent_id = ?")
      .bind(agent.id)
      .first<{ n: number }>();
    expect(versions?.n).toBe(1);
  });

  it("writes an audit row for every change", async () => {
    const agent = await createAgent(access, { name: "Audited" });
    await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, { token: access, body: { description: "x" } });
    await expectStatus(200, "POST", `/api/agents/${agent.id}/versions/1/rollback`, { token: access, body: {} });
    await api("DELETE", `/api/agents/${agent.id}`, { token: access });
    const rows = await env.DB.prepare("SELECT action FROM audit_logs WHERE target_id = ? ORDER BY created_at, rowid")
      .bind(agent.id)
      .all<{ action: string }>();
    expect(rows.results.map((r) => r.action)).toEqual([
      "agent.create",
      "agent.update",
      "agent.rollback",
      "agent.delete",
    ]);
  });
});

describe("OpenAPI document", () => {
  it("documents the agent, chat, conversation, OpenAI and MCP routes and the chat event schema", async () => {
    const doc = await expectStatus<{
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { oneOf?: unknown[] }> };
    }>(200, "GET", "/api/openapi.json");
    for (const path of [
      "/api/agents",
      "/api/agents/{id}",
      "/api/agents/{id}/versions",
      "/api/agents/{id}/versions/{version}/rollback",
      "/api/agents/{id}/chat",
      "/api/conversations",
      "/api/conversations/{id}",
      "/api/conversations/{id}/cancel",
      "/api/conversations/{id}/approvals/{callId}",
      "/api/conversations/{id}/socket-token",
      "/agents/{agent}/{name}",
      "/v1/chat/completions",
      "/v1/models",
      "/mcp",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.components.schemas.ChatEvent?.oneOf).toHaveLength(11);
    expect(doc.components.schemas).toHaveProperty("AgentDefinition");
  });
});
