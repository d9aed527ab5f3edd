// Terminal input for `hive login`. Prompts go to stderr so stdout stays clean for --json; the
// password is read in raw mode and never echoed.
import { createInterface } from "node:readline/promises";
import { CliError, EXIT } from "../command";

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const CTRL_U = "\u0015";
const BACKSPACE = new Set(["\u007f", "\b"]);

export const stdinIsTerminal = () => process.stdin.isTTY === true;

export async function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: stdinIsTerminal() });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    throw new CliError("no terminal to read the password from; pipe it with --password-stdin", EXIT.USAGE);
  // Echo off before the prompt shows, so nothing typed after it can appear on screen.
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || (ch === CTRL_D && value === "")) {
          finish();
          return resolve(value);
        }
        if (ch === CTRL_C) {
          finish();
          return reject(new CliError("cancelled", 130));
        }
        if (BACKSPACE.has(ch)) value = value.slice(0, -1);
        else if (ch === CTRL_U) value = "";
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Everything piped to stdin, without the one trailing newline `echo` adds. */
export async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}
