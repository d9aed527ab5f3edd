// Bad input to the safety API gets the error envelope with a 400 (never a 500), and a refused
// policy change leaves the stored policy as it was.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_CHECK_CHARS, type WorkspacePolicyResponse } from "../../worker/safety/schemas";
import { api, createTeam, type ErrorBody, expectStatus, type Team } from "./helpers/harness";

let team: Team;

beforeAll(async () => {
  team = await createTeam("Safety errors");
});

function expectEnvelope(res: { status: number; body: unknown }, status = 400, code = "VALIDATION_ERROR") {
  expect(res.status).toBe(status);
  const { error } = res.body as ErrorBody;
  expect(error.code).toBe(code);
  expect(error.request_id).toMatch(/^req_/);
  expect(Date.parse(error.timestamp)).toBeGreaterThan(0);
}

describe("POST /api/safety/check with bad input", () => {
  const bodies: [string, unknown][] = [
    ["no text", {}],
    ["empty text", { text: "" }],
    ["text too long", { text: "a".repeat(MAX_CHECK_CHARS + 1) }],
    ["text not a string", { text: 42 }],
    ["unknown stage", { text: "hello", stage: "everywhere" }],
    ["empty agent id", { text: "hello", agent_id: "" }],
    ["unknown field", { text: "hello", verdict: "allow" }],
    ["an array", [{ text: "hello" }]],
    ["null", null],
  ];

  it.each(bodies)("%s: 400", async (_name, body) => {
    expectEnvelope(await api("POST", "/api/safety/check", { token: team.user.token, body }));
  });

  it("malformed JSON: 400", async () => {
    const res = await api("POST", "/api/safety/check", { token: team.user.token, body: '{"text": "unterminated' });
    expectEnvelope(res, 400, "BAD_REQUEST");
  });

  it("accepts the longest text allowed", async () => {
    const text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(600).slice(0, MAX_CHECK_CHARS);
    expect((await api("POST", "/api/safety/check", { token: team.user.token, body: { text } })).status).toBe(200);
  });
});

describe("GET /api/safety/events with bad filters", () => {
  it.each([
    "?stage=nowhere",
    "?detector=astrology",
    "?action=nuke",
    "?since=yesterday",
    "?until=2026-13-45T00:00:00Z",
    "?limit=0",
    "?limit=1000",
    "?cursor=not-a-cursor",
    `?agent_id=${"x".repeat(65)}`,
  ])("%s: 400", async (query) => {
    expectEnvelope(await api("GET", `/api/safety/events${query}`, { token: team.admin.token }));
  });
});

describe("PUT /api/workspaces/:id/safety-policy with a bad policy", () => {
  it.each<[string, unknown]>([
    ["unknown stage", { everywhere: { enabled: true } }],
    ["unknown detector", { input: { detectors: { astrology: { action: "block" } } } }],
    ["unknown action", { input: { detectors: { pii: { action: "nuke" } } } }],
    ["threshold above 1", { input: { detectors: { pii: { action: "flag", threshold: 2 } } } }],
    ["negative threshold", { output: { detectors: { secrets: { action: "redact", threshold: -0.1 } } } }],
    ["enabled not a boolean", { input: { enabled: "yes" } }],
    ["the legacy agent shape", { input_guard: true, action: "block" }],
    ["a JSON string", JSON.stringify("block everything")],
  ])("%s: 400, and the stored policy is unchanged", async (_name, body) => {
    const path = `/api/workspaces/${team.workspaceId}/safety-policy`;
    const stored = { output: { detectors: { pii: { action: "block" } } } };
    await expectStatus(200, "PUT", path, { token: team.admin.token, body: stored });
    expectEnvelope(await api("PUT", path, { token: team.admin.token, body }));
    expect((await expectStatus<WorkspacePolicyResponse>(200, "GET", path, { token: team.admin.token })).policy).toEqual(
      stored,
    );
  });

  it("a workspace id that is not one of mine: 404", async () => {
    expectEnvelope(
      await api("GET", "/api/workspaces/ws_missing/safety-policy", { token: team.admin.token }),
      404,
      "NOT_FOUND",
    );
  });
});
