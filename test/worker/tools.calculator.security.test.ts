// The calculator's parser rejects hostile or broken input with a CalculatorError: never
// evaluated as code, never a crash, bounded in size and depth.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../worker/tools/calculator/evaluate";
import { CalculatorError } from "../../worker/tools/calculator/lexer";
import { calculatorTool } from "../../worker/tools/calculator/tool";
import { ToolError } from "../../worker/tools/types";
import { toolContext } from "./helpers/tool-context";

describe("calculator: rejected input", () => {
  it.each([
    ["", "Empty expression"],
    ["1 +", "Unexpected end"],
    ["(1 + 2", 'Expected ")"'],
    ["1 + 2)", "Unexpected input"],
    ["1 / 0", "Division by zero"],
    ["5 % 0", "Modulo by zero"],
    ["sqrt(-1)", "not a finite number"],
    ["9 ^ 9 ^ 9", "not a finite number"],
    ["2 ** 3", "Use ^"],
    ["foo + 1", 'Unknown name "foo"'],
    ["bar(1)", 'Unknown function "bar"'],
    ["sqrt(1, 2)", "takes 1 argument"],
    ["atan2(1)", "takes 2 arguments"],
    ["1 2", "Unexpected input"],
  ])("%j fails with %j", (expression, message) => {
    expect(() => evaluate(expression)).toThrow(CalculatorError);
    expect(() => evaluate(expression)).toThrow(message);
  });

  it.each([
    "constructor",
    "__proto__",
    "toString()",
    "constructor.constructor('return process')()",
    "Math.PI",
    "process.exit(1)",
    "eval('1+1')",
    "Function('return 1')()",
    "1; 2",
    "require('fs')",
    "this",
    "globalThis",
    "`1`",
    "[1,2]",
    "{}",
    "1 = 1",
    "x => x",
    "1 || 1",
    "\u0661 + 1",
    "1\u00a0+ 1",
    "import('x')",
  ])("refuses %j without evaluating it", (expression) => {
    expect(() => evaluate(expression)).toThrow(CalculatorError);
  });

  it("bounds length, token count and nesting", () => {
    expect(() => evaluate(`${"1+".repeat(600)}1`)).toThrow(/longer than|more than/);
    expect(() => evaluate(`${"(".repeat(100)}1${")".repeat(100)}`)).toThrow(/nests deeper/);
    expect(() => evaluate(`${"-".repeat(100)}1`)).toThrow(/nests deeper/);
    expect(() => evaluate(`${"2^".repeat(100)}1`)).toThrow(/nests deeper/);
    expect(evaluate(`${"(".repeat(30)}1${")".repeat(30)}`)).toBe(1);
  });

  it("reports errors to the model as invalid-argument tool errors", async () => {
    const run = calculatorTool.run({ expression: "1/0" }, toolContext());
    await expect(run).rejects.toBeInstanceOf(ToolError);
    await expect(run).rejects.toMatchObject({
      code: "invalid_arguments",
      message: expect.stringContaining("Division by zero"),
    });
    await expect(calculatorTool.run({ expression: "6*7" }, toolContext())).resolves.toMatchObject({ content: "42" });
  });
});
