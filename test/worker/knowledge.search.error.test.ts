import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/core/providers/errors";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { KnowledgeBase, SearchResponse } from "../../worker/knowledge/schemas";
import { api, type ErrorBody } from "./helpers/harness";
import { type Caller, createKb, signedInUser, uploadIngested } from "./knowledge.helpers";

let me: Caller;
let kb: KnowledgeBase;
beforeAll(async () => {
  me = await signedInUser();
  kb = await createKb(me);
  await uploadIngested(me, kb.id, "nozzle.txt", "Convergent divergent nozzle flow separation at low pressure ratios.");
});
afterEach(() => clearProviderOverrides());

const brokenIndex = {
  upsert: () => Promise.reject(new ProviderError("vectorize", "index offline")),
  query: () => Promise.reject(new ProviderError("vectorize", "index offline")),
  deleteByIds: () => Promise.reject(new ProviderError("vectorize", "index offline")),
};

describe("search when a retriever's backend fails", () => {
  it("answers hybrid search from the lexical index alone, flagged degraded", async () => {
    setProviderOverrides({ vectorIndex: brokenIndex });
    const res = await api<SearchResponse>("POST", `/api/knowledge-bases/${kb.id}/search`, {
      token: me.token,
      body: { query: "nozzle flow separation" },
    });
    expect(res.status).toBe(200);
    expect(res.body.degraded).toBe(true);
    expect(res.body.data[0]?.scores).toMatchObject({ vector: null });
    expect(res.body.data[0]?.citation.document_name).toBe("nozzle.txt");
  });

  it("answers vector-only search with 503 in the envelope, not a 500", async () => {
    setProviderOverrides({ vectorIndex: brokenIndex });
    const res = await api<ErrorBody>("POST", `/api/knowledge-bases/${kb.id}/search`, {
      token: me.token,
      body: { query: "nozzle", mode: "vector" },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("UNAVAILABLE");
  });

  it("refuses malformed search requests with field errors", async () => {
    for (const body of [
      { query: "" },
      { query: "x", top_k: 0 },
      { query: "x", top_k: 51 },
      { query: "x", mode: "fuzzy" },
      { query: "x", filters: { document_ids: ["nope"] } },
      { query: "x", extra: true },
    ]) {
      const res = await api<ErrorBody>("POST", `/api/knowledge-bases/${kb.id}/search`, { token: me.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });
});
