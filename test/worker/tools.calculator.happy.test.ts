// The calculator's parser does arithmetic right: precedence, associativity, unary minus,
// functions and constants.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../worker/tools/calculator/evaluate";

describe("calculator: arithmetic", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["100 / 10 / 5", 2],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ^ 2", -4],
    ["(-2) ^ 2", 4],
    ["2 ^ -1", 0.5],
    ["--3", 3],
    ["-(-(4))", 4],
    ["+5 - -5", 10],
    ["7 % 3", 1],
    ["1.5e3 + .5", 1500.5],
    ["sqrt(16) + abs(-3)", 7],
    ["sin(0) + cos(0)", 1],
    ["ln(e)", 1],
    ["log(100, 10)", 2],
    ["log10(1000)", 3],
    ["log2(8)", 3],
    ["max(1, 5, 3) - min(4, 2)", 3],
    ["round(2.5) + floor(-1.5) + ceil(1.2)", 3],
    ["pow(2, 10)", 1024],
    ["atan2(1, 1) * 4", Math.PI],
    ["2 * PI", 2 * Math.PI],
    ["tau / 2", Math.PI],
    ["hypot(3, 4)", 5],
    ["  ( ( 1 ) )  ", 1],
  ])("%s = %d", (expression, expected) => {
    expect(evaluate(expression)).toBeCloseTo(expected, 12);
  });

  it("returns 0 rather than -0", () => {
    expect(Object.is(evaluate("-0"), 0)).toBe(true);
  });
});
