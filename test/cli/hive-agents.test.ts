import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, test } from "node:test";
import { agentOf } from "./helpers/fake-hive-api";
import { fakeHiveSuite } from "./helpers/fake-hive-suite";
import { runHive } from "./helpers/run-hive";

describe("hive agents", () => {
  const fake = fakeHiveSuite("agents");
  const env = fake.env;

  beforeEach(() => {
    fake.api.agents = [
      agentOf("agt_helpdesk"),
      agentOf("agt_writer", {
        name: "Writer",
        model: { provider: "workers-ai", id: "@cf/meta/llama-3.1-8b-instruct" },
        tools: ["calculator", "current_time"],
      }),
      agentOf("agt_fetcher", { name: "Fetcher", tools: ["http_get"] }),
    ];
  });

  test("list follows every page and prints one row per agent", async () => {
    const run = await runHive(["agents", "list"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ID\s+NAME\s+MODEL\s+TOOLS\s+VERSION\s+UPDATED$/m);
    assert.match(run.stdout, /^agt_helpdesk\s+Helpdesk\s+offline:offline\s+-\s+v1\s+2026-01-01 12:00Z$/m);
    assert.match(
      run.stdout,
      /^agt_writer\s+Writer\s+workers-ai:@cf\/meta\/llama-3\.1-8b-instruct\s+calculator,current_time\s+v1/m,
    );
    assert.match(run.stdout, /^agt_fetcher\s+Fetcher\s+offline:offline\s+http_get\s+v1/m);
    assert.deepEqual(fake.api.requests, ["GET /api/agents?limit=100", "GET /api/agents?limit=100&cursor=2"]);
  });

  test("list --json prints every agent as one document; no agents says how to make one", async () => {
    const json = await runHive(["agents", "list", "--json"], env());
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { data: { id: string }[] }).data.map((a) => a.id),
      ["agt_helpdesk", "agt_writer", "agt_fetcher"],
    );
    fake.api.agents = [];
    const empty = await runHive(["agents"], env());
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, "No agents. Create one with: hive agents create --name <name>\n");
  });

  test("create sends the flags as the API's request, knowledge bases looked up by name", async () => {
    const run = await runHive(
      [
        "agents",
        "create",
        "--name",
        "Researcher",
        "--model",
        "workers-ai:@cf/meta/llama-3.1-8b-instruct",
        "--system-prompt",
        "Cite your sources.",
        "--tool",
        "calculator",
        "--tool",
        "knowledge_search",
        "--kb",
        "Handbook",
        "--temperature",
        "0.2",
        "--max-tokens",
        "512",
        "--private",
        "--allow-system-override",
      ],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.bodies.get("POST /api/agents"), [
      {
        name: "Researcher",
        system_prompt: "Cite your sources.",
        model: { provider: "workers-ai", id: "@cf/meta/llama-3.1-8b-instruct" },
        temperature: 0.2,
        max_tokens: 512,
        tools: ["calculator", "knowledge_search"],
        knowledge_base_ids: ["kb_handbook"],
        visibility: "private",
        allow_system_override: true,
      },
    ]);
    assert.match(
      run.stdout,
      /^Created agent Researcher \(agt_new3\), version 1, model workers-ai:@cf\/meta\/llama-3\.1-8b-instruct\.\nTalk to it with: hive chat agt_new3\n$/,
    );
  });

  test("create --file reads a definition; flags override it; a bare provider takes its default model", async () => {
    const file = join(fake.dir, "agent.json");
    await writeFile(
      file,
      JSON.stringify({ name: "From file", system_prompt: "Be brief.", tools: ["current_time"], max_steps: 3 }),
    );
    const run = await runHive(
      ["agents", "create", "--file", file, "--name", "Renamed", "--model", "offline", "--json"],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.api.bodies.get("POST /api/agents"), [
      {
        name: "Renamed",
        system_prompt: "Be brief.",
        tools: ["current_time"],
        max_steps: 3,
        model: { provider: "offline", id: "offline" },
      },
    ]);
    const created = JSON.parse(run.stdout) as { id: string; name: string; definition: { max_steps: number } };
    assert.equal(created.name, "Renamed");
    assert.equal(created.definition.max_steps, 3);
  });

  test("create refuses bad flags before calling the API (exit 64)", async () => {
    const cases: [string[], RegExp][] = [
      [["agents", "create"], /--name is required/],
      [
        ["agents", "create", "--name", "x", "--tool", "teleport"],
        /--tool: unknown teleport \(calculator, current_time, http_get, knowledge_search\)/,
      ],
      [
        ["agents", "create", "--name", "x", "--model", "gpt:4"],
        /--model: unknown provider 'gpt' \(offline, workers-ai, openai-compatible, scripted\)/,
      ],
      [["agents", "create", "--name", "x", "--temperature", "warm"], /--temperature must be a number/],
      [["agents", "create", "--file", join(fake.dir, "missing.json")], /--file .*missing\.json: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const run = await runHive(args, env());
      assert.equal(run.code, 64, args.join(" "));
      assert.match(run.stderr, message, args.join(" "));
    }
    assert.equal(fake.api.bodies.get("POST /api/agents"), undefined, "nothing was created");
  });

  test("show finds an agent by name and prints its definition and versions", async () => {
    const run = await runHive(["agents", "show", "writer"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Writer — Answers office questions$/m);
    assert.match(run.stdout, /^model\s+workers-ai:@cf\/meta\/llama-3\.1-8b-instruct$/m);
    assert.match(run.stdout, /^tools\s+calculator, current_time$/m);
    assert.match(run.stdout, /^\/v1 system\s+callers' system messages refused$/m);
    assert.match(run.stdout, /^VERSION\s+CREATED\s+MODEL$/m);
    assert.match(run.stdout, /^v1\s+2026-01-01 12:00Z\s+workers-ai:@cf\/meta\/llama-3\.1-8b-instruct\s+current$/m);
    assert.ok(fake.api.requests.includes("GET /api/agents/agt_writer/versions?limit=10"));
  });

  test("show of an unknown name, and of an ambiguous one", async () => {
    const missing = await runHive(["agents", "show", "Nobody"], env());
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "hive: no agent named 'Nobody'\n");
    fake.api.agents.push(agentOf("agt_twin", { name: "Writer" }));
    const twice = await runHive(["agents", "show", "Writer"], env());
    assert.equal(twice.code, 64);
    assert.match(twice.stderr, /2 agents are named 'Writer'; use an id: agt_writer, agt_twin/);
  });

  test("the API's refusal is reported with its code and request id", async () => {
    const run = await runHive(["agents", "list"], { ...env(), HIVE_API_KEY: "lh_wrong" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^hive: UNAUTHENTICATED: Authentication required \(request req_fake\)$/m);
  });

  test("--json errors are one JSON object on stdout, with the same exit codes", async () => {
    const missing = await runHive(["--json", "agents", "show", "NoSuchAgent"], env());
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "");
    assert.deepEqual(JSON.parse(missing.stdout), {
      error: { code: "NOT_FOUND", message: "no agent named 'NoSuchAgent'", request_id: null },
    });
    const refused = await runHive(["--json", "agents", "list"], { ...env(), HIVE_API_KEY: "lh_wrong" });
    assert.equal(refused.code, 1);
    assert.deepEqual(JSON.parse(refused.stdout), {
      error: { code: "UNAUTHENTICATED", message: "Authentication required", request_id: "req_fake" },
    });
    const unreachable = await runHive(["--json", "agents", "list"], { ...env(), HIVE_URL: "http://127.0.0.1:9" });
    assert.equal(unreachable.code, 2);
    assert.equal(JSON.parse(unreachable.stdout).error.code, "UNREACHABLE");
  });

  test("control characters in server text are shown, never obeyed by the terminal", async () => {
    fake.api.agents.push(
      agentOf("agt_evil", { name: "Evil\u001b]0;pwned\u0007\u001b[31mRED\r\nline", description: "bell\u0007" }),
    );
    const list = await runHive(["agents", "list"], env());
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.match(list.stdout, /Evil\^\[\]0;pwned\^G\^\[\[31mRED\^M\\nline/);
    const show = await runHive(["agents", "show", "agt_evil"], env());
    assert.doesNotMatch(show.stdout + show.stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
