import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "../../worker/core/config";
import { createServices } from "../../worker/core/services";
import { ftsQuery } from "../../worker/knowledge/retrieval/fts-query";
import { reciprocalRankFusion } from "../../worker/knowledge/retrieval/fuse";
import { searchKnowledge } from "../../worker/knowledge/retrieval/search";
import type { KnowledgeBase, SearchResponse, UploadResult } from "../../worker/knowledge/schemas";
import { getTool } from "../../worker/tools/registry";
import { api } from "./helpers/harness";
import { toolContext } from "./helpers/tool-context";
import { type Caller, createKb, documentText, ingest, search, signedInUser, uploadText } from "./knowledge.helpers";

let me: Caller;
let kb: KnowledgeBase;
const docs: Record<string, UploadResult> = {};

const CORPUS: Record<string, { text: string; tags: string[] }> = {
  "slipstream.txt": {
    text: "Experimental investigation of the aerodynamics of a wing in a slipstream. The spanwise lift increase due to the propeller slipstream was measured.",
    tags: ["wings", "experiment"],
  },
  "shear.txt": {
    text: "Simple shear flow past a flat plate in an incompressible fluid of small viscosity.",
    tags: ["theory"],
  },
  "boundary.md": {
    text: "# Boundary layers\n\nThe boundary layer on a heated flat plate in hypersonic flow thickens with wall temperature.",
    tags: ["theory", "heat"],
  },
  "flutter.txt": {
    text: "Panel flutter at supersonic speeds: aeroelastic models of heated high speed aircraft.",
    tags: ["aeroelastic"],
  },
};

beforeAll(async () => {
  me = await signedInUser();
  kb = await createKb(me, { name: "Search corpus" });
  for (const [name, { text, tags }] of Object.entries(CORPUS))
    docs[name] = await uploadText(me, kb.id, name, text, { tags });
  for (const d of Object.values(docs)) await ingest(me, d.id);
});

describe("hybrid search", () => {
  it("ranks the relevant document first in every mode, with scores per retriever and the fused score", async () => {
    for (const mode of ["hybrid", "lexical", "vector"] as const) {
      const res = await search(me, kb.id, { query: "propeller slipstream lift on a wing", mode, top_k: 3 });
      expect(res.mode).toBe(mode);
      expect(res.data[0]?.citation.document_name, mode).toBe("slipstream.txt");
      const top = res.data[0];
      expect(top?.scores.fused).toBeGreaterThan(0);
      if (mode !== "vector") expect(top?.scores.lexical).toBeGreaterThan(0);
      if (mode !== "lexical") expect(top?.scores.vector).toBeGreaterThan(0);
      if (mode === "lexical") expect(top?.scores.vector).toBeNull();
      if (mode === "hybrid") expect(top?.ranks).toEqual({ lexical: 1, vector: 1 });
    }
  });

  it("cites the document, chunk and character offsets into the document text, with a highlighted snippet", async () => {
    const res = await search(me, kb.id, { query: "heated flat plate boundary layer" });
    const hit = res.data[0];
    expect(hit?.citation.document_name).toBe("boundary.md");
    const full = await documentText(me, kb.id, hit?.citation.document_id ?? "");
    expect(full.slice(hit?.citation.start_offset, hit?.citation.end_offset)).toBe(hit?.content);
    expect(hit?.chunk_id).toBe(hit?.citation.chunk_id);
    expect(hit?.citation.chunk_seq).toBe(0);
    const marked = (hit?.snippet.highlights ?? []).map((h) => hit?.snippet.text.slice(h.start, h.end).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(["boundary", "heated", "flat", "plate", "layers", "layer"]));
    expect(hit?.snippet.start_offset).toBe(hit?.citation.start_offset);
    expect(hit?.tags).toEqual(["theory", "heat"]);
  });

  it("filters by document ids and by tags", async () => {
    const byDoc = await search(me, kb.id, {
      query: "flat plate flow",
      filters: { document_ids: [docs["shear.txt"]?.id] },
    });
    expect(byDoc.data.map((h) => h.citation.document_name)).toEqual(["shear.txt"]);
    const byTag = await search(me, kb.id, { query: "flat plate flow heated aircraft", filters: { tags: ["theory"] } });
    expect(new Set(byTag.data.map((h) => h.citation.document_name))).toEqual(new Set(["shear.txt", "boundary.md"]));
    const none = await search(me, kb.id, { query: "flat plate", filters: { tags: ["no-such-tag"] } });
    expect(none.data).toEqual([]);
  });

  it("treats any user text as plain terms: FTS5 operators, quotes and punctuation never break the query", async () => {
    const hostile = [
      '"unbalanced quote',
      "NEAR(lift drag)",
      "lift AND OR NOT",
      "col:lift",
      "lift*",
      "^lift",
      ")))(((",
      "- -",
      "🚀🚀",
      "content:slipstream OR 1=1; DROP TABLE chunks;--",
      "'\\\"",
      "{lift}",
    ];
    for (const query of hostile) {
      const res = await api<SearchResponse>("POST", `/api/knowledge-bases/${kb.id}/search`, {
        token: me.token,
        body: { query, mode: "lexical" },
      });
      expect(res.status, query).toBe(200);
    }
    const sneaky = await search(me, kb.id, { query: "content:slipstream OR 1=1", mode: "lexical" });
    expect(sneaky.data[0]?.citation.document_name).toBe("slipstream.txt");
    expect(ftsQuery('a "b" NEAR(c)')).toBe('"b" OR "near" OR "c"');
    expect(ftsQuery("!!! ???")).toBeNull();
    expect((await env.DB.prepare("SELECT count(*) AS n FROM chunks").first<{ n: number }>())?.n).toBeGreaterThan(0);
  });

  it("fuses by reciprocal rank with k = 60: agreement between retrievers beats one retriever's first place", () => {
    const fused = reciprocalRankFusion({ lexical: ["a", "b", "c"], vector: ["d", "b", "e"] });
    expect(fused.map((f) => f.id)).toEqual(["b", "a", "d", "c", "e"]);
    expect(fused[0]?.fused).toBeCloseTo(2 / 62, 10);
    expect(fused[0]?.ranks).toEqual({ lexical: 2, vector: 2 });
  });
});

describe("reranking with the Workers AI reranker", () => {
  const services = () => createServices(env, getConfig(env));

  it("reorders candidates by the reranker's scores when AI is bound", async () => {
    const calls: { model: string; inputs: Record<string, unknown> }[] = [];
    const ai = {
      async run(model: string, inputs: Record<string, unknown>) {
        calls.push({ model, inputs });
        const contexts = inputs.contexts as { text: string }[];
        // Prefers the flutter passage whatever the query says.
        return { response: contexts.map((c, id) => ({ id, score: c.text.includes("flutter") ? 0.99 : 0.01 * id })) };
      },
    };
    const s = services();
    const res = await searchKnowledge(
      { db: s.db, embedder: s.embedder, vectorIndex: s.vectorIndex, ai },
      { workspaceId: me.workspaceId, knowledgeBaseIds: [kb.id], query: "flat plate flow aircraft", topK: 3 },
    );
    expect(calls[0]?.model).toBe("@cf/baai/bge-reranker-base");
    expect(calls[0]?.inputs.query).toBe("flat plate flow aircraft");
    expect(res.reranked).toBe(true);
    expect(res.data[0]?.citation.document_name).toBe("flutter.txt");
    expect(res.data[0]?.scores.rerank).toBe(0.99);
    expect(res.data[0]?.score).toBe(0.99);
  });

  it("falls back to the fused order when the reranker fails, and skips it when asked", async () => {
    const s = services();
    const failing = { run: () => Promise.reject(new Error("AI is down")) };
    const deps = { db: s.db, embedder: s.embedder, vectorIndex: s.vectorIndex, ai: failing };
    const opts = { workspaceId: me.workspaceId, knowledgeBaseIds: [kb.id], query: "propeller slipstream", topK: 2 };
    const res = await searchKnowledge(deps, opts);
    expect(res.reranked).toBe(false);
    expect(res.data[0]?.citation.document_name).toBe("slipstream.txt");
    expect(res.data[0]?.scores.rerank).toBeNull();
    expect((await searchKnowledge(deps, { ...opts, rerank: false })).reranked).toBe(false);
  });
});

describe("the knowledge_search tool", () => {
  it("is offered to agents and answers with passages whose ids are chunk ids", async () => {
    const tool = getTool("knowledge_search");
    if (!tool) throw new Error("knowledge_search is not registered");
    // The same call from the knowledge base's workspace and from a stranger's.
    const searchFrom = (workspaceId: string) =>
      tool.run(
        { query: "supersonic panel flutter", top_k: 2 },
        { ...toolContext({ fetch }), workspaceId, knowledgeBaseIds: [kb.id] },
      );
    const out = await searchFrom(me.workspaceId);
    expect(out.citations?.[0]?.passage_id).toMatch(/^chk_/);
    expect(out.citations?.[0]).toMatchObject({ marker: 1, document_name: "flutter.txt", knowledge_base_id: kb.id });
    expect(out.content).toContain("flutter.txt");
    const stranger = await signedInUser();
    const blocked = await searchFrom(stranger.workspaceId);
    expect(blocked.citations).toEqual([]);
  });
});
