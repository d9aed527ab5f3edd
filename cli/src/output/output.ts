// Where commands write: human text or one JSON document, chosen once by --json.
import { styleText } from "node:util";
import { inert, STYLE_ESC, terminalSafe } from "./terminal-safe";

type Style = "green" | "red" | "yellow" | "bold" | "dim";

export interface Output {
  json: boolean;
  line(text?: string): void;
  error(text: string): void;
  data(value: unknown): void;
  style(style: Style, text: string): string;
}

export function createOutput(opts: { json: boolean; env: NodeJS.ProcessEnv }): Output {
  // Colour only for people: not in JSON mode, not when piped, not when NO_COLOR is set.
  const colour = !opts.json && process.stdout.isTTY === true && !opts.env.NO_COLOR;
  return {
    json: opts.json,
    line: (text = "") => process.stdout.write(`${terminalSafe(text)}\n`),
    error: (text) => process.stderr.write(`${terminalSafe(text)}\n`),
    data: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    // Our colours are written with a stand-in for ESC, so terminalSafe can tell them from server text's.
    style: (style, text) => (colour ? styleText(style, inert(text)).replaceAll("\u001b", STYLE_ESC) : text),
  };
}
