// `hive swarm run|list|show` against a stand-in for /api/swarm/runs that answers with the
// Worker's own types: the run advances one step per poll, as a coordinator would report it.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { StartRunBody, SwarmRunDetail, SwarmRunPage, SwarmStep } from "@hive/shared/swarm-protocol";
import { API_KEY, agentOf } from "./helpers/fake-hive-api";
import { killLeftovers, startHive } from "./helpers/live-hive";
import { runHive } from "./helpers/run-hive";

const NOW = "2026-01-01T12:00:00.000Z";
const AGENTS = [agentOf("agt_drafter", { name: "Drafter" }), agentOf("agt_editor", { name: "Editor" })];

function stepOf(seq: number, agentId: string, status: SwarmStep["status"], output: string | null): SwarmStep {
  const done = status !== "running" && status !== "pending";
  return {
    seq,
    key: `stage:${seq - 1}`,
    agent_id: agentId,
    role: "worker",
    round: 0,
    status,
    input: "Write a haiku about bees",
    output,
    choice: null,
    tokens_in: done ? 12 : 0,
    tokens_out: done ? 30 : 0,
    attempts: 1,
    model: "offline",
    degraded: true,
    error: null,
    started_at: NOW,
    ended_at: done ? NOW : null,
    latency_ms: done ? 41 : null,
    trace_id: null,
  };
}

/** What GET /api/swarm/runs/:id answers on successive polls: a two-stage pipeline. */
function timeline(body: StartRunBody): SwarmRunDetail[] {
  const base: SwarmRunDetail = {
    id: "run_fake1",
    workspace_id: "ws_test",
    created_by: "usr_test",
    strategy: "pipeline",
    task: body.task,
    status: "running",
    reason: null,
    output: null,
    config: {
      strategy: "pipeline",
      task: body.task,
      agent_ids: body.agent_ids,
      budget: {
        max_agents: 10,
        max_steps: 50,
        max_tokens: body.budget?.max_tokens ?? 200_000,
        deadline_ms: body.budget?.deadline_ms ?? 300_000,
      },
      step: { timeout_ms: 60_000, max_attempts: 2, backoff_ms: 250 },
    },
    agents: AGENTS.map((a) => ({ id: a.id, name: a.name, description: a.description, version: a.version })),
    tokens_used: 0,
    steps_used: 0,
    created_at: NOW,
    started_at: NOW,
    ended_at: null,
    deadline_at: null,
    steps: [],
  };
  const first = stepOf(1, "agt_drafter", "succeeded", "Bees hum in the sun");
  const second = stepOf(2, "agt_editor", "succeeded", "Bees hum, gold and slow");
  return [
    base,
    { ...base, steps: [stepOf(1, "agt_drafter", "running", null)] },
    { ...base, steps: [first, stepOf(2, "agt_editor", "running", null)], steps_used: 1, tokens_used: 42 },
    {
      ...base,
      status: "succeeded",
      reason: "the pipeline finished",
      output: second.output,
      steps: [first, second],
      steps_used: 2,
      tokens_used: 84,
      ended_at: NOW,
    },
  ];
}

describe("hive swarm", () => {
  let server: Server;
  let url: string;
  let dir: string;
  const requests: string[] = [];
  let started: StartRunBody | null = null;
  let states: SwarmRunDetail[] = [];
  let polls = 0;
  /** When set, the run stays at its first running step until it is cancelled. */
  let hold = false;
  let cancelled: SwarmRunDetail | null = null;
  /** When set, polls of the run fail at the socket, as a dropped network does. */
  let drop = false;
  const env = () => ({ HIVE_URL: url, HIVE_API_KEY: API_KEY, XDG_CONFIG_HOME: dir });

  const read = async (req: IncomingMessage): Promise<unknown> => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return text ? (JSON.parse(text) as unknown) : null;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "hive-swarm-"));
    server = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      void (async () => {
        const line = `${req.method} ${req.url}`;
        requests.push(line);
        if (req.headers.authorization !== `Bearer ${API_KEY}`)
          return send(401, {
            error: { code: "UNAUTHENTICATED", message: "no key", details: {}, timestamp: NOW, request_id: "req_1" },
          });
        const agent = AGENTS.find((a) => line === `GET /api/agents/${a.id}`);
        if (agent) return send(200, agent);
        if (line === "POST /api/swarm/runs") {
          started = (await read(req)) as StartRunBody;
          states = timeline(started);
          polls = 0;
          return send(201, states[0]);
        }
        if (line === "POST /api/swarm/runs/run_fake1/cancel") {
          const running = states[1] as SwarmRunDetail;
          cancelled = {
            ...running,
            status: "cancelled",
            reason: "cancelled by usr_test",
            ended_at: NOW,
            steps: running.steps.map((st) => ({ ...st, status: "cancelled" })),
          };
          return send(200, { cancelled: true, run: cancelled });
        }
        if (line === "GET /api/swarm/runs/run_fake1" && drop) return void req.socket.destroy();
        if (line === "GET /api/swarm/runs/run_fake1" && hold) return send(200, cancelled ?? states[1]);
        if (line === "GET /api/swarm/runs/run_fake1") {
          polls = Math.min(polls + 1, states.length - 1);
          return send(200, states[polls]);
        }
        if (line === "GET /api/swarm/runs?limit=20") {
          const page: SwarmRunPage = {
            data: states.slice(-1).map(({ steps: _steps, ...run }) => run),
            next_cursor: null,
          };
          return send(200, page);
        }
        send(404, {
          error: {
            code: "NOT_FOUND",
            message: `No route for ${line}`,
            details: {},
            timestamp: NOW,
            request_id: "req_1",
          },
        });
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    killLeftovers();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests.length = 0;
    started = null;
    hold = false;
    cancelled = null;
    drop = false;
  });

  test("a lost connection ends run with one line saying how to re-attach (exit 2); watch re-attaches to the run", {
    timeout: 60_000,
  }, async () => {
    hold = true;
    const hive = startHive(
      ["swarm", "run", "--agents", "agt_drafter,agt_editor", "--task", "Write a haiku about bees"],
      env(),
    );
    await hive.waitFor(/… #1 stage:0 worker Drafter running/);
    drop = true;
    assert.equal(await hive.exited, 2, hive.stderr());
    assert.match(
      hive.stderr(),
      /^hive: connection lost; the run continues on the server: hive swarm watch run_fake1 to re-attach$/m,
    );
    assert.doesNotMatch(hive.stderr(), / {4}at |TypeError/);
    assert.ok(!requests.includes("POST /api/swarm/runs/run_fake1/cancel"));

    drop = false;
    hold = false;
    polls = 1;
    const watched = await runHive(["swarm", "watch", "run_fake1"], env());
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /^Watching run run_fake1 \(running\)/m);
    assert.match(watched.stdout, /^Run run_fake1 succeeded: the pipeline finished/m);
  });

  test("Ctrl-C cancels the run through the API and prints how it ended", async () => {
    hold = true;
    const hive = startHive(
      ["swarm", "run", "--agents", "agt_drafter,agt_editor", "--task", "Write a haiku about bees"],
      env(),
    );
    await hive.waitFor(/… #1 stage:0 worker Drafter running/);
    hive.interrupt();
    assert.equal(await hive.exited, 130, hive.stderr());
    assert.match(hive.stderr(), /\[cancelling the run…\]/);
    assert.ok(requests.includes("POST /api/swarm/runs/run_fake1/cancel"));
    assert.match(hive.stdout(), /^Run run_fake1 cancelled: cancelled by usr_test \(0\/50 steps, 0\/200000 tokens\)$/m);
  });

  test("run sends the request, prints each step as it runs and settles, then the final status and output", async () => {
    const run = await runHive(
      [
        "swarm",
        "run",
        "--strategy",
        "pipeline",
        "--agents",
        "agt_drafter,agt_editor",
        "--task",
        "Write a haiku about bees",
        "--budget-tokens",
        "5000",
        "--deadline-seconds",
        "90",
      ],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(started, {
      strategy: "pipeline",
      task: "Write a haiku about bees",
      agent_ids: ["agt_drafter", "agt_editor"],
      budget: { max_tokens: 5000, deadline_ms: 90_000 },
    });
    const lines = run.stdout.split("\n");
    assert.equal(lines[0], "Started run run_fake1: pipeline, Drafter v1, Editor v1");
    const order = [
      "… #1 stage:0 worker Drafter running",
      "✓ #1 stage:0 worker Drafter succeeded (41 ms, 12+30 tokens, degraded)",
      "    Bees hum in the sun",
      "… #2 stage:1 worker Editor running",
      "✓ #2 stage:1 worker Editor succeeded (41 ms, 12+30 tokens, degraded)",
      "    Bees hum, gold and slow",
      "Run run_fake1 succeeded: the pipeline finished (2/50 steps, 84/5000 tokens)",
      "Output:",
      "Bees hum, gold and slow",
    ];
    let at = 0;
    for (const want of order) {
      const found = lines.indexOf(want, at);
      assert.ok(found >= at, `expected ${JSON.stringify(want)} after line ${at} in:\n${run.stdout}`);
      at = found + 1;
    }
    // Each step is printed once however many polls see it.
    assert.equal(lines.filter((l) => l.startsWith("✓ #1")).length, 1);
    assert.ok(requests.filter((r) => r === "GET /api/swarm/runs/run_fake1").length >= 3);
  });

  test("run refuses a bad strategy, a missing task and a malformed number before calling the API", async () => {
    const bad = await runHive(["swarm", "run", "--strategy", "mob", "--agents", "agt_drafter", "--task", "x"], env());
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--strategy must be one of pipeline, parallel, router, debate \(got 'mob'\)/);
    const noTask = await runHive(["swarm", "run", "--agents", "agt_drafter"], env());
    assert.equal(noTask.code, 64);
    assert.match(noTask.stderr, /--task is required/);
    // Numeric flags go through the CLI's one parser: an exponent is not a whole number here.
    const tokens = await runHive(
      ["swarm", "run", "--agents", "agt_drafter", "--task", "x", "--budget-tokens", "1e6"],
      env(),
    );
    assert.equal(tokens.code, 64);
    assert.match(tokens.stderr, /--budget-tokens must be a whole number of at least 100 \(got '1e6'\)/);
    assert.deepEqual(requests, []);
  });

  test("list prints a row per run and show prints the steps and output", async () => {
    states = timeline({
      strategy: "pipeline",
      task: "Write a haiku about bees",
      agent_ids: ["agt_drafter", "agt_editor"],
      budget: { max_tokens: 5000 },
    });
    polls = states.length - 1;
    const list = await runHive(["swarm", "list"], env());
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+STRATEGY\s+STATUS\s+STEPS\s+TOKENS\s+CREATED\s+TASK$/m);
    assert.match(
      list.stdout,
      /^run_fake1\s+pipeline\s+succeeded\s+2\s+84\s+2026-01-01 12:00Z\s+Write a haiku about bees$/m,
    );
    const show = await runHive(["swarm", "show", "run_fake1"], env());
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^agents\s+Drafter \(agt_drafter v1\), Editor \(agt_editor v1\)$/m);
    assert.match(show.stdout, /^✓ #2 stage:1 worker Editor succeeded/m);
    assert.match(show.stdout, /^Output:\nBees hum, gold and slow$/m);
    assert.match(show.stdout, /^budget\s+2\/50 steps, 84\/5000 tokens$/m);
  });
});
