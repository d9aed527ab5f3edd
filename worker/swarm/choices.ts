// Reading an agent's choice out of free text. Models are asked for one line `KEYWORD: <choice>`
// (ROUTE, VOTE, WINNER, HANDOFF); the choice may be the candidate's number, its agent id or
// its name, with quotes, brackets or markdown bold around it. The last such line counts.
// When a required choice has no such line, an answer that mentions exactly one candidate's id
// is taken as choosing it; anything else is no choice (an invalid step, see strategies).
import type { Ballot } from "../core/providers/types";
import type { Candidate, ChoiceSpec } from "./strategies/types";

export type ChoiceResult =
  | { kind: "chosen"; candidate: Candidate }
  | { kind: "none" }
  /** A choice line whose value matches no candidate. */
  | { kind: "unknown"; value: string };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function match(value: string, candidates: readonly Candidate[]): Candidate | undefined {
  const v = value.replace(/^[\s"'`[(<#*]+|[\s"'`\])>.,;:!*]+$/g, "");
  const number = /^(?:proposal|option|specialist|agent|no\.?)?\s*#?(\d{1,3})$/i.exec(v);
  if (number) return candidates.find((c) => c.label === Number(number[1]));
  return candidates.find((c) => c.id === v) ?? candidates.find((c) => c.name.trim().toLowerCase() === v.toLowerCase());
}

export function parseChoice(output: string, spec: ChoiceSpec): ChoiceResult {
  const line = new RegExp(`^[\\s>*_#-]*${spec.keyword}[*_]*\\s*[:=]\\s*(.+?)\\s*$`, "gim");
  const values = [...output.matchAll(line)].map((m) => m[1] ?? "");
  const last = values[values.length - 1];
  if (last !== undefined) {
    const candidate = match(last, spec.candidates);
    return candidate ? { kind: "chosen", candidate } : { kind: "unknown", value: last.slice(0, 100) };
  }
  if (!spec.required) return { kind: "none" };
  const mentioned = spec.candidates.filter((c) =>
    new RegExp(`(^|[^A-Za-z0-9_])${escapeRegex(c.id)}($|[^A-Za-z0-9_])`).test(output),
  );
  return mentioned.length === 1 && mentioned[0] ? { kind: "chosen", candidate: mentioned[0] } : { kind: "none" };
}

/** A required choice as a ballot the offline model can answer (optional ones, HANDOFF, it leaves alone). */
export function ballotOf(spec: ChoiceSpec | undefined): Ballot | undefined {
  if (!spec?.required) return undefined;
  return { keyword: spec.keyword, options: spec.candidates.map((c) => ({ label: c.label, text: c.text ?? c.name })) };
}

/** The answer without its HANDOFF line, as the note passed to the next agent. */
export const withoutChoiceLines = (output: string, keyword: ChoiceSpec["keyword"]) =>
  output.replace(new RegExp(`^[\\s>*_#-]*${keyword}[*_]*\\s*[:=].*$`, "gim"), "").trim();

export interface Interpretation {
  status: "succeeded" | "invalid";
  choice: string | null;
  error: string | null;
}

/** Judges a step's answer against what it was asked to choose. */
export function interpret(output: string, spec: ChoiceSpec | undefined): Interpretation {
  if (!spec) return { status: "succeeded", choice: null, error: null };
  const result = parseChoice(output, spec);
  if (result.kind === "chosen") return { status: "succeeded", choice: result.candidate.id, error: null };
  if (result.kind === "none" && !spec.required) return { status: "succeeded", choice: null, error: null };
  const options = spec.candidates.map((c) => `${c.label} (${c.id})`).join(", ");
  const what =
    result.kind === "unknown"
      ? `"${result.value}" is not one of ${options}`
      : `no ${spec.keyword}: line naming one of ${options}`;
  return { status: "invalid", choice: null, error: `invalid ${spec.keyword.toLowerCase()} choice: ${what}` };
}

const ANY_CHOICE_LINE = /^[\s>*_#-]*(ROUTE|VOTE|WINNER|HANDOFF)[*_]*\s*[:=].*$/i;

/** A step's answer without the choice lines the coordinator parses (the safety check reads the body), and those lines. */
export function splitChoiceLines(output: string): { body: string; choices: string[] } {
  const lines = output.split("\n");
  return {
    body: lines
      .filter((l) => !ANY_CHOICE_LINE.test(l))
      .join("\n")
      .trim(),
    choices: lines.filter((l) => ANY_CHOICE_LINE.test(l)),
  };
}
