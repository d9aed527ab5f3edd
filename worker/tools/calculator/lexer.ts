// Tokens of the calculator language. The lexer accepts only ASCII digits, letters, a fixed set
// of operator characters and whitespace: anything else (quotes, semicolons, dots after names,
// brackets) is rejected here, before parsing, so no input reaches anything but arithmetic.

export type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "name"; value: string; at: number }
  | { kind: "op"; value: "+" | "-" | "*" | "/" | "%" | "^" | "(" | ")" | ","; at: number }
  | { kind: "end"; at: number };

export class CalculatorError extends Error {
  override readonly name = "CalculatorError";
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} at position ${position + 1}`);
  }
}

export const MAX_EXPRESSION_LENGTH = 1000;
const MAX_TOKENS = 500;
const OPS = new Set(["+", "-", "*", "/", "%", "^", "(", ")", ","]);
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(input: string): Token[] {
  if (input.length > MAX_EXPRESSION_LENGTH) {
    throw new CalculatorError(`Expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    const rest = input.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ kind: "number", value: Number(num[0]), at: i });
      i += num[0].length;
    } else if (NAME.test(rest)) {
      const name = (NAME.exec(rest) as RegExpExecArray)[0];
      tokens.push({ kind: "name", value: name.toLowerCase(), at: i });
      i += name.length;
    } else if (OPS.has(ch)) {
      if (ch === "*" && input[i + 1] === "*") throw new CalculatorError("Use ^ for powers, not **", i);
      tokens.push({ kind: "op", value: ch as Extract<Token, { kind: "op" }>["value"], at: i });
      i++;
    } else {
      throw new CalculatorError(`Unexpected character ${JSON.stringify(ch)}`, i);
    }
    if (tokens.length > MAX_TOKENS) throw new CalculatorError(`Expression has more than ${MAX_TOKENS} tokens`);
  }
  tokens.push({ kind: "end", at: input.length });
  return tokens;
}
