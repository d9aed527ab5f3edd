// Runs the real `hive` bin in a child process, as a user would, and collects what it printed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../cli/bin/hive.mjs", import.meta.url));

export interface HiveRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `input`, when given, is piped to stdin (e.g. for --password-stdin); stdin is closed either way. */
export function runHive(args: string[], env: Record<string, string> = {}, input?: string): Promise<HiveRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: "1", HIVE_URL: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `hive --url <url> <args>` with the API key `key` in HIVE_API_KEY and no saved login. */
export const runHiveWithKey = (url: string, key: string, args: string[]): Promise<HiveRun> =>
  runHive(["--url", url, ...args], { HIVE_API_KEY: key, XDG_CONFIG_HOME: "/nonexistent" });
