#!/usr/bin/env node
// One autocannon run, printed as JSON. Spawned by the benchmarks under `taskset` so the load
// generator and the server sit on different cores.
import autocannon from "autocannon";

const opts = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: opts.url,
  headers: opts.headers ?? {},
  connections: opts.connections ?? 10,
  duration: opts.duration ?? 10,
});
const statuses = Object.fromEntries(
  Object.entries(result)
    .filter(([k]) => /^\dxx$/.test(k))
    .map(([k, v]) => [k, v]),
);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    statuses,
  }),
);
