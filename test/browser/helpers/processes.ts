// Long-running child processes for end-to-end tests (wrangler dev, wrangler pages dev): each in
// its own process group so stopping it also stops the workerd and esbuild children it spawned.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export const quietEnv = { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1", WRANGLER_SEND_METRICS: "false" };

/** Runs a command to completion; rejects with its output when it fails. */
export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: quietEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** wrangler's flags to serve locally on free ports, keeping its state in `state`; and the URL it serves. */
export async function localServe(state: string): Promise<{ url: string; args: string[] }> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  return {
    url: `http://127.0.0.1:${port}`,
    args: [
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      state,
      "--show-interactive-dev-session=false",
    ],
  };
}

export interface Service {
  logs(): string;
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Whether `taskset` (util-linux) can pin processes to cores here. */
export const hasTaskset = spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;

/** `cmd args` pinned to a CPU list with taskset when it is available (benchmarks). */
export function pinnedCommand(cpus: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return cpus && hasTaskset ? ["taskset", ["-c", cpus, cmd, ...args]] : [cmd, args];
}

/** Starts `wrangler <args>` and resolves once `probeUrl` answers 2xx. */
export async function startWrangler(
  args: string[],
  opts: { probeUrl: string; env?: Record<string, string>; timeoutMs?: number; cpus?: string },
): Promise<Service> {
  const [cmd, cmdArgs] = pinnedCommand(opts.cpus, process.execPath, [
    `${ROOT}node_modules/wrangler/bin/wrangler.js`,
    ...args,
  ]);
  const child = spawn(cmd, cmdArgs, {
    cwd: ROOT,
    env: { ...quietEnv, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  // If the test process dies without calling stop(), do not leave workerd running.
  const onExit = () => killGroup(child, "SIGKILL");
  process.once("exit", onExit);

  const service: Service = {
    logs: () => output,
    async stop() {
      process.removeListener("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };

  const timeoutMs = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A failed first build leaves wrangler waiting for file changes; no need to wait it out.
    if (child.exitCode !== null || output.includes("[ERROR]")) break;
    try {
      const res = await fetch(opts.probeUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await service.stop();
  throw new Error(`wrangler ${args.slice(0, 2).join(" ")} did not answer ${opts.probeUrl}:\n${output}`);
}
