// Runs `hive` in a child process and lets a test watch its output as it is written, type into
// it and signal it: for what only shows over time (streamed answers, Ctrl-C, progress).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../cli/bin/hive.mjs", import.meta.url));

// Every child still running, so a failed test cannot leave one waiting on stdin forever.
const running = new Set<ChildProcess>();

/** Kills whatever `hive` processes tests left running; call it from `after`. */
export function killLeftovers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export interface LiveHive {
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout (or stderr) matches, rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, stream?: "stdout" | "stderr", timeoutMs?: number): Promise<void>;
  write(text: string): void;
  interrupt(): void;
  exited: Promise<number | null>;
  running: () => boolean;
}

export function startHive(args: string[], env: Record<string, string>): LiveHive {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: "1", HIVE_URL: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  const out = { stdout: "", stderr: "" };
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const w of watchers) w();
  };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out.stdout += d;
    notify();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    out.stderr += d;
    notify();
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      done = true;
      running.delete(child);
      notify();
      resolve(code);
    }),
  );
  return {
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitFor(pattern, stream = "stdout", timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out[stream])) return finish(resolve);
          if (done)
            finish(() =>
              reject(
                new Error(`hive exited before ${stream} matched ${pattern}:\n${out.stdout}\n--- stderr\n${out.stderr}`),
              ),
            );
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new Error(`timed out waiting for ${pattern} on ${stream}:\n${out.stdout}\n--- stderr\n${out.stderr}`),
              ),
            ),
          timeoutMs,
        );
        const finish = (then: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          then();
        };
        watchers.add(check);
        check();
      });
    },
    write: (text) => child.stdin.write(text),
    interrupt: () => child.kill("SIGINT"),
    exited,
    running: () => !done,
  };
}
