// Starts the real platform for end-to-end tests: the built dashboard, local D1 migrations and
// `wrangler dev` on a free port. State and the dev registry live in a temporary directory, so
// the developer's .wrangler/state is never touched and other local wrangler sessions are
// neither seen nor disturbed. An empty env file stands in for the developer's .dev.vars (wrangler
// reads no .dev.vars when given --env-file), so only the vars a test passes are set. Reused by
// every browser test (status, login, API keys...).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localServe, run, startWrangler } from "./processes";

export interface PlatformOptions {
  /** Build web/dist first (default true; built once per test process). */
  build?: boolean;
  /** Extra `--var KEY:VALUE` pairs, e.g. an admin account for login tests. */
  vars?: Record<string, string>;
  /** Worker name (default: wrangler.toml's). Pages dev registers under the same base name, so a
   * test that runs both gives the Worker another one. */
  name?: string;
  /** Pin wrangler and workerd to these CPUs with taskset, e.g. "0" (benchmarks). */
  cpus?: string;
}

export interface Platform {
  /** e.g. http://127.0.0.1:41234 — dashboard and API on one origin. */
  url: string;
  /** The Worker's name, for service bindings from other local wrangler processes. */
  workerName: string;
  /** The private dev registry those processes must share to find this Worker. */
  registryPath: string;
  /** Everything wrangler printed so far, for assertion messages. */
  logs(): string;
  stop(): Promise<void>;
}

let built: Promise<void> | undefined;
export function buildDashboard(): Promise<void> {
  built ??= run("npm", ["run", "build:web", "--silent"]);
  return built;
}

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  if (opts.build !== false) await buildDashboard();
  const dir = await mkdtemp(join(tmpdir(), "lh-platform-"));
  const state = join(dir, "state");
  const registryPath = join(dir, "registry");
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const envFile = join(dir, "test.env");
    await writeFile(envFile, "");
    await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
    const { url, args } = await localServe(state);
    const vars = Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
    const name = opts.name ? ["--name", opts.name] : [];
    const wrangler = await startWrangler(["dev", ...args, "--env-file", envFile, ...name, ...vars], {
      probeUrl: `${url}/health`,
      env: { WRANGLER_REGISTRY_PATH: registryPath },
      ...(opts.cpus ? { cpus: opts.cpus } : {}),
    });
    return {
      url,
      workerName: opts.name ?? "liquid-hive",
      registryPath,
      logs: wrangler.logs,
      async stop() {
        await wrangler.stop();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
