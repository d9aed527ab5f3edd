import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { KnowledgeBase, SearchResponse } from "@hive/shared/api-types";
import { kbOf } from "./helpers/fake-hive-api";
import { fakeHiveSuite } from "./helpers/fake-hive-suite";
import { killLeftovers, startHive } from "./helpers/live-hive";
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
  after(killLeftovers);
  /** A knowledge base of its own, and a folder of two small files for it. */
  const twoFiles = async (kb: KnowledgeBase, folder: string) => {
    fake.api.knowledgeBases = [kb];
    const dir = join(fake.dir, folder);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a.txt"), "alpha");
    await writeFile(join(dir, "b.txt"), "beta");
    return dir;
  };
  beforeEach(() => {
    fake.api.failIngestion.clear();
    fake.api.refuseUpload.clear();
    fake.api.batchFiles = [];
    fake.api.limitBatches = { count: 0, retryAfter: "1" };
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

  test("upload sends batches, reports each file (created / failed with reason), waits for ingestion", async () => {
    fake.api.refuseUpload.set("scan.pdf", {
      status: 422,
      code: "UNPROCESSABLE",
      message: "The file is not a valid PDF",
    });
    fake.api.failIngestion.set("faq.json", "Embedding failed after 3 attempts");
    const run = await runHive(["kb", "upload", docs, "--kb", "Handbook", "--tag", "office"], env());
    assert.equal(run.code, 1, "a refused file and a failed ingestion fail the command");

    // Supported files only, dot-files and dot-directories left out, in name order, named by their
    // path under the directory, in one batch; no single-file uploads.
    assert.deepEqual(
      fake.api.requests.filter((r) => r.startsWith("POST")),
      ["POST /api/knowledge-bases/kb_handbook/documents/batch"],
    );
    assert.deepEqual(fake.api.batchFiles, ["faq.json", "guides/printing.txt", "handbook.md", "scan.pdf"]);
    const [sent] = (fake.api.bodies.get("POST /api/knowledge-bases/kb_handbook/documents/batch") ?? []) as {
      files: { name: string; content: string; content_encoding: string; content_type: string; tags: string[] }[];
    }[];
    const handbook = sent?.files.find((f) => f.name === "handbook.md");
    assert.equal(handbook?.content_type, "text/markdown");
    assert.equal(handbook?.content_encoding, "base64");
    assert.equal(Buffer.from(handbook?.content ?? "", "base64").toString("utf8"), HANDBOOK, "the exact bytes");
    assert.deepEqual(handbook?.tags, ["office"]);

    assert.match(run.stderr, /^Skipping 1 unsupported file: photo\.png$/m);
    assert.match(run.stderr, /^Uploading 4 of 4 files to Handbook \(kb_handbook\)$/m);
    assert.match(run.stderr, /^\[-{24}\] 0\/4 uploading faq\.json$/m);
    assert.match(run.stderr, /^\[#{24}\] 4\/4 uploaded, 3 created, 0 unchanged, 0 replaced, 1 failed, 0 not sent$/m);
    assert.match(run.stderr, /^\[#{24}\] 3\/3 indexed, 0 queued, 0 processing, 1 failed, 2\/min$/m);

    assert.match(run.stdout, /^FILE\s+UPLOAD\s+STATUS\s+CHUNKS\s+ERROR$/m);
    assert.match(run.stdout, /^faq\.json\s+created\s+failed\s+0\s+Embedding failed after 3 attempts$/m);
    assert.match(run.stdout, /^guides\/printing\.txt\s+created\s+ready\s+2$/m);
    assert.match(run.stdout, /^handbook\.md\s+created\s+ready\s+2$/m);
    assert.match(run.stdout, /^scan\.pdf\s+failed\s+-\s+-\s+UNPROCESSABLE: The file is not a valid PDF$/m);
    assert.match(run.stdout, /^4 files: 3 created, 0 unchanged, 0 replaced, 1 failed\.$/m);
    assert.match(run.stdout, /^Waited 0 s on rate limits \(delayed, not failed\)\.$/m);
    assert.match(run.stdout, /^Ingestion: 2 ready, 1 failed\.$/m);
  });

  test("upload exits 0 when everything is indexed; --json reports each file", async () => {
    const sub = join(fake.dir, "docs", "guides");
    fake.api.knowledgeBases = [kbOf("kb_json", "Json")];
    const run = await runHive(["--json", "kb", "upload", sub, "--kb", "kb_json"], env());
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      files: { name: string; result: string; status: string; chunk_count: number }[];
      summary: Record<string, number>;
      skipped: string[];
      rate_limit_wait_ms: number;
      timed_out: boolean;
    };
    assert.deepEqual(
      report.files.map((d) => [d.name, d.result, d.status, d.chunk_count]),
      [["printing.txt", "created", "ready", 2]],
    );
    assert.deepEqual(report.summary, { created: 1, unchanged: 0, replaced: 0, failed: 0, "not sent": 0 });
    assert.equal(report.timed_out, false);
  });

  test("rate-limited batches are waited out (Retry-After) and reported as delayed, not failed", async () => {
    fake.api.knowledgeBases = [kbOf("kb_limited", "Limited")];
    fake.api.limitBatches = { count: 2, retryAfter: "1" };
    const run = await runHive(["kb", "upload", docs, "--kb", "Limited", "--batch-files", "2"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      fake.api.requests.filter((r) => r.startsWith("POST")),
      Array(4).fill("POST /api/knowledge-bases/kb_limited/documents/batch"),
      "two refusals, then the two batches",
    );
    assert.deepEqual(fake.api.batchFiles, ["faq.json", "guides/printing.txt", "handbook.md", "scan.pdf"]);
    assert.match(run.stdout, /^4 files: 4 created, 0 unchanged, 0 replaced, 0 failed\.$/m);
    assert.match(run.stdout, /^Waited [23] s on rate limits \(delayed, not failed\)\.$/m);
  });

  test("a re-run sends nothing already there; a changed file is replaced", async () => {
    const dir = await twoFiles(kbOf("kb_rerun", "Rerun"), "rerun");
    const first = await runHive(["kb", "upload", dir, "--kb", "Rerun"], env());
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(fake.api.batchFiles, ["a.txt", "b.txt"]);

    fake.api.batchFiles = [];
    const again = await runHive(["kb", "upload", dir, "--kb", "Rerun"], env());
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(fake.api.batchFiles, [], "nothing sent again");
    assert.match(again.stderr, /^Uploading 0 of 2 files to Rerun \(kb_rerun\); 2 already there$/m);
    assert.match(again.stdout, /^a\.txt\s+unchanged\s+ready\s+2$/m);
    assert.match(again.stdout, /^2 files: 0 created, 2 unchanged, 0 replaced, 0 failed\.$/m);

    await writeFile(join(dir, "b.txt"), "beta, second edition");
    const changed = await runHive(["kb", "upload", dir, "--kb", "Rerun"], env());
    assert.equal(changed.code, 0, changed.stderr);
    assert.deepEqual(fake.api.batchFiles, ["b.txt"]);
    assert.match(changed.stdout, /^b\.txt\s+replaced\s+ready\s+2$/m);
    assert.match(changed.stdout, /^2 files: 0 created, 1 unchanged, 1 replaced, 0 failed\.$/m);
  });

  test("Ctrl-C stops the upload (exit 130); running it again uploads the rest, nothing twice", async () => {
    fake.api.knowledgeBases = [kbOf("kb_resume", "Resume")];
    // The third batch is held back by a long Retry-After: the moment to press Ctrl-C.
    fake.api.limitBatches = { after: 2, count: 1, retryAfter: "30" };
    const live = startHive(["kb", "upload", docs, "--kb", "Resume", "--batch-files", "1"], env());
    await live.waitFor(/2\/4 uploading handbook\.md/, "stderr");
    await new Promise((r) => setTimeout(r, 300));
    live.interrupt();
    assert.equal(await live.exited, 130);
    assert.match(live.stderr(), /\[stopping; run the same command again to upload the rest\]/);
    assert.match(
      live.stdout(),
      /^4 files: 2 created, 0 unchanged, 0 replaced, 0 failed, 2 not sent \(interrupted; run the same command again to resume\)\.$/m,
    );
    assert.deepEqual(fake.api.batchFiles, ["faq.json", "guides/printing.txt"]);

    fake.api.limitBatches = { count: 0, retryAfter: "1" };
    const rest = await runHive(["kb", "upload", docs, "--kb", "Resume"], env());
    assert.equal(rest.code, 0, rest.stderr);
    assert.deepEqual(
      fake.api.batchFiles,
      ["faq.json", "guides/printing.txt", "handbook.md", "scan.pdf"],
      "each file sent once",
    );
    assert.match(rest.stdout, /^4 files: 2 created, 2 unchanged, 0 replaced, 0 failed\.$/m);
  });

  test("status prints counts by state and the rate; --watch follows until nothing is in flight", async () => {
    const dir = await twoFiles(kbOf("kb_status", "Status"), "status");
    const upload = await runHive(["kb", "upload", dir, "--kb", "Status", "--no-wait"], env());
    assert.equal(upload.code, 0, upload.stderr);
    assert.match(upload.stdout, /^Ingestion: 0 ready, 0 failed, 2 still queued \(not waited for\)\.$/m);

    const watch = await runHive(["kb", "status", "Status", "--watch"], env());
    assert.equal(watch.code, 0, watch.stderr);
    assert.match(watch.stderr, /^\[-{24}\] 0\/2 indexed, 0 queued, 2 processing, 0 failed, 0\/min$/m);
    assert.match(watch.stderr, /^\[#{24}\] 2\/2 indexed, 0 queued, 0 processing, 0 failed, 2\/min$/m);
    assert.match(watch.stdout, /^Status \(kb_status\)$/m);
    assert.match(watch.stdout, /^QUEUED\s+PROCESSING\s+READY\s+FAILED\s+UNCHANGED \(1H\)\s+RATE\/MIN\s+IN FLIGHT$/m);
    assert.match(watch.stdout, /^0\s+0\s+2\s+0\s+0\s+2\s+no$/m);

    const json = await runHive(["kb", "status", "kb_status", "--json"], env());
    assert.deepEqual(JSON.parse(json.stdout), {
      counts: { queued: 0, processing: 0, ready: 2, failed: 0 },
      unchanged_last_hour: 0,
      rate_per_minute: 2,
      in_flight: false,
    });
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
    assert.match(run.stdout, /^https:\/\/docs\.example\.com\/wings\s+created\s+ready\s+2\s*$/m);
    assert.match(
      run.stdout,
      /^http:\/\/docs\.example\.com\/plain\s+failed\s+-\s+-\s+URL_NOT_ALLOWED: Only https:\/\/ URLs may be fetched$/m,
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
    const report = JSON.parse(run.stdout) as { files: { name: string; status: string }[] };
    assert.deepEqual(
      report.files.map((d) => [d.name, d.status]),
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
