// Names are printed to terminals and logs: a control character in one (ESC recolours or
// retitles a terminal, BEL rings, CR and newline rewrite lines, bidi overrides reorder text) is
// refused with the envelope, and nothing is stored.
import { describe, expect, it } from "vitest";
import { api, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";
import { createKb, signedInUser, uploadJson, uploadMultipart } from "./knowledge.helpers";

const HOSTILE = [
  "Evil\u001b]0;pwned\u0007",
  "red\u001b[31m",
  "two\nlines",
  "back\rspace",
  "bell\u0007",
  "rtl\u202Eexe.txt",
  "nul\u0000",
];

function expectRefused(res: { status: number; body: unknown }, field: string) {
  expect(res.status).toBe(400);
  const err = (res.body as ErrorBody).error;
  expect(err.code, JSON.stringify(err)).toBe("VALIDATION_ERROR");
  expect(JSON.stringify(err.details)).toContain(field);
}

/** A file name the runtime's multipart parser cannot even read is refused before us (BAD_REQUEST): refused all the same. */
function expectFileRefused(res: { status: number; body: unknown }) {
  expect(res.status).toBe(400);
  const err = (res.body as ErrorBody).error;
  if (err.code === "BAD_REQUEST") return;
  expectRefused(res, "file");
}

describe("control characters in names", () => {
  it("are refused in agent, knowledge base, document, workspace, key and conversation names", async () => {
    const t = await newUserAccess();
    const caller = await signedInUser();
    const kb = await createKb(caller, { name: "Clean" });
    for (const name of HOSTILE) {
      expectRefused(await api("POST", "/api/agents", { token: t, body: { name } }), "name");
      expectRefused(await api("POST", "/api/knowledge-bases", { token: caller.token, body: { name } }), "name");
      expectRefused(
        await api("PATCH", `/api/knowledge-bases/${kb.id}`, { token: caller.token, body: { name } }),
        "name",
      );
      expectRefused(await uploadJson(caller, kb.id, { name, content: "text" }), "name");
      // A multipart encoder escapes CR and newline in a file name (%0A), so those never arrive raw.
      if (!/[\r\n]/.test(name))
        expectFileRefused(await uploadMultipart(caller, kb.id, { name, type: "text/plain", bytes: "text" }));
      expectRefused(await api("POST", "/api/workspaces", { token: t, body: { name } }), "name");
      expectRefused(await api("POST", "/api/keys", { token: t, body: { name, scopes: ["agents:read"] } }), "name");
    }
    const agent = await expectStatus<{ id: string }>(201, "POST", "/api/agents", { token: t, body: { name: "Fine" } });
    expectRefused(
      await api("POST", `/api/agents/${agent.id}/conversations`, { token: t, body: { title: "a\u001b[2Jb" } }),
      "title",
    );

    // Nothing was stored under a hostile name; ordinary unicode names still work.
    const agents = await expectStatus<{ data: { name: string }[] }>(200, "GET", "/api/agents?limit=100", {
      token: t,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(agents.data.map((a) => a.name)).toEqual(["Fine"]);
    const docs = await expectStatus<{ data: unknown[] }>(200, "GET", `/api/knowledge-bases/${kb.id}/documents`, {
      token: caller.token,
    });
    expect(docs.data).toEqual([]);
    await expectStatus(201, "POST", "/api/agents", { token: t, body: { name: "Zoë — 東京 🐝" } });
  });
});
