import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, beforeEach, describe, test } from "node:test";
import type { SearchResponse } from "@hive/shared/api-types";
import { kbOf } from "./helpers/fake-hive-api";
import { fakeHiveSuite } from "./helpers/fake-hive-suite";
import { runHive } from "./helpers/run-hive";

const HANDBOOK = "# Handbook\n\nToner is in the supply room.\n";

const SEARCH: SearchResponse = {
  data: [
    {
      chunk_id: "chk_1_aaaaaaaa_0",
      content: "Replacement toner cartridges are kept in the supply room.",
      citation: {
        document_id: "doc_1",
        document_name: "handbook.md",
        knowledge_base_id: "kb_1",
        chunk_id: "chk_1_aaaaaaaa_0",
        chunk_seq: 0,
        start_offset: 12,
        end_offset: 69,
        source_url: null,
      },
      snippet: {
        text: "Replacement toner cartridges are kept in the supply room.",
        start_offset: 12,
        highlights: [{ start: 12, end: 17 }],
      },
      score: 0.0328,
      scores: { lexical: 2.5, vector: 0.61, fused: 0.0328, rerank: null },
      ranks: { lexical: 1, vector: 1 },
      tags: ["office"],
    },
    {
      chunk_id: "chk_2_bbbbbbbb_3",
      content: "Printers on the first floor take letter paper.",
      citation: {
        document_id: "doc_2",
        document_name: "guides/printing.txt",
        knowledge_base_id: "kb_1",
        chunk_id: "chk_2_bbbbbbbb_3",
        chunk_seq: 3,
        start_offset: 400,
        end_offset: 446,
        source_url: "https://docs.example.com/printing",
      },
      snippet: { text: "Printers on the first floor take letter paper.", start_offset: 400, highlights: [] },
      score: 0.0161,
      scores: { lexical: null, vector: 0.42, fused: 0.0161, rerank: null },
      ranks: { lexical: null, vector: 2 },
      tags: [],
    },
  ],
  mode: "hybrid",
  reranked: false,
  degraded: false,
  weights: { lexical: 1, vector: 1 },
  rrf_k: 60,
  took_ms: 7.4,
};

describe("hive kb", { timeout: 120_000 }, () => {
  const fake = fakeHiveSuite("kb");
  let docs: string;
  const env = fake.env;

  before(async () => {
    docs = join(fake.dir, "docs");
    await mkdir(join(docs, "guides"), { recursive: true });
    await mkdir(join(docs, ".git"), { recursive: true });
    await writeFile(join(docs, "handbook.md"), HANDBOOK);
    await writeFile(join(docs, "guides", "printing.txt"), "Printers on the first floor take letter paper.");
    await writeFile(join(docs, "faq.json"), JSON.stringify({ lunch: "noon" }));
    await writeFile(join(docs, "scan.pdf"), "not really a PDF");
    await writeFile(join(docs, "photo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(join(docs, ".notes.md"), "hidden");
    await writeFile(join(docs, ".git", "HEAD"), "ref: refs/heads/main");
  });
  beforeEach(() => {
    fake.api.failIngestion.clear();
    fake.api.refuseUpload.clear();
    fake.api.knowledgeBases = [kbOf("kb_handbook", "Handbook")];
  });

  test("list and create", async () => {
    const list = await runHive(["kb", "list"], env());
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+NAME\s+DOCS\s+CHUNKS\s+EMBEDDING MODEL\s+CHUNK\/OVERLAP\s+CREATED$/m);
    assert.match(list.stdout, /^kb_handbook\s+Handbook\s+0\s+0\s+local-hash-384\s+400\/60\s+2026-01-01 12:00Z$/m);

    const create = await runHive(
      ["kb", "create", "--name", "Policies", "--chunk-size", "200", "--chunk-overlap", "20"],
      env(),
    );
    assert.equal(create.code, 0, create.stderr);
    assert.deepEqual(fake.api.bodies.get("POST /api/knowledge-bases"), [
      { name: "Policies", chunk_size: 200, chunk_overlap: 20 },
    ]);
    assert.equal(
      create.stdout,
      "Created knowledge base Policies (kb_new1): 200-token chunks, 20 overlap, local-hash-384.\n",
    );

    const bad = await runHive(["kb", "create", "--name", "x", "--chunk-size", "big"], env());
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--chunk-size must be a whole number/);
  });

  test("upload walks the directory, shows progress on stderr, waits for ingestion and reports failures", async () => {
    fake.api.refuseUpload.set("scan.pdf", {
      status: 422,
      code: "UNPROCESSABLE",
      message: "The file is not a valid PDF",
    });
    fake.api.failIngestion.set("faq.json", "Embedding failed after 3 attempts");
    const run = await runHive(["kb", "upload", docs, "--kb", "Handbook", "--tag", "office"], env());
    assert.equal(run.code, 1, "a refused file and a failed ingestion fail the command");

    // Supported files only, dot-files and dot-directories left out, in name order, named by their path under the directory.
    const uploads = (fake.api.bodies.get("POST /api/knowledge-bases/kb_handbook/documents") ?? []) as {
      name: string;
      content: string;
      content_encoding: string;
      content_type: string;
      tags: string[];
      replace: boolean;
    }[];
    assert.deepEqual(
      uploads.map((u) => [u.name, u.content_type]),
      [
        ["faq.json", "application/json"],
        ["guides/printing.txt", "text/plain"],
        ["handbook.md", "text/markdown"],
        ["scan.pdf", "application/pdf"],
      ],
    );
    const handbook = uploads.find((u) => u.name === "handbook.md");
    assert.equal(handbook?.content_encoding, "base64");
    assert.equal(Buffer.from(handbook?.content ?? "", "base64").toString("utf8"), HANDBOOK, "the exact bytes");
    assert.deepEqual(handbook?.tags, ["office"]);

    assert.match(run.stderr, /^Skipping 1 unsupported file: photo\.png$/m);
    assert.match(run.stderr, /^Uploading 4 files to Handbook \(kb_handbook\)$/m);
    assert.match(run.stderr, /^\[-{24}\] 0\/4 uploading faq\.json$/m);
    assert.match(run.stderr, /^\[#{6}-{18}\] 1\/4 uploading guides\/printing\.txt$/m);
    assert.match(run.stderr, /^\[#{24}\] 4\/4 uploaded, 1 refused$/m);
    assert.match(run.stderr, /^\[-{24}\] 0\/3 indexed$/m);
    assert.match(run.stderr, /^\[#{24}\] 3\/3 indexed, 1 failed$/m);

    assert.match(run.stdout, /^DOCUMENT\s+STATUS\s+CHUNKS\s+UPLOAD\s+ERROR$/m);
    assert.match(run.stdout, /^faq\.json\s+failed\s+0\s+created\s+Embedding failed after 3 attempts$/m);
    assert.match(run.stdout, /^guides\/printing\.txt\s+ready\s+2\s+created$/m);
    assert.match(run.stdout, /^handbook\.md\s+ready\s+2\s+created$/m);
    assert.match(run.stdout, /^scan\.pdf\s+refused\s+-\s+-\s+UNPROCESSABLE: The file is not a valid PDF$/m);
    assert.match(run.stdout, /^2 ready, 2 failed\.$/m);
  });

  test("upload exits 0 when everything is indexed; --json reports each document", async () => {
    const sub = join(fake.dir, "docs", "guides");
    const run = await runHive(["--json", "kb", "upload", sub, "--kb", "kb_handbook"], env());
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      documents: { name: string; status: string; chunk_count: number }[];
      failed_uploads: unknown[];
      skipped: string[];
      timed_out: boolean;
    };
    assert.deepEqual(
      report.documents.map((d) => [d.name, d.status, d.chunk_count]),
      [["printing.txt", "ready", 2]],
    );
    assert.deepEqual(report.failed_uploads, []);
    assert.equal(report.timed_out, false);
  });

  test("upload usage errors", async () => {
    const cases: [string[], RegExp, number][] = [
      [["kb", "upload", docs], /usage: hive kb upload <dir> --kb/, 64],
      [["kb", "upload", join(fake.dir, "nowhere"), "--kb", "Handbook"], /cannot read .*nowhere: ENOENT/, 64],
      [["kb", "upload", docs, "--kb", "Nope"], /no knowledge base named 'Nope'/, 1],
    ];
    for (const [args, message, code] of cases) {
      const run = await runHive(args, env());
      assert.equal(run.code, code, args.join(" "));
      assert.match(run.stderr, message, args.join(" "));
    }
  });

  test("fetch queues web pages, waits for them and lists refused URLs with the reason", async () => {
    const run = await runHive(
      ["kb", "fetch", "--kb", "Handbook", "https://docs.example.com/wings", "http://docs.example.com/plain"],
      env(),
    );
    assert.equal(run.code, 1, "a refused URL fails the command");
    assert.deepEqual(fake.api.bodies.get("POST /api/knowledge-bases/kb_handbook/documents/fetch"), [
      { urls: ["https://docs.example.com/wings", "http://docs.example.com/plain"] },
    ]);
    assert.match(run.stderr, /^Queued 1 page for Handbook \(kb_handbook\), 1 refused$/m);
    assert.match(run.stdout, /^https:\/\/docs\.example\.com\/wings\s+ready\s+2\s+fetch$/m);
    assert.match(
      run.stdout,
      /^http:\/\/docs\.example\.com\/plain\s+refused\s+-\s+-\s+URL_NOT_ALLOWED: Only https:\/\/ URLs may be fetched$/m,
    );
  });

  test("fetch --sitemap sends the sitemap and exits 0 when every page is indexed", async () => {
    const run = await runHive(
      ["--json", "kb", "fetch", "--kb", "kb_handbook", "--sitemap", "https://docs.example.com/sitemap.xml"],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.bodies.get("POST /api/knowledge-bases/kb_handbook/documents/fetch")?.at(-1), {
      sitemap: "https://docs.example.com/sitemap.xml",
    });
    const report = JSON.parse(run.stdout) as { documents: { name: string; status: string }[] };
    assert.deepEqual(
      report.documents.map((d) => [d.name, d.status]),
      [
        ["https://docs.example.com/a", "ready"],
        ["https://docs.example.com/b", "ready"],
      ],
    );
  });

  test("fetch usage errors: no knowledge base, neither or both of URLs and --sitemap", async () => {
    for (const args of [
      ["kb", "fetch", "https://docs.example.com/x"],
      ["kb", "fetch", "--kb", "Handbook"],
      ["kb", "fetch", "--kb", "Handbook", "https://docs.example.com/x", "--sitemap", "https://docs.example.com/s.xml"],
    ]) {
      const run = await runHive(args, env());
      assert.equal(run.code, 64, args.join(" "));
      assert.match(run.stderr, /usage: hive kb fetch --kb/, args.join(" "));
    }
  });

  test("search prints a table of hits with scores per retriever and citations", async () => {
    fake.api.search = SEARCH;
    const run = await runHive(
      ["kb", "search", "Handbook", "where", "is", "the toner?", "--mode", "hybrid", "--top-k", "5", "--tag", "office"],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.bodies.get("POST /api/knowledge-bases/kb_handbook/search"), [
      { query: "where is the toner?", mode: "hybrid", top_k: 5, filters: { tags: ["office"] } },
    ]);
    assert.match(run.stdout, /^#\s+SCORE\s+LEXICAL\s+VECTOR\s+DOCUMENT\s+CHUNK CHARS\s+SNIPPET$/m);
    assert.match(
      run.stdout,
      /^1\s+0\.0328\s+2\.500\s+0\.610\s+handbook\.md\s+chk_1_aaaaaaaa_0 12-69\s+Replacement toner cartridges are kept in the supply room\.$/m,
    );
    assert.match(
      run.stdout,
      /^2\s+0\.0161\s+-\s+0\.420\s+guides\/printing\.txt\s+chk_2_bbbbbbbb_3 400-446\s+Printers on the first floor/m,
    );
    assert.equal(run.stderr, "hybrid search, 2 hits in 7 ms\n");

    const json = await runHive(["kb", "search", "kb_handbook", "toner", "--json"], env());
    assert.deepEqual(JSON.parse(json.stdout), SEARCH);

    const bad = await runHive(["kb", "search", "Handbook", "toner", "--mode", "fuzzy"], env());
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--mode must be one of hybrid, lexical, vector/);
  });

  test("search when the API cannot search says so (503, exit 1)", async () => {
    fake.api.search = null;
    const run = await runHive(["kb", "search", "Handbook", "toner"], env());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^hive: UNAVAILABLE: Search is temporarily unavailable \(request req_fake\)$/m);
  });
});
