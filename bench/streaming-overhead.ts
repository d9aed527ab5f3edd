// Streaming overhead: what the platform adds on top of the model's own time, through
//   chat (new)   POST /api/agents/:id/chat, a new conversation each time (D1 row + a fresh Agent DO)
//   chat (ahead) POST /api/agents/:id/chat, the first message of a conversation opened just
//                before (POST /api/agents/:id/conversations, untimed: the dashboard opens it
//                while the user types)
//   chat (cont)  POST /api/agents/:id/chat, continuing one conversation
//   /v1 agent    POST /v1/chat/completions, model = the agent id, stream: true
//   /v1 raw      POST /v1/chat/completions, model = "scripted:<n>:<ms>", stream: true
//   same-off, v1-agent-off: "same" and "/v1 agent" with an agent whose safety policy turns
//                every stage off, so the same run shows what the safety pipeline adds (the
//                stream guard releases each word when the next one starts: one token interval)
//   same-untraced: "same" on a second instance started with TRACING=off, so the same run shows
//                what tracing (default sampling) adds to the first token (issue 20: ≤ 1 ms)
// The model is the paced `scripted` provider (development/test only): its first token comes
// `interval` ms after it starts and its last at n × interval. The baseline is the same model
// served bare by the same Worker (GET /__bench/stream: no middleware, no auth, no Durable
// Object, no storage), so it holds what this server and its dev proxy cost any stream:
//   added to the first token = time to first token − the baseline's (both p50)
//   added in total           = total time − the baseline's, also as % of the model's n × interval
// Every round runs each path once, starting one path later each round, so no path always
// follows the same one. Paths share the server's core and disk: with "ahead" in the run (a
// second new Agent object per round) "new" measures slower (BENCHMARKS.md); --paths runs a subset.
// wrangler dev (workerd) runs on core 0, this client on core 1.
// Run: node --import tsx bench/streaming-overhead.ts [--tokens 50] [--interval 20] [--requests 30]
//        [--paths new,ahead,same,v1-agent,v1-raw]   (the baseline always runs)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startPlatform } from "../test/browser/helpers/platform";
import { hasTaskset } from "./lib/pinned";
import { appendReport } from "./lib/report";

const PATHS = ["new", "ahead", "same", "v1-agent", "v1-raw", "same-off", "v1-agent-off", "same-untraced"] as const;
const { values } = parseArgs({
  options: {
    tokens: { type: "string", default: "50" },
    interval: { type: "string", default: "20" },
    requests: { type: "string", default: "30" },
    paths: { type: "string", default: PATHS.join(",") },
  },
});
const paths = new Set(values.paths.split(","));
for (const p of paths)
  if (!(PATHS as readonly string[]).includes(p))
    throw new Error(`--paths: unknown path "${p}" (known: ${PATHS.join(", ")})`);
const tokens = Number(values.tokens);
const interval = Number(values.interval);
const requests = Number(values.requests);
const modelTotal = tokens * interval;
const admin = { email: "bench-admin@liquid-hive.local", password: "bench-admin-password-123" };

interface Sample {
  first: number;
  total: number;
}

/** Times one streamed request: until the first token frame, and until the stream ends. */
async function timed(url: string, init: RequestInit, isToken: (frame: string) => boolean): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(url, init);
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let first = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    if (first) continue;
    buffer += decoder.decode(r.value, { stream: true });
    const frames = buffer.split("\n\n");
    buffer = frames.pop() ?? "";
    if (frames.some(isToken)) first = performance.now() - started;
  }
  return { first, total: performance.now() - started };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const vars = {
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  RATE_LIMITS: "read=1000000000/60,write=1000000000/60,chat=1000000000/60,chat_tokens=1000000000/60",
  LOG_LEVEL: "warn",
  BENCH_BARE_ROUTE: "1",
};
const platform = await startPlatform({ cpus: "0", build: !existsSync("web/dist/index.html"), vars });
let untraced: Awaited<ReturnType<typeof startPlatform>> | undefined;

/** A chat and agents:read API key, a paced agent and one with every safety stage off, on the instance at `base`. */
async function provision(base: string) {
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { access_token } = await post<{ access_token: string }>("/api/auth/token", admin);
  const { key } = await post<{ key: string }>(
    "/api/keys",
    { name: "bench", scopes: ["chat", "agents:read"] },
    access_token,
  );
  const agent = await post<{ id: string }>(
    "/api/agents",
    { name: "Paced", model: { provider: "scripted", id: `${tokens}:${interval}` } },
    access_token,
  );
  const off = { enabled: false };
  const unguarded = await post<{ id: string }>(
    "/api/agents",
    {
      name: "Paced, unguarded",
      model: { provider: "scripted", id: `${tokens}:${interval}` },
      safety: { input: off, retrieval: off, tool_output: off, output: off },
    },
    access_token,
  );
  return { post, key, agent, unguarded, auth: { "content-type": "application/json", authorization: `Bearer ${key}` } };
}

try {
  // Tracing off on a second instance on the same core, for the same-untraced path.
  if (paths.has("same-untraced"))
    untraced = await startPlatform({
      cpus: "0",
      build: false,
      name: "liquid-hive-untraced",
      vars: { ...vars, TRACING: "off" },
    });
  // The servers were pinned to core 0 at spawn; this client and its threads move to core 1.
  if (hasTaskset) spawnSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  const base = platform.url;
  const { post, key, agent, unguarded, auth } = await provision(base);
  const other = untraced ? { base: untraced.url, ...(await provision(untraced.url)) } : undefined;

  const chatToken = (f: string) => f.startsWith("event: token");
  const openAiToken = (f: string) => f.includes('"content":"tok');
  let conversationId = "";
  let unguardedConversationId = "";
  let untracedConversationId = "";
  const BASELINE = "baseline: the model bare (GET /__bench/stream)";
  const SAME = "chat, same conversation";
  const UNTRACED = "chat, same conversation, TRACING=off (second instance)";
  /** A chat turn with the agent (in the conversation, when given), timed to its first token. */
  const chat = (agentId: string, conversation?: string, at = { base, auth }) =>
    timed(
      `${at.base}/api/agents/${agentId}/chat`,
      { method: "POST", headers: at.auth, body: JSON.stringify({ message: "go", conversation_id: conversation }) },
      chatToken,
    );
  /** A streamed /v1 completion from `model` (an agent id or provider:model). */
  const v1 = (model: string) =>
    timed(
      `${base}/v1/chat/completions`,
      {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "go" }] }),
      },
      openAiToken,
    );
  const scenarios: { key: string; name: string; run: () => Promise<Sample> }[] = [
    {
      key: "baseline",
      name: BASELINE,
      run: () => timed(`${base}/__bench/stream?tokens=${tokens}&interval=${interval}`, {}, chatToken),
    },
    { key: "new", name: "chat, new conversation", run: () => chat(agent.id) },
    {
      key: "ahead",
      name: "chat, conversation opened ahead",
      run: async () =>
        chat(agent.id, (await post<{ id: string }>(`/api/agents/${agent.id}/conversations`, {}, key)).id),
    },
    { key: "same", name: SAME, run: () => chat(agent.id, conversationId) },
    { key: "v1-agent", name: "/v1 stream, agent model", run: () => v1(agent.id) },
    {
      key: "same-off",
      name: "chat, same conversation, safety off",
      run: () => chat(unguarded.id, unguardedConversationId),
    },
    { key: "v1-agent-off", name: "/v1 stream, agent model, safety off", run: () => v1(unguarded.id) },
    { key: "v1-raw", name: "/v1 stream, raw model", run: () => v1(`scripted:${tokens}:${interval}`) },
    {
      key: "same-untraced",
      name: UNTRACED,
      run: () =>
        other ? chat(other.agent.id, untracedConversationId, other) : Promise.reject(new Error("no instance")),
    },
  ].filter((s) => s.key === "baseline" || paths.has(s.key));

  // One conversation to continue, and a warm-up of every path (JIT, Durable Objects, D1).
  const open = async (agentId: string, at = { base, auth }) => {
    const opened = await fetch(`${at.base}/api/agents/${agentId}/chat`, {
      method: "POST",
      headers: at.auth,
      body: JSON.stringify({ message: "open" }),
    });
    await opened.text();
    return opened.headers.get("x-conversation-id") ?? "";
  };
  conversationId = await open(agent.id);
  unguardedConversationId = await open(unguarded.id);
  if (other) untracedConversationId = await open(other.agent.id, other);
  for (const s of scenarios) for (let i = 0; i < 3; i++) await s.run();

  const results = new Map<string, Sample[]>(scenarios.map((s) => [s.name, []]));
  // For reference: a bare HTTP round trip (no middleware) to this server through wrangler dev.
  const floor: number[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await (await fetch(`${base}/__bench/bare`)).text();
    floor.push(performance.now() - started);
    for (let k = 0; k < scenarios.length; k++) {
      const s = scenarios[(i + k) % scenarios.length]!;
      results.get(s.name)?.push(await s.run());
    }
  }
  const loadAfter = loadavg()[0] ?? 0;

  const stats = (name: string) => {
    const xs = results.get(name) ?? [];
    return {
      first: quantile(
        xs.map((x) => x.first),
        0.5,
      ),
      firstP90: quantile(
        xs.map((x) => x.first),
        0.9,
      ),
      total: quantile(
        xs.map((x) => x.total),
        0.5,
      ),
    };
  };
  const baseline = stats(BASELINE);
  const rows = scenarios.slice(1).map((s) => {
    const r = stats(s.name);
    return {
      name: s.name,
      ...r,
      addedFirst: r.first - baseline.first,
      addedTotal: r.total - baseline.total,
      addedPct: ((r.total - baseline.total) / modelTotal) * 100,
    };
  });
  const table = [
    "| path | time to first token p50 ms | p90 ms | added to the first token p50 ms | total p50 ms | added in total p50 ms | added in total % |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${BASELINE} | ${baseline.first.toFixed(1)} | ${baseline.firstP90.toFixed(1)} | | ${baseline.total.toFixed(1)} | | |`,
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.first.toFixed(1)} | ${r.firstP90.toFixed(1)} | ${r.addedFirst.toFixed(1)} | ${r.total.toFixed(1)} | ${r.addedTotal.toFixed(1)} | ${r.addedPct.toFixed(2)}% |`,
    ),
  ].join("\n");
  const traced = rows.find((r) => r.name === SAME);
  const plain = rows.find((r) => r.name === UNTRACED);
  const tracing =
    traced && plain
      ? [
          `tracing (default sampling) adds ${(traced.first - plain.first).toFixed(1)} ms to the first token of "${SAME}" (${traced.first - plain.first <= 1 ? "meets" : "MISSES"} ≤ 1 ms)`,
        ]
      : [];
  const verdict = [
    ...rows.map(
      (r) =>
        `${r.name}: +${r.addedFirst.toFixed(1)} ms first token (${r.addedFirst < 10 ? "meets" : "MISSES"} < 10 ms), +${r.addedPct.toFixed(2)}% total (${r.addedPct < 5 ? "meets" : "MISSES"} < 5%)`,
    ),
    ...tracing,
  ].join("; ");
  for (const line of tracing) console.log(line);
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, taskset ${hasTaskset ? "server core 0 / client core 1" : "unavailable: not pinned"}`;
  const report = `\n## Streaming overhead (issue 5)\n\n${new Date().toISOString().slice(0, 10)} · ${machine} · paced scripted model, ${tokens} tokens every ${interval} ms (model: first token at ${interval} ms, last at ${modelTotal} ms) · ${requests} rounds of one sequential request per path after 3 warm-ups, through wrangler dev on 127.0.0.1; a bare round trip (GET /__bench/bare) p50 ${quantile(floor, 0.5).toFixed(1)} ms; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (other work on the machine inflates every figure). Times are from the request to the first token frame and to the end of the stream; "added" is over the baseline.\n\n${table}\n\n${verdict}.\n\nReproduce: \`node --import tsx bench/streaming-overhead.ts --tokens ${tokens} --interval ${interval} --requests ${requests}${values.paths === PATHS.join(",") ? "" : ` --paths ${values.paths}`}\`\n`;
  appendReport(report);
} finally {
  await untraced?.stop();
  await platform.stop();
}
