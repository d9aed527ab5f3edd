// `hive eval run|runs|show|compare` against a stand-in for /api/evals that speaks the API's own
// shapes (shared/api-types/evals.ts): names resolved to ids, live progress from the SSE stream or
// by polling, the summary table, the comparison with a baseline as a CI gate (exit 1 on a
// regression), usage errors before any request (exit 64), and Ctrl-C cancelling the run (exit 130).
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, beforeEach, describe, test } from "node:test";
import type { EvalCompare, EvalRun } from "@hive/shared/api-types/evals";
import { fakeApiSuite } from "./helpers/fake-api-suite";
import { startFakeEvalsApi } from "./helpers/fake-evals-api";
import { API_KEY } from "./helpers/fake-hive-api";
import { killLeftovers, startHive } from "./helpers/live-hive";
import { runHive } from "./helpers/run-hive";

describe("hive eval runs", () => {
  const fake = fakeApiSuite("eval", startFakeEvalsApi);
  const env = () => ({ HIVE_URL: fake.api.url, HIVE_API_KEY: API_KEY, XDG_CONFIG_HOME: fake.dir });
  const evalRun = (...args: string[]) =>
    runHive(["eval", "run", "--dataset", "cranfield", "--agent", "Librarian", ...args], env());

  after(killLeftovers);
  beforeEach(() => {
    fake.api.requests.length = 0;
    fake.api.started.length = 0;
    fake.api.sse = true;
    fake.api.hold = false;
    fake.api.cutAfter = null;
  });

  test("run resolves names to ids, sends version, scorers, concurrency and budget, follows the SSE stream and prints the summary", async () => {
    const run = await evalRun(
      ...["--version", "1", "--scorer", "recall_at_k:0.7", "--scorer", "citation_validity", "--k", "5"],
      ...["--concurrency", "3", "--budget-tokens", "5000", "--label", "ci"],
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.started, [
      {
        dataset_id: "evd_cran",
        target: { kind: "agent", agent_id: "agt_lib", agent_version: 1 },
        scorers: [{ name: "recall_at_k", threshold: 0.7, options: { k: 5 } }, { name: "citation_validity" }],
        concurrency: 3,
        budget_tokens: 5000,
        label: "ci",
      },
    ]);
    assert.ok(fake.api.requests.some((r) => r.startsWith("GET /api/evals/runs/evr_") && r.endsWith("/events")));
    assert.match(run.stdout, /^Started run (evr_\d+): agent agt_lib v1 over 3 cases \(dataset v3\)$/m);
    // One line per finished case, numbers and words both.
    assert.match(run.stdout, /^\[1\/3\] q001 recall_at_k 1\.00 PASS$/m);
    assert.match(run.stdout, /^\[2\/3\] q002 recall_at_k 0\.80 PASS$/m);
    assert.match(run.stdout, /^\[3\/3\] q003 recall_at_k 0\.60 FAIL$/m);
    assert.match(run.stdout, /^Run evr_\d+ succeeded \(3\/3 cases, 90 tokens\)$/m);
    assert.match(run.stdout, /^SCORER\s+MEAN\s+PASS RATE\s+N$/m);
    assert.match(run.stdout, /^recall_at_k\s+0\.800\s+66\.7%\s+3$/m);
    assert.match(run.stdout, /^TAG\s+SCORER\s+MEAN\s+PASS RATE\s+N$/m);
    assert.match(run.stdout, /^short\s+recall_at_k\s+1\.000\s+100\.0%\s+1$/m);
  });

  test("without the SSE stream, run polls the run until it ends", async () => {
    fake.api.sse = false;
    const run = await evalRun("--version", "1");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(fake.api.requests.filter((r) => /^GET \/api\/evals\/runs\/evr_\d+$/.test(r)).length >= 3);
    assert.match(run.stdout, /^\[3\/3\] cases done$/m);
    // The default threshold (0.5 here) passes all three.
    assert.match(run.stdout, /^recall_at_k\s+0\.800\s+100\.0%\s+3$/m);
  });

  test("a stream that ends before `done` is followed by polling to the run's end", async () => {
    fake.api.cutAfter = 1;
    const run = await evalRun("--version", "1");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\[1\/3\] q001 recall_at_k 1\.00 PASS$/m);
    assert.ok(
      fake.api.requests.some((r) => /^GET \/api\/evals\/runs\/evr_\d+$/.test(r)),
      "it polled the run",
    );
    assert.match(run.stdout, /^\[3\/3\] cases done$/m);
    assert.match(run.stdout, /^Run evr_\d+ succeeded \(3\/3 cases, 90 tokens\)$/m);
  });

  test("--baseline with --fail-on-regression: a worse version exits 1 with the regression first; the same version exits 0", async () => {
    const base = await evalRun("--version", "1", "--json");
    assert.equal(base.code, 0, base.stderr);
    const baseline = (JSON.parse(base.stdout) as { run: EvalRun }).run.id;

    const worse = await evalRun("--version", "2", "--baseline", baseline, "--fail-on-regression");
    assert.equal(worse.code, 1, worse.stderr);
    assert.ok(
      fake.api.requests.some((r) => r.startsWith(`GET /api/evals/compare?baseline=${baseline}&candidate=evr_`)),
    );
    assert.match(worse.stdout, /^REGRESSED\s+recall_at_k\s+0\.800\s+0\.267\s+-0\.533\s+3$/m);
    assert.match(worse.stdout, /^2 case\(s\) regressed, 0 improved\.$/m);
    const cases = worse.stdout.slice(worse.stdout.search(/^VERDICT\s+CASE/m));
    assert.match(cases, /REGRESSION\s+q001\s+recall_at_k -0\.800\nREGRESSION\s+q002\s+recall_at_k -0\.800/);

    const same = await evalRun("--version", "1", "--baseline", baseline, "--fail-on-regression", "--json");
    assert.equal(same.code, 0, same.stderr);
    const out = JSON.parse(same.stdout) as { run: EvalRun; compare: EvalCompare };
    assert.equal(out.compare.summary[0]?.regressed, false);
    assert.equal(out.run.status, "succeeded");

    // Without --fail-on-regression the gate is off: the regression is reported, the exit is 0.
    const report = await evalRun("--version", "2", "--baseline", baseline);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /^REGRESSED\s+recall_at_k/m);
  });

  test("bad flags are usage errors (exit 64) before any request", async () => {
    for (const args of [
      ["--scorer", "bleu"],
      ["--scorer", "recall_at_k:1.5"],
      ["--concurrency", "9"],
      ["--tolerance", "x"],
      ["--fail-on-regression"],
      ["--k", "5"],
    ]) {
      const run = await evalRun(...args);
      assert.equal(run.code, 64, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /^hive: /m);
    }
    const missing = await runHive(["eval", "run", "--agent", "Librarian"], env());
    assert.equal(missing.code, 64);
    assert.match(missing.stderr, /--dataset NAME and either --agent NAME or --swarm-config FILE.json are required/);
    assert.deepEqual(fake.api.requests, []);
  });

  test("run --swarm-config sends the file's swarm configuration as the target; bad files are usage errors", async () => {
    const config = { strategy: "pipeline", agent_ids: ["agt_a", "agt_b"], budget: { max_steps: 4 } };
    const file = join(fake.dir, "swarm.json");
    await writeFile(file, JSON.stringify(config));
    const run = await runHive(["eval", "run", "--dataset", "cranfield", "--swarm-config", file], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.started, [{ dataset_id: "evd_cran", target: { kind: "swarm", config } }]);
    assert.match(run.stdout, /^Started run evr_\d+: swarm over 3 cases/m);

    fake.api.requests.length = 0;
    const notJson = join(fake.dir, "broken.json");
    await writeFile(notJson, "[1, 2]");
    for (const args of [
      ["--swarm-config", join(fake.dir, "missing.json")],
      ["--swarm-config", notJson],
      ["--swarm-config", file, "--agent", "Librarian"],
      ["--swarm-config", file, "--version", "2"],
    ]) {
      const bad = await runHive(["eval", "run", "--dataset", "cranfield", ...args], env());
      assert.equal(bad.code, 64, `${args.join(" ")}: ${bad.stderr}`);
      assert.match(bad.stderr, /^hive: .*(--swarm-config|--agent and --swarm-config)/m);
    }
    assert.deepEqual(fake.api.requests, []);
  });

  test("an unknown dataset or agent name fails with exit 1 and starts nothing", async () => {
    const run = await runHive(["eval", "run", "--dataset", "nope", "--agent", "Librarian"], env());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no dataset named 'nope'/);
    assert.deepEqual(fake.api.started, []);
  });

  test("Ctrl-C cancels the run through the API and exits 130", async () => {
    fake.api.hold = true;
    const hive = startHive(["eval", "run", "--dataset", "cranfield", "--agent", "Librarian"], env());
    await hive.waitFor(/^\[1\/3\] q001/m);
    hive.interrupt();
    assert.equal(await hive.exited, 130, hive.stderr());
    assert.match(hive.stderr(), /\[cancelling the run…\]/);
    assert.ok(fake.api.requests.some((r) => /^POST \/api\/evals\/runs\/evr_\d+\/cancel$/.test(r)));
    assert.match(hive.stdout(), /^Run evr_\d+ cancelled \(1\/3 cases\)$/m);
  });

  test("runs filters by dataset; show --failed lists failed cases with links; compare prints deltas", async () => {
    const a = JSON.parse((await evalRun("--version", "1", "--json")).stdout) as { run: EvalRun };
    const b = JSON.parse((await evalRun("--version", "2", "--json")).stdout) as { run: EvalRun };
    fake.api.requests.length = 0;

    const runs = await runHive(["eval", "runs", "--dataset", "cranfield"], env());
    assert.equal(runs.code, 0, runs.stderr);
    assert.ok(fake.api.requests.includes("GET /api/evals/runs?limit=20&dataset_id=evd_cran"));
    assert.match(runs.stdout, new RegExp(`^${a.run.id}\\s+evd_cran v3\\s+agent agt_lib v1\\s+succeeded\\s+3/3`, "m"));

    const show = await runHive(["eval", "show", b.run.id, "--failed"], env());
    assert.equal(show.code, 0, show.stderr);
    assert.ok(
      fake.api.requests.some(
        (r) => r.startsWith(`GET /api/evals/runs/${b.run.id}/results?`) && r.includes("failed=true"),
      ),
    );
    assert.match(show.stdout, /^1\s+q002\s+done\s+recall_at_k 0\.00 FAIL\s+40 ms\s+conv_1\s+trace_1$/m);
    assert.doesNotMatch(show.stdout, /^2\s+q003/m, "q003 passed (0.6 ≥ 0.5) and is not listed under --failed");

    const cmp = await runHive(
      ["eval", "compare", a.run.id, b.run.id, "--tolerance", "0.1", "--fail-on-regression"],
      env(),
    );
    assert.equal(cmp.code, 1, cmp.stderr);
    assert.ok(
      fake.api.requests.includes(`GET /api/evals/compare?baseline=${a.run.id}&candidate=${b.run.id}&tolerance=0.1`),
    );
    assert.match(cmp.stdout, /tolerance 0\.1$/m);
    assert.match(cmp.stdout, /^REGRESSED\s+recall_at_k\s+0\.800\s+0\.267\s+-0\.533\s+3$/m);

    const usage = await runHive(["eval", "compare", a.run.id], env());
    assert.equal(usage.code, 64);
  });
});
