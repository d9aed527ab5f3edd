// A recursive-descent parser that evaluates as it parses. No eval, no Function, no property
// lookups on objects: names resolve only through the two Maps below, so "constructor" or
// "__proto__" are just unknown names.
//
//   expression := term (("+" | "-") term)*
//   term       := unary (("*" | "/" | "%") unary)*
//   unary      := ("+" | "-") unary | power
//   power      := primary ("^" unary)?          right-associative; -2^2 = -(2^2)
//   primary    := number | name | name "(" args ")" | "(" expression ")"
import { CalculatorError, type Token, tokenize } from "./lexer";

const MAX_DEPTH = 64;

const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
  ["tau", 2 * Math.PI],
]);

interface Fn {
  min: number;
  max: number;
  apply: (args: number[]) => number;
}

const unary = (f: (x: number) => number): Fn => ({ min: 1, max: 1, apply: (a) => f(a[0] as number) });

const FUNCTIONS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  ["sqrt", unary(Math.sqrt)],
  ["cbrt", unary(Math.cbrt)],
  ["abs", unary(Math.abs)],
  ["sin", unary(Math.sin)],
  ["cos", unary(Math.cos)],
  ["tan", unary(Math.tan)],
  ["asin", unary(Math.asin)],
  ["acos", unary(Math.acos)],
  ["atan", unary(Math.atan)],
  ["sinh", unary(Math.sinh)],
  ["cosh", unary(Math.cosh)],
  ["tanh", unary(Math.tanh)],
  ["exp", unary(Math.exp)],
  ["ln", unary(Math.log)],
  ["log10", unary(Math.log10)],
  ["log2", unary(Math.log2)],
  ["floor", unary(Math.floor)],
  ["ceil", unary(Math.ceil)],
  ["round", unary(Math.round)],
  ["trunc", unary(Math.trunc)],
  ["sign", unary(Math.sign)],
  // log(x) is the natural logarithm (as in most programming languages); log(x, b) is base b.
  [
    "log",
    {
      min: 1,
      max: 2,
      apply: (a) => (a.length === 2 ? Math.log(a[0] as number) / Math.log(a[1] as number) : Math.log(a[0] as number)),
    },
  ],
  ["atan2", { min: 2, max: 2, apply: (a) => Math.atan2(a[0] as number, a[1] as number) }],
  ["pow", { min: 2, max: 2, apply: (a) => (a[0] as number) ** (a[1] as number) }],
  ["hypot", { min: 1, max: 32, apply: (a) => Math.hypot(...a) }],
  ["min", { min: 1, max: 32, apply: (a) => Math.min(...a) }],
  ["max", { min: 1, max: 32, apply: (a) => Math.max(...a) }],
]);

export const FUNCTION_NAMES = [...FUNCTIONS.keys()];
export const CONSTANT_NAMES = [...CONSTANTS.keys()];

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.value === value;
  }

  private expect(value: string) {
    const t = this.next();
    if (t.kind !== "op" || t.value !== value) throw new CalculatorError(`Expected "${value}"`, t.at);
  }

  private enter(at: number) {
    if (++this.depth > MAX_DEPTH) throw new CalculatorError(`Expression nests deeper than ${MAX_DEPTH} levels`, at);
  }

  parse(): number {
    const value = this.expression();
    const t = this.peek();
    if (t.kind !== "end") throw new CalculatorError("Unexpected input", t.at);
    return value;
  }

  private expression(): number {
    let value = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next();
      const right = this.term();
      value = op.kind === "op" && op.value === "+" ? value + right : value - right;
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next() as Extract<Token, { kind: "op" }>;
      const right = this.unary();
      if (op.value === "*") value *= right;
      else if (right === 0) throw new CalculatorError(op.value === "/" ? "Division by zero" : "Modulo by zero", op.at);
      else value = op.value === "/" ? value / right : value % right;
    }
    return value;
  }

  private unary(): number {
    const t = this.peek();
    if (this.isOp("-") || this.isOp("+")) {
      this.next();
      this.enter(t.at);
      const value = this.unary();
      this.depth--;
      return t.kind === "op" && t.value === "-" ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (!this.isOp("^")) return base;
    const at = this.next().at;
    this.enter(at);
    const exponent = this.unary();
    this.depth--;
    return base ** exponent;
  }

  private primary(): number {
    const t = this.next();
    if (t.kind === "number") return t.value;
    if (t.kind === "op" && t.value === "(") {
      this.enter(t.at);
      const value = this.expression();
      this.expect(")");
      this.depth--;
      return value;
    }
    if (t.kind === "name") {
      if (this.isOp("(")) return this.call(t.value, t.at);
      const constant = CONSTANTS.get(t.value);
      if (constant === undefined) throw new CalculatorError(`Unknown name "${t.value}"`, t.at);
      return constant;
    }
    if (t.kind === "end") throw new CalculatorError("Unexpected end of expression", t.at);
    throw new CalculatorError(`Unexpected "${t.value}"`, t.at);
  }

  private call(name: string, at: number): number {
    const fn = FUNCTIONS.get(name);
    if (!fn) throw new CalculatorError(`Unknown function "${name}"`, at);
    this.expect("(");
    this.enter(at);
    const args: number[] = [];
    if (!this.isOp(")")) {
      args.push(this.expression());
      while (this.isOp(",")) {
        this.next();
        args.push(this.expression());
      }
    }
    this.expect(")");
    this.depth--;
    if (args.length < fn.min || args.length > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
      throw new CalculatorError(`${name}() takes ${want} argument${fn.max === 1 ? "" : "s"}, got ${args.length}`, at);
    }
    return fn.apply(args);
  }
}

/** Evaluates an arithmetic expression; throws CalculatorError for anything else. */
export function evaluate(expression: string): number {
  const tokens = tokenize(expression);
  if (tokens.length === 1) throw new CalculatorError("Empty expression");
  const value = new Parser(tokens).parse();
  if (!Number.isFinite(value)) throw new CalculatorError("The result is not a finite number");
  // Normalise -0 so answers read naturally.
  return Object.is(value, -0) ? 0 : value;
}
