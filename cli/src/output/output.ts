// Where commands write: human text or one JSON document, chosen once by --json.
import { styleText } from "node:util";

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
    line: (text = "") => process.stdout.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    data: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    style: (style, text) => (colour ? styleText(style, text) : text),
  };
}
