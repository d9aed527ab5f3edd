import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { startPlatform } from "../test/browser/helpers/platform";
import { hasTaskset, type LoadResult, load } from "./lib/pinned";
import { appendReport } from "./lib/report";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "10" },
    "log-level": { type: "string", default: "warn" },
    /** TRACE_SAMPLE_RATE of the traced instance; unset: the default (one trace in ten). */
    "trace-sample-rate": { type: "string" },
  },
});
const sampleRate = values["trace-sample-rate"];
const logLevel = values["log-level"];
const duration = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const admin = { email: "bench-admin@liquid-hive.local", password: "bench-admin-password-123" };

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const vars = {
  BENCH_BARE_ROUTE: "1",
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  RATE_LIMITS: "read=1000000000/60",
  LOG_LEVEL: logLevel,
};
// Tracing on (default sampling) and off in the same run: two instances on the same core, measured
// in alternating rounds, so the machine's load falls on both alike.
const platform = await startPlatform({
  cpus: "0",
  vars: sampleRate === undefined ? vars : { ...vars, TRACE_SAMPLE_RATE: sampleRate },
});
let untraced: Awaited<ReturnType<typeof startPlatform>> | undefined;
try {
  untraced = await startPlatform({
    cpus: "0",
    build: false,
    name: "liquid-hive-untraced",
    vars: { ...vars, TRACING: "off" },
  });
  const on = await prepare(platform.url);
  const off = await prepare(untraced.url);
  const base = platform.url;
  const stackHeaders = on.headers;
  const cacheStates = on.cacheStates;

  // Warm every path (JIT, DO instances, KV) before measuring.
  load("1", { url: `${base}/__bench/bare`, connections, duration: 2 });
  load("1", { url: `${base}/api/agents`, headers: stackHeaders, connections, duration: 2 });
  load("1", { url: `${untraced.url}/api/agents`, headers: off.headers, connections, duration: 2 });

  const bare: LoadResult[] = [];
  const stack: LoadResult[] = [];
  const stackOff: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(load("1", { url: `${base}/__bench/bare`, connections, duration }));
    stack.push(load("1", { url: `${base}/api/agents`, headers: stackHeaders, connections, duration }));
    stackOff.push(load("1", { url: `${untraced.url}/api/agents`, headers: off.headers, connections, duration }));
  }
  const mean = (xs: LoadResult[], k: "rps" | "p50" | "p99") => xs.reduce((s, x) => s + x[k], 0) / xs.length;
  const b = { rps: mean(bare, "rps"), p50: mean(bare, "p50"), p99: mean(bare, "p99") };
  const s = { rps: mean(stack, "rps"), p50: mean(stack, "p50"), p99: mean(stack, "p99") };
  const o = { rps: mean(stackOff, "rps"), p50: mean(stackOff, "p50"), p99: mean(stackOff, "p99") };
  const non2xx = [...stack, ...bare, ...stackOff].reduce((n, x) => n + x.non2xx, 0);
  const throughput = s.rps / b.rps;
  const p50Ratio = s.p50 / b.p50;
  const tracingCost = 1 - s.rps / o.rps;

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, taskset ${hasTaskset ? "server core 0 / load core 1" : "unavailable: not pinned"}`;
  const sampling = sampleRate === undefined ? "default sampling (one trace in ten)" : `TRACE_SAMPLE_RATE=${sampleRate}`;
  const table = [
    "| path | req/s | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: |",
    `| bare (/__bench/bare) | ${b.rps.toFixed(0)} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} |`,
    `| full stack (GET /api/agents, API key), tracing on | ${s.rps.toFixed(0)} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} |`,
    `| full stack, TRACING=off | ${o.rps.toFixed(0)} | ${o.p50.toFixed(2)} | ${o.p99.toFixed(2)} |`,
    `| **ratio** | **${(throughput * 100).toFixed(1)}%** of bare (target ≥ 60%) | **${p50Ratio.toFixed(2)}x** (target ≤ 1.5x) | ${(s.p99 / b.p99).toFixed(2)}x |`,
    `| **tracing on / off** | **${((s.rps / o.rps) * 100).toFixed(1)}%** (cost ${(tracingCost * 100).toFixed(1)}%, target ≤ 5%) | ${(s.p50 / o.p50).toFixed(2)}x | ${(s.p99 / o.p99).toFixed(2)}x |`,
  ].join("\n");
  const verdict = `throughput ${throughput >= 0.6 ? "meets" : "MISSES"} the target; p50 ${p50Ratio <= 1.5 ? "meets" : "MISSES"} the target; tracing ${tracingCost <= 0.05 ? "meets" : "MISSES"} its 5% budget`;
  const flags = `--duration ${duration} --rounds ${rounds} --log-level ${logLevel}${sampleRate === undefined ? "" : ` --trace-sample-rate ${sampleRate}`}`;
  const report = `\n## Middleware stack cost (issues 4, 20)\n\n${new Date().toISOString().slice(0, 10)} · ${machine} · ${rounds} rounds × ${duration} s, ${connections} connections, through wrangler dev, LOG_LEVEL=${logLevel}${logLevel === "warn" ? " (production's)" : ""}; tracing on with ${sampling}, against a second instance with TRACING=off in alternating rounds. Cache on the stack path: first ${cacheStates[0]}, then ${cacheStates[1]}. Non-2xx answers during the runs: ${non2xx}.\n\n${table}\n\n${verdict}.\n\nReproduce: \`node --import tsx bench/middleware-stack.ts ${flags}\`\n`;
  console.log(
    `tracing on/off throughput: ${((s.rps / o.rps) * 100).toFixed(1)}% (p50 ${s.p50.toFixed(2)} vs ${o.p50.toFixed(2)} ms)`,
  );
  appendReport(report);
} finally {
  await untraced?.stop();
  await platform.stop();
}

/** An admin, five agents and a read-only API key on one instance; the key's headers and the cache states of two probes. */
async function prepare(base: string): Promise<{ headers: Record<string, string>; cacheStates: (string | null)[] }> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const { access_token } = await json<{ access_token: string }>(await post("/api/auth/token", admin));
  for (let i = 0; i < 5; i++) {
    await json(
      await post(
        "/api/agents",
        { name: `Bench agent ${i}`, system_prompt: "You are helpful.", model: { provider: "offline", id: "offline" } },
        access_token,
      ),
    );
  }
  const { key } = await json<{ key: string }>(
    await post("/api/keys", { name: "bench", scopes: ["agents:read"] }, access_token),
  );
  const stackHeaders = { authorization: `Bearer ${key}` };

  const probe = await fetch(`${base}/api/agents`, { headers: stackHeaders });
  const probe2 = await fetch(`${base}/api/agents`, { headers: stackHeaders });
  if (probe.status !== 200) throw new Error(`stack route answered ${probe.status}`);
  return { headers: stackHeaders, cacheStates: [probe.headers.get("x-cache"), probe2.headers.get("x-cache")] };
}
