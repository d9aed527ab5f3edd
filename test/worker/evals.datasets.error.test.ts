// Evaluation datasets refuse bad input with the error envelope and store nothing: a JSONL file
// with bad lines is refused whole, naming each bad line; unknown datasets, cases and versions
// are 404; a name already taken is 409; malformed cases, oversized files and wrong content types
// are 400/413/415.
import type { EvalDataset } from "@hive/shared/api-types/evals";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { addCases, casesAt, createDataset, importRequest } from "./evals.datasets.helpers";
import { chat, createAgent } from "./helpers/chat";
import { api, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let token: string;

beforeAll(async () => {
  token = await newUserAccess();
});

afterEach(() => clearProviderOverrides());

const good = (n: number) => JSON.stringify({ input: { message: `question ${n}` }, expected_output: `${n}` });

describe("JSONL import errors", () => {
  it("names every bad line by number and stores nothing", async () => {
    const ds = await createDataset(token);
    await addCases(token, ds.id, [{ input: { message: "kept" } }]);
    const file = [
      good(1),
      "{not json",
      good(3),
      "",
      JSON.stringify({ input: { text: "wrong field" } }),
      JSON.stringify({ input: { message: "x" }, must_include: ["/unclosed(/"] }),
      JSON.stringify({ input: { messages: [{ role: "assistant", content: "last is not the user" }] } }),
      JSON.stringify({ input: { message: "x" }, surprise: true }),
      good(9),
    ].join("\n");
    for (const mode of ["append", "replace"] as const) {
      const res = await importRequest(token, ds.id, file, mode);
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("VALIDATION_ERROR");
      const lines = body.error.details.lines as { line: number; path: string; message: string }[];
      expect([...new Set(lines.map((l) => l.line))]).toEqual([2, 5, 6, 7, 8]);
      expect(lines.find((l) => l.line === 2)?.message).toMatch(/^not JSON/);
      expect(lines.find((l) => l.line === 6)?.path).toBe("must_include.0");
      expect(body.error.details.bad_lines).toBe(5);
    }
    const after = await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${ds.id}`, { token });
    expect(after).toMatchObject({ version: 2, case_count: 1 });
    expect((await casesAt(token, ds.id)).data.map((c) => c.input)).toEqual([{ message: "kept" }]);
  });

  it("refuses an empty file, a file over the size limit and a content type it does not read", async () => {
    const ds = await createDataset(token);
    const empty = await importRequest(token, ds.id, "\n\n");
    expect(empty.status).toBe(400);

    const big = await importRequest(token, ds.id, `${good(1)}\n`.repeat(120_000));
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorBody).error.code).toBe("PAYLOAD_TOO_LARGE");

    const form = await api("POST", `/api/evals/datasets/${ds.id}/import`, {
      token,
      body: good(1),
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(form.status).toBe(415);
    const badMode = await api("POST", `/api/evals/datasets/${ds.id}/import?mode=merge`, {
      token,
      body: { jsonl: good(1) },
    });
    expect(badMode.status).toBe(400);
    expect((await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${ds.id}`, { token })).version).toBe(1);
  });
});

describe("not found, conflicts and validation", () => {
  it("answers 404 for unknown or deleted datasets, unknown cases and versions not reached", async () => {
    const ds = await createDataset(token);
    const { cases } = await addCases(token, ds.id, [{ input: { message: "a" } }]);
    const caseId = cases[0]?.id ?? "";
    const missing = [
      api("GET", "/api/evals/datasets/eds_nope", { token }),
      api("GET", `/api/evals/datasets/${ds.id}/cases?version=3`, { token }),
      api("GET", `/api/evals/datasets/${ds.id}/export?version=9`, { token }),
      api("PUT", `/api/evals/datasets/${ds.id}/cases/ecs_nope`, { token, body: { input: { message: "b" } } }),
      api("DELETE", `/api/evals/datasets/${ds.id}/cases/ecs_nope`, { token }),
    ];
    for (const res of await Promise.all(missing)) {
      expect(res.status).toBe(404);
      expect((res.body as ErrorBody).error.code).toBe("NOT_FOUND");
    }
    // A case removed from the current version cannot be edited or removed again.
    await expectStatus(200, "DELETE", `/api/evals/datasets/${ds.id}/cases/${caseId}`, { token });
    expect(
      (await api("PUT", `/api/evals/datasets/${ds.id}/cases/${caseId}`, { token, body: { input: { message: "b" } } }))
        .status,
    ).toBe(404);
    expect((await api("DELETE", `/api/evals/datasets/${ds.id}/cases/${caseId}`, { token })).status).toBe(404);

    await expectStatus(204, "DELETE", `/api/evals/datasets/${ds.id}`, { token });
    for (const res of await Promise.all([
      api("GET", `/api/evals/datasets/${ds.id}/cases`, { token }),
      api("POST", `/api/evals/datasets/${ds.id}/cases`, { token, body: { input: { message: "c" } } }),
      importRequest(token, ds.id, good(1)),
      api("DELETE", `/api/evals/datasets/${ds.id}`, { token }),
    ])) {
      expect(res.status).toBe(404);
    }
  });

  it("answers 409 when a live dataset already has the name, by create or rename", async () => {
    await createDataset(token, "Taken");
    const other = await createDataset(token, "Free");
    const clash = await api("POST", "/api/evals/datasets", { token, body: { name: "Taken" } });
    expect(clash.status).toBe(409);
    expect((clash.body as ErrorBody).error.code).toBe("CONFLICT");
    const rename = await api("PATCH", `/api/evals/datasets/${other.id}`, { token, body: { name: "Taken" } });
    expect(rename.status).toBe(409);
    expect((await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${other.id}`, { token })).name).toBe(
      "Free",
    );
  });

  it("answers 409 to one of two changes made at once, and keeps one version per change", async () => {
    const ds = await createDataset(token);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api("POST", `/api/evals/datasets/${ds.id}/cases`, { token, body: { input: { message: `q${i}` } } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ok = statuses.filter((s) => s === 201).length;
    const after = await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${ds.id}`, { token });
    expect(after).toMatchObject({ version: 1 + ok, case_count: ok });
  });

  it("refuses malformed cases and dataset bodies with field details", async () => {
    const ds = await createDataset(token);
    const bad = [
      {},
      { input: { message: "" } },
      { input: { message: "x" }, expected_number: { value: "7" } },
      { input: { message: "x" }, tags: ["a"], unknown: 1 },
      { cases: [] },
    ];
    for (const body of bad) {
      const res = await api("POST", `/api/evals/datasets/${ds.id}/cases`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as ErrorBody).error.code).toBe("VALIDATION_ERROR");
    }
    for (const body of [{}, { name: "" }, { name: "bell\u0007" }, { name: "x", extra: true }]) {
      expect((await api("POST", "/api/evals/datasets", { token, body })).status).toBe(400);
    }
    const cursor = await api("GET", `/api/evals/datasets/${ds.id}/cases?cursor=abc`, { token });
    expect(cursor.status).toBe(400);
    expect((await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${ds.id}`, { token })).version).toBe(1);
  });

  it("refuses a conversation unknown to the caller, and a message that is not a finished answer", async () => {
    const ds = await createDataset(token);
    const fromConversation = (body: unknown) =>
      api("POST", `/api/evals/datasets/${ds.id}/cases/from-conversation`, { token, body });
    expect((await fromConversation({ conversation_id: "conv_nope" })).status).toBe(404);

    const agent = await createAgent(token);
    setProviderOverrides({ model: new ScriptedModel(textScript("Hello there.")) });
    const { conversationId } = await chat(token, agent.id, "hello");
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
      token,
    });
    const question = detail.messages.data.find((m) => m.role === "user");
    for (const message_seq of [question?.seq, 999]) {
      const res = await fromConversation({ conversation_id: conversationId, message_seq });
      expect(res.status).toBe(422);
      expect((res.body as ErrorBody).error.code).toBe("UNPROCESSABLE");
    }
    expect((await fromConversation({ conversation_id: conversationId, message_seq: -1 })).status).toBe(400);
    expect((await expectStatus<EvalDataset>(200, "GET", `/api/evals/datasets/${ds.id}`, { token })).version).toBe(1);
  });
});
