// JSONL, the file form of a dataset: one EvalCaseInput per line (docs/evals.md). An import is
// taken whole or not at all, so every bad line is reported at once, by its line number, before
// anything is stored. Export writes each case as it is stored, so a file exported, imported
// and exported again comes out byte for byte the same.
import type { EvalImportLineError } from "@hive/shared/api-types/evals";
import { ApiError } from "../core/errors";
import { EvalCaseInput, MAX_CASES_PER_REQUEST } from "./cases-schemas";

/** Bad lines listed in one answer; a file that is wrong throughout need not echo all of it. */
const MAX_REPORTED_LINES = 100;

function lineProblems(text: string): EvalImportLineError[] | EvalCaseInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return [{ line: 0, path: "", message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }];
  }
  const parsed = EvalCaseInput.safeParse(value);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => ({ line: 0, path: i.path.join("."), message: i.message }));
}

/** The cases of a JSONL text (blank lines skipped), or a 400 naming every bad line. */
export function parseJsonl(text: string): EvalCaseInput[] {
  const cases: EvalCaseInput[] = [];
  const errors: EvalImportLineError[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const result = lineProblems(line);
    if (Array.isArray(result)) errors.push(...result.map((e) => ({ ...e, line: index + 1 })));
    else cases.push(result);
  });
  if (errors.length > 0) {
    const lineCount = new Set(errors.map((e) => e.line)).size;
    throw new ApiError("VALIDATION_ERROR", `${lineCount} line(s) of the file are not valid cases; nothing was stored`, {
      details: { lines: errors.slice(0, MAX_REPORTED_LINES), bad_lines: lineCount },
    });
  }
  if (cases.length === 0) throw new ApiError("VALIDATION_ERROR", "The file holds no cases", { details: { lines: [] } });
  if (cases.length > MAX_CASES_PER_REQUEST) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `An import may hold at most ${MAX_CASES_PER_REQUEST} cases`, {
      details: { limit: MAX_CASES_PER_REQUEST, sent: cases.length },
    });
  }
  return cases;
}

/** One line per case, each ending in a newline. */
export const toJsonl = (bodies: readonly unknown[]): string => bodies.map((b) => `${JSON.stringify(b)}\n`).join("");
