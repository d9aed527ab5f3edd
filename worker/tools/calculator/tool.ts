import { z } from "zod";
import { defineTool, ToolError } from "../types";
import { CONSTANT_NAMES, evaluate, FUNCTION_NAMES } from "./evaluate";
import { CalculatorError, MAX_EXPRESSION_LENGTH } from "./lexer";

export const calculatorTool = defineTool({
  name: "calculator",
  description:
    `Evaluates an arithmetic expression exactly. Operators + - * / % ^ and parentheses; ` +
    `functions ${FUNCTION_NAMES.join(", ")}; constants ${CONSTANT_NAMES.join(", ")}. Angles are in radians.`,
  parameters: z.object({
    expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH).describe("e.g. (2 + 3) * sqrt(16) / 2^3"),
  }),
  sideEffects: false,
  untrustedOutput: false,
  async run({ expression }) {
    try {
      const value = evaluate(expression);
      return { content: String(value), meta: { value } };
    } catch (err) {
      if (err instanceof CalculatorError) throw new ToolError(err.message, "invalid_arguments");
      throw err;
    }
  },
});
