// Evaluation datasets belong to their workspace: another tenant gets 404 for every route; members
// of every role read them, read-only members change nothing; API keys need the `evals` scope; and
// "add to dataset" takes only the caller's own conversation in this workspace.
import type { EvalCaseChange, EvalDataset } from "@hive/shared/api-types/evals";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { addCases, createDataset, exportJsonl, importRequest } from "./evals.datasets.helpers";
import { chat, createAgent } from "./helpers/chat";
import {
  api,
  apiKey,
  createTeam,
  type ErrorBody,
  expectStatus,
  newUserAccess,
  type Team,
  token,
} from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let team: Team;
let dataset: EvalDataset;
let caseId: string;

beforeAll(async () => {
  team = await createTeam();
  dataset = await createDataset(team.admin.token, "Team set");
  caseId =
    (await addCases(team.admin.token, dataset.id, [{ input: { message: "secret question" } }])).cases[0]?.id ?? "";
});

afterEach(() => clearProviderOverrides());

const CASE = { input: { message: "another" } };

/** Every dataset route, as one caller would call it. */
const everyRoute = (t: string, id: string, cid: string) => [
  api("GET", `/api/evals/datasets/${id}`, { token: t }),
  api("PATCH", `/api/evals/datasets/${id}`, { token: t, body: { name: "Stolen" } }),
  api("GET", `/api/evals/datasets/${id}/cases`, { token: t }),
  api("POST", `/api/evals/datasets/${id}/cases`, { token: t, body: CASE }),
  api("PUT", `/api/evals/datasets/${id}/cases/${cid}`, { token: t, body: CASE }),
  api("DELETE", `/api/evals/datasets/${id}/cases/${cid}`, { token: t }),
  api("POST", `/api/evals/datasets/${id}/cases/from-conversation`, { token: t, body: { conversation_id: "conv_x" } }),
  api("POST", `/api/evals/datasets/${id}/import`, { token: t, body: { jsonl: JSON.stringify(CASE) } }),
  api("GET", `/api/evals/datasets/${id}/export`, { token: t }),
  api("DELETE", `/api/evals/datasets/${id}`, { token: t }),
];

const unchanged = async () => {
  const now = await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${dataset.id}`, {
    token: team.admin.token,
  });
  expect(now).toMatchObject({ name: "Team set", version: 2, case_count: 1 });
};

describe("tenancy", () => {
  it("another workspace's member gets 404 everywhere, and sees none of its datasets", async () => {
    const stranger = await newUserAccess();
    for (const res of await Promise.all(everyRoute(stranger, dataset.id, caseId))) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain("secret question");
    }
    const list = await expectStatus<{ data: EvalDataset[] }>(200, "GET", "/api/evals/datasets", { token: stranger });
    expect(list.data).toEqual([]);
    // The same name is free in another workspace.
    await createDataset(stranger, "Team set");
    await unchanged();
  });

  it("a team member's own personal workspace does not reach the team's datasets", async () => {
    const personal = (await token(team.user.email, team.user.password)).access_token;
    for (const res of await Promise.all(everyRoute(personal, dataset.id, caseId))) expect(res.status).toBe(404);
    await unchanged();
  });
});

describe("roles and scopes", () => {
  it("read-only members read and export but change nothing (403)", async () => {
    const t = team.readOnly.token;
    await expectStatus(200, "GET", `/api/evals/datasets/${dataset.id}`, { token: t });
    await expectStatus(200, "GET", `/api/evals/datasets/${dataset.id}/cases`, { token: t });
    expect((await exportJsonl(t, dataset.id)).text).toContain("secret question");
    const writes = everyRoute(t, dataset.id, caseId).filter((_, i) => ![0, 2, 8].includes(i));
    for (const res of await Promise.all(writes)) {
      expect(res.status).toBe(403);
      expect((res.body as ErrorBody).error.code).toBe("FORBIDDEN");
    }
    expect((await api("POST", "/api/evals/datasets", { token: t, body: { name: "Mine" } })).status).toBe(403);
    expect((await importRequest(t, dataset.id, JSON.stringify(CASE))).status).toBe(403);
    await unchanged();
  });

  it("users create and change datasets", async () => {
    const mine = await createDataset(team.user.token);
    await addCases(team.user.token, mine.id, [CASE]);
    const theirs = await expectStatus<EvalCaseChange>(201, "POST", `/api/evals/datasets/${mine.id}/cases`, {
      token: team.admin.token,
      body: CASE,
    });
    expect(theirs.dataset.version).toBe(3);
  });

  it("API keys need the evals scope", async () => {
    const withScope = (await apiKey(team.admin.token, ["evals"])).key;
    const without = (await apiKey(team.admin.token, ["chat", "agents:read", "knowledge:write"])).key;
    await expectStatus(200, "GET", `/api/evals/datasets/${dataset.id}/cases`, { token: withScope });
    const made = await createDataset(withScope, "By key");
    await expectStatus(201, "POST", `/api/evals/datasets/${made.id}/cases`, { token: withScope, body: CASE });
    for (const res of await Promise.all(everyRoute(without, dataset.id, caseId))) expect(res.status).toBe(403);
    expect((await api("GET", "/api/evals/datasets", { token: without })).status).toBe(403);
    await unchanged();
  });

  it("refuses anonymous callers", async () => {
    expect((await api("GET", "/api/evals/datasets")).status).toBe(401);
    expect((await api("GET", `/api/evals/datasets/${dataset.id}/export`)).status).toBe(401);
  });
});

describe("cases from conversations", () => {
  it("refuses another member's conversation and the caller's own from another workspace", async () => {
    setProviderOverrides({ model: new ScriptedModel(() => textScript("Private answer.")) });
    const agent = await createAgent(team.admin.token);
    const adminChat = await chat(team.admin.token, agent.id, "admin's private question");
    expect(adminChat.status).toBe(200);
    const personal = (await token(team.user.email, team.user.password)).access_token;
    const ownAgent = await createAgent(personal);
    const ownChat = await chat(personal, ownAgent.id, "asked in my personal workspace");
    expect(ownChat.status).toBe(200);

    for (const conversation_id of [adminChat.conversationId, ownChat.conversationId]) {
      const res = await api("POST", `/api/evals/datasets/${dataset.id}/cases/from-conversation`, {
        token: team.user.token,
        body: { conversation_id },
      });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/private|personal/);
    }
    await unchanged();
    // The owner may.
    await expectStatus(201, "POST", `/api/evals/datasets/${dataset.id}/cases/from-conversation`, {
      token: team.admin.token,
      body: { conversation_id: adminChat.conversationId },
    });
  });
});
