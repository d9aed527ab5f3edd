// Issue 21's "done when", through the public API of a local `wrangler dev` (fresh state, offline
// providers, no model bound) and the `hive` CLI, from the committed example files only:
//   1. `hive kb upload examples/evals/cranfield/documents` into a new knowledge base; an agent
//      with knowledge_search and that knowledge base; examples/evals/cranfield/retrieval.jsonl
//      imported as a dataset;
//   2. `hive eval run` with recall_at_k (k = 5), mrr and citation_validity;
//   3. the same figures computed directly, the way bench/offline-answers.ts does: the knowledge
//      search API (hybrid, top 5 passages: what an offline turn retrieves) for recall@5 and MRR,
//      and a chat per query for citation validity (a cited document counts when it was retrieved
//      and is judged relevant), printed side by side with the run's and their difference;
//   4. a deliberately worse agent version (its knowledge base detached), run with
//      `--baseline <first run> --fail-on-regression`: the exit code must be 1, and the compare
//      API must flag the regression.
// Run: node --import tsx bench/evals-cranfield.ts
import { mkdtemp, readFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { EvalCaseInput, EvalCompare, EvalRun } from "@hive/shared/api-types/evals";
import { runHive } from "../test/cli/helpers/run-hive";
import { BENCH_ADMIN, benchAgainst, PlatformApi, startBenchPlatform } from "./lib/platform-api";

const EXAMPLES = "examples/evals/cranfield";
const LOG_FILE = "/tmp/evals-cranfield-wrangler.log";
const UNLIMITED = "read=1000000000/60,write=1000000000/60,chat=1000000000/60,chat_tokens=1000000000000/60";
/** What an offline turn retrieves (worker/chat/retrieval.ts TURN_PASSAGES), and so recall@k's k. */
const K = 5;
const SCORERS = ["--scorer", "recall_at_k", "--k", String(K), "--scorer", "mrr", "--scorer", "citation_validity"];
/** Largest difference between the run's means and the direct figures that counts as matching. */
const MATCH = 0.01;

const cases = (await readFile(join(EXAMPLES, "retrieval.jsonl"), "utf8"))
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as EvalCaseInput);
const config = await mkdtemp(join(tmpdir(), "evals-cranfield-"));
const loadStart = loadavg()[0]?.toFixed(1);
const platform = await startBenchPlatform({ RATE_LIMITS: UNLIMITED, LOG_LEVEL: "warn" });
const api = new PlatformApi(platform.url, BENCH_ADMIN);

/** `hive <args>` as a user would run it, signed in with the bench's API key. */
const hive = (key: string, args: string[]) =>
  runHive(args, { HIVE_URL: platform.url, HIVE_API_KEY: key, XDG_CONFIG_HOME: config });

const messageOf = (c: EvalCaseInput) =>
  "message" in c.input ? c.input.message : (c.input.messages.at(-1)?.content ?? "");
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Document names of the top-k passages of hybrid search, each once, in rank order. */
async function retrieved(kbId: string, query: string): Promise<string[]> {
  const res = await api.call<{ data: { citation: { document_name: string } }[] }>(
    "POST",
    `/api/knowledge-bases/${kbId}/search`,
    { query, mode: "hybrid", top_k: K },
  );
  return [...new Set(res.data.map((h) => h.citation.document_name))];
}

/** The documents one chat answer cites (bench/offline-answers.ts's reading of the event stream). */
async function cited(agentId: string, message: string): Promise<string[]> {
  const res = await api.fetch("POST", `/api/agents/${agentId}/chat`, { message });
  const body = await res.text();
  if (!res.ok) throw new Error(`chat: ${res.status} ${body.slice(0, 300)}`);
  const events = body
    .split("\n\n")
    .flatMap((frame) => frame.split("\n").filter((l) => l.startsWith("data: ")))
    .map((l) => JSON.parse(l.slice(6)) as { type: string; document_name?: string });
  return [...new Set(events.flatMap((e) => (e.type === "citation" && e.document_name ? [e.document_name] : [])))];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function direct(kbId: string, agentId: string) {
  const recall: number[] = [];
  const mrr: number[] = [];
  const validity: number[] = [];
  for (const c of cases) {
    const expected = c.expected_sources ?? [];
    const query = messageOf(c);
    const top = await retrieved(kbId, query);
    recall.push(expected.filter((s) => top.some((d) => same(d, s))).length / expected.length);
    const first = top.findIndex((d) => expected.some((s) => same(d, s)));
    mrr.push(first < 0 ? 0 : 1 / (first + 1));
    const cites = await cited(agentId, query);
    const valid = cites.filter((d) => top.some((t) => same(t, d)) && expected.some((s) => same(s, d)));
    validity.push(cites.length ? valid.length / cites.length : 0);
  }
  return { recall_at_k: mean(recall), mrr: mean(mrr), citation_validity: mean(validity) };
}

/** `hive --json eval run …`: the run and its comparison, with the exit code. */
async function evalRun(key: string, extra: string[]) {
  const run = await hive(key, [
    "--json",
    "eval",
    "run",
    "--dataset",
    "cranfield",
    "--agent",
    "Aerobot",
    ...SCORERS,
    ...extra,
  ]);
  let parsed: { run: EvalRun; compare: EvalCompare | null };
  try {
    parsed = JSON.parse(run.stdout) as typeof parsed;
  } catch {
    throw new Error(`hive eval run exited ${run.code} without a report:\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, ...parsed };
}

await benchAgainst(platform, LOG_FILE, async () => {
  await api.login();
  const { key } = await api.call<{ key: string }>("POST", "/api/keys", {
    name: "evals-cranfield bench",
    scopes: ["agents:read", "agents:write", "chat", "knowledge:read", "knowledge:write", "evals"],
  });
  const kb = await api.call<{ id: string }>("POST", "/api/knowledge-bases", { name: "cranfield" });
  const t0 = performance.now();
  const upload = await hive(key, ["kb", "upload", join(EXAMPLES, "documents"), "--kb", kb.id]);
  if (upload.code !== 0) throw new Error(`hive kb upload exited ${upload.code}:\n${upload.stderr}`);
  const uploadSeconds = (performance.now() - t0) / 1000;
  const agent = await api.call<{ id: string; version: number }>("POST", "/api/agents", {
    name: "Aerobot",
    tools: ["knowledge_search"],
    knowledge_base_ids: [kb.id],
  });
  const dataset = await api.call<{ id: string }>("POST", "/api/evals/datasets", { name: "cranfield" });
  const imported = await fetch(`${platform.url}/api/evals/datasets/${dataset.id}/import?mode=replace`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    body: await readFile(join(EXAMPLES, "retrieval.jsonl"), "utf8"),
  });
  if (!imported.ok) throw new Error(`import: ${imported.status} ${(await imported.text()).slice(0, 300)}`);

  const first = await evalRun(key, []);
  if (first.code !== 0 || first.run.status !== "succeeded")
    throw new Error(`the first run ended ${first.run.status} (exit ${first.code})`);
  const byEval = first.run.summary?.scorers ?? {};
  const byApi = await direct(kb.id, agent.id);
  const rows = (["recall_at_k", "mrr", "citation_validity"] as const).map((name) => {
    const e = byEval[name]?.mean ?? Number.NaN;
    const d = byApi[name];
    return { name, e, d, diff: e - d };
  });
  const matched = rows.every((r) => Math.abs(r.diff) <= MATCH);

  await api.call("PATCH", `/api/agents/${agent.id}`, { knowledge_base_ids: [] });
  const worse = await evalRun(key, ["--baseline", first.run.id, "--fail-on-regression"]);
  const flagged = worse.code === 1 && (worse.compare?.summary.some((s) => s.regressed) ?? false);
  const viaApi = await api.call<EvalCompare>(
    "GET",
    `/api/evals/compare?baseline=${first.run.id}&candidate=${worse.run.id}`,
  );

  const f = (n: number) => n.toFixed(3);
  const signedDiff = (n: number) => `${n >= 0 ? "+" : "−"}${Math.abs(n).toFixed(3)}`;
  console.log(
    [
      "",
      "## Evaluation on Cranfield: the example dataset against the knowledge benchmark (issue 21)",
      "",
      `${new Date().toISOString().slice(0, 10)} · load average ${loadStart} at the start, ${loadavg()[0]?.toFixed(1)} at the end · offline providers, no model bound · ${cases.length} queries, the 300 example documents (uploaded and indexed by \`hive kb upload\` in ${uploadSeconds.toFixed(1)} s) · hybrid search, top ${K} passages.`,
      "",
      `| metric | \`hive eval run\` (run ${first.run.id}) | direct (search API + chat) | difference |`,
      "| --- | ---: | ---: | ---: |",
      ...rows.map(
        (r) =>
          `| ${r.name}${r.name === "recall_at_k" ? ` (k = ${K})` : ""} | ${f(r.e)} | ${f(r.d)} | ${signedDiff(r.diff)} |`,
      ),
      "",
      `Match within ${MATCH}: ${matched ? "yes" : "NO"}.`,
      "",
      `Worse version (knowledge base detached, agent v${agent.version + 1}): run ${worse.run.id}, \`--fail-on-regression\` exit ${worse.code} (${flagged ? "flagged" : "NOT flagged"}); compare API: ${viaApi.summary
        .map(
          (s) =>
            `${s.scorer} ${f(s.baseline_mean)} → ${f(s.candidate_mean)} (${signedDiff(s.delta)}, n ${s.n}${s.regressed ? ", regressed" : ""})`,
        )
        .join("; ")}; ${viaApi.regressions} case(s) regressed.`,
      "",
      "Reproduce: `node --import tsx bench/evals-cranfield.ts`",
      "",
    ].join("\n"),
  );
  if (!matched || !flagged || !viaApi.summary.some((s) => s.regressed)) process.exitCode = 1;
});
