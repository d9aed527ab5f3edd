// Bad agent definitions and bad requests get the error envelope with the offending fields,
// and leave what is stored untouched.
import { beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { createAgent } from "./helpers/chat";
import { api, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { name: "Stable", system_prompt: "keep me" });
});

const fields = (body: ErrorBody) => (body.error.details.fields as { path: string }[]).map((f) => f.path);

describe("invalid agent definitions", () => {
  it.each([
    ["no name", {}, ["name"]],
    ["blank name", { name: "   " }, ["name"]],
    ["too long a name", { name: "x".repeat(101) }, ["name"]],
    ["temperature out of range", { name: "a", temperature: 3 }, ["temperature"]],
    ["zero max_tokens", { name: "a", max_tokens: 0 }, ["max_tokens"]],
    ["an unknown tool", { name: "a", tools: ["shell"] }, ["tools.0"]],
    ["a repeated tool", { name: "a", tools: ["calculator", "calculator"] }, ["tools"]],
    ["a malformed knowledge base id", { name: "a", knowledge_base_ids: ["../etc"] }, ["knowledge_base_ids.0"]],
    ["an unknown model provider", { name: "a", model: { provider: "skynet", id: "x" } }, ["model.provider"]],
    [
      "too many fallbacks",
      { name: "a", fallback_models: Array(4).fill({ provider: "offline", id: "offline" }) },
      ["fallback_models"],
    ],
    ["max_steps above 20", { name: "a", max_steps: 21 }, ["max_steps"]],
    ["an unknown field", { name: "a", owner_id: "usr_someone" }, [""]],
    ["a wrong type", { name: 42 }, ["name"]],
  ])("refuses %s with 400 and the field", async (_label, body, paths) => {
    const res = await api<ErrorBody>("POST", "/api/agents", { token: access, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    for (const p of paths) expect(fields(res.body)).toContain(p);
  });

  it("refuses definitions it cannot run with 422", async () => {
    const cases = [
      { model: { provider: "workers-ai", id: "llama" } },
      { model: { provider: "scripted", id: "lots" } },
      { knowledge_base_ids: ["kb_doesnotexist"] },
    ];
    for (const extra of cases) {
      const res = await api<ErrorBody>("POST", "/api/agents", { token: access, body: { name: "x", ...extra } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("UNPROCESSABLE");
    }
  });

  it("refuses malformed JSON", async () => {
    const res = await api<ErrorBody>("POST", "/api/agents", {
      token: access,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toHaveProperty("request_id");
  });
});

describe("invalid changes", () => {
  it("refuses an empty update and an update with only expected_version", async () => {
    for (const body of [{}, { expected_version: 1 }]) {
      const res = await api<ErrorBody>("PATCH", `/api/agents/${agent.id}`, { token: access, body });
      expect(res.status).toBe(400);
    }
  });

  it("answers 409 for a stale expected_version and changes nothing", async () => {
    const res = await api<ErrorBody>("PATCH", `/api/agents/${agent.id}`, {
      token: access,
      body: { system_prompt: "lost update", expected_version: 7 },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "CONFLICT", details: { current_version: 1 } });
    const rollback = await api<ErrorBody>("POST", `/api/agents/${agent.id}/versions/1/rollback`, {
      token: access,
      body: { expected_version: 9 },
    });
    expect(rollback.status).toBe(409);
  });

  it("keeps the stored definition intact after rejected updates", async () => {
    const bad = [
      { temperature: -1 },
      { tools: ["nope"] },
      { knowledge_base_ids: ["kb_missing"] },
      { model: { provider: "workers-ai", id: "bad" } },
    ];
    for (const body of bad)
      expect((await api("PATCH", `/api/agents/${agent.id}`, { token: access, body })).status).toBeGreaterThanOrEqual(
        400,
      );
    const now = await expectStatus<Agent>(200, "GET", `/api/agents/${agent.id}`, {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(now.version).toBe(1);
    expect(now.definition).toEqual(agent.definition);
  });

  it("answers 404 for a version that does not exist and 400 for one that is not a number", async () => {
    expect(
      (await api("POST", `/api/agents/${agent.id}/versions/99/rollback`, { token: access, body: {} })).status,
    ).toBe(404);
    expect(
      (await api("POST", `/api/agents/${agent.id}/versions/abc/rollback`, { token: access, body: {} })).status,
    ).toBe(400);
    expect((await api("POST", `/api/agents/${agent.id}/versions/0/rollback`, { token: access, body: {} })).status).toBe(
      400,
    );
  });

  it("answers 400 for a cursor it did not issue", async () => {
    for (const path of [
      "/api/agents?cursor=garbage",
      `/api/agents/${agent.id}/versions?cursor=-3`,
      "/api/agents?limit=1000",
    ]) {
      const res = await api<ErrorBody>("GET", path, { token: access });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });
});
