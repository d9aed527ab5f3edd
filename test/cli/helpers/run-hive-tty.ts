// Runs `hive` on a pseudo-terminal (util-linux `script`), typing answers as prompts appear,
// to test what a person at a terminal sees: e.g. that a password is not echoed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../cli/bin/hive.mjs", import.meta.url));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
// Cursor movement and line clearing that readline draws around its prompt.
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface TtyStep {
  /** Wait until the terminal shows this... */
  prompt: RegExp;
  /** ...then type this (end it with "\r" for Enter). */
  type: string;
}

export function runHiveOnTty(
  args: string[],
  env: Record<string, string>,
  steps: TtyStep[],
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qefc", command, "/dev/null"], {
      env: { ...process.env, NO_COLOR: "1", HIVE_URL: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    let next = 0;
    // Only text after the previous answer can hold the next prompt.
    let consumed = 0;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out waiting for ${steps[next]?.prompt ?? "exit"}; screen so far:\n${screen}`));
    }, 20_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      screen += d.replace(CONTROL, "");
      const step = steps[next];
      if (step?.prompt.test(screen.slice(consumed))) {
        next += 1;
        consumed = screen.length;
        child.stdin.write(step.type);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
