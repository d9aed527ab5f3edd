// The load generator for the HTTP benchmarks: autocannon in its own process, pinned with
// taskset to a different core from the server (see test/browser/helpers/processes.ts).
import { spawnSync } from "node:child_process";
import { pinnedCommand } from "../../test/browser/helpers/processes";

export { hasTaskset } from "../../test/browser/helpers/processes";

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
}

/** autocannon in a separate process on `cpus`. */
export function load(
  cpus: string,
  opts: { url: string; headers?: Record<string, string>; connections?: number; duration?: number },
): LoadResult {
  const [cmd, args] = pinnedCommand(cpus, process.execPath, [
    new URL("./load.mjs", import.meta.url).pathname,
    JSON.stringify(opts),
  ]);
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`load generator failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as LoadResult;
}
