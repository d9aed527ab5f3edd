// Hybrid search's weighted reciprocal rank fusion: default weights follow the embedder (the
// offline one counts 0.05, with k = 10), a caller may set them, and bad weights get the envelope.
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase, SearchResponse } from "../../worker/knowledge/schemas";
import { api, type ErrorBody } from "./helpers/harness";
import { type Caller, createKb, search, signedInUser, uploadIngested } from "./knowledge.helpers";

let me: Caller;
let kb: KnowledgeBase;
beforeAll(async () => {
  me = await signedInUser();
  kb = await createKb(me);
  const texts = [
    ["nozzle.txt", "Convergent divergent nozzle flow separation at low pressure ratios."],
    ["wing.txt", "Swept wing boundary layer transition measured in a wind tunnel."],
    ["heat.txt", "Heat transfer to a blunt body in hypersonic flow, with nozzle exit data."],
    ["panel.txt", "Panel flutter of thin plates in supersonic flow."],
  ];
  for (const [name, content] of texts) await uploadIngested(me, kb.id, name as string, content as string);
});

const names = (r: SearchResponse) => r.data.map((h) => h.citation.document_name);

describe("hybrid fusion weights", () => {
  it("weights the offline embedder's list at 0.05 with k = 10 by default and says so", async () => {
    const r = await search(me, kb.id, { query: "nozzle flow" });
    expect(r.weights).toEqual({ lexical: 1, vector: 0.05 });
    expect(r.rrf_k).toBe(10);
    for (const hit of r.data) {
      const expected =
        (hit.ranks.lexical ? 1 / (10 + hit.ranks.lexical) : 0) +
        (hit.ranks.vector ? 0.05 / (10 + hit.ranks.vector) : 0);
      expect(hit.scores.fused).toBeCloseTo(expected, 10);
    }
  });

  it("follows the caller's weights: a zero weight leaves the other retriever's order", async () => {
    const lexicalOnly = await search(me, kb.id, { query: "nozzle flow", mode: "lexical" });
    const zeroVector = await search(me, kb.id, { query: "nozzle flow", weights: { lexical: 1, vector: 0 } });
    expect(zeroVector.weights).toEqual({ lexical: 1, vector: 0 });
    expect(names(zeroVector).slice(0, names(lexicalOnly).length)).toEqual(names(lexicalOnly));
    const vectorOnly = await search(me, kb.id, { query: "nozzle flow", mode: "vector" });
    const zeroLexical = await search(me, kb.id, { query: "nozzle flow", weights: { lexical: 0, vector: 2 } });
    expect(names(zeroLexical).slice(0, names(vectorOnly).length)).toEqual(names(vectorOnly));
  });

  it("refuses weights out of range, both zero, or with unknown retrievers", async () => {
    for (const weights of [
      { lexical: -1, vector: 1 },
      { lexical: 0, vector: 0 },
      { lexical: 1, vector: 11 },
      { lexical: 1, vector: 1, rerank: 1 },
      { lexical: 1 },
    ]) {
      const res = await api<ErrorBody>("POST", `/api/knowledge-bases/${kb.id}/search`, {
        token: me.token,
        body: { query: "nozzle", weights },
      });
      expect(res.status, JSON.stringify(weights)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });
});
