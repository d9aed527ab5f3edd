// `hive safety check "text"`: the verdict the guard would give a text, each finding, and the text
// with the spans it found marked «like this» (coloured by action on a terminal). The marks are
// plain characters too, so piped output and NO_COLOR still show where the findings are.
import type { SafetyAction, SafetyCheckResponse, SafetyFinding } from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { authedClient } from "../credentials";
import type { Output } from "../output/output";
import { renderTable } from "../output/table";
import { oneOf } from "./safety-options";

const COLOUR = { allow: "dim", flag: "yellow", redact: "yellow", block: "red" } as const;

type Span = SafetyFinding & { start: number; end: number };
const hasSpan = (f: SafetyFinding): f is Span => f.start !== undefined && f.end !== undefined && f.end > f.start;

/** The text with each finding's span marked, left to right; a span overlapping an earlier one joins it. */
export function highlight(out: Output, text: string, findings: readonly SafetyFinding[]): string {
  const spans = findings.filter(hasSpan).sort((a, b) => a.start - b.start);
  let result = "";
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    result += text.slice(at, s.start) + out.style(COLOUR[s.action], `«${text.slice(s.start, s.end)}»`);
    at = s.end;
  }
  return result + text.slice(at);
}

const verdictLine = (out: Output, verdict: SafetyAction) =>
  out.style("bold", "verdict ") + out.style(COLOUR[verdict], verdict.toUpperCase());

function print(out: Output, text: string, stage: string, res: SafetyCheckResponse): void {
  out.line(`${verdictLine(out, res.verdict)} (${stage} stage, ${res.latency_ms} ms)`);
  if (res.findings.length === 0) {
    out.line("No findings.");
    return;
  }
  out.line();
  const rows = res.findings.map((f) => [
    f.detector,
    f.category,
    f.score.toFixed(2),
    f.start === undefined ? "-" : `${f.start}-${f.end}`,
    out.style(COLOUR[f.action], f.action),
  ]);
  out.line(renderTable(["DETECTOR", "CATEGORY", "SCORE", "SPAN", "ACTION"], rows));
  if (res.findings.some(hasSpan)) {
    out.line();
    out.line(highlight(out, text, res.findings));
  }
  if (res.redacted_text !== undefined) {
    out.line();
    out.line("Redacted:");
    out.line(res.redacted_text);
  }
}

export async function check(ctx: CommandContext): Promise<number> {
  const text = ctx.positionals.slice(1).join(" ");
  if (!text) throw new CliError('usage: hive safety check "text" [--stage input] [--agent <id>]', EXIT.USAGE);
  const stage = oneOf("stage", ctx.values.stage) ?? "input";
  const agent = typeof ctx.values.agent === "string" ? ctx.values.agent : undefined;
  const res = await authedClient(ctx).safety.check({ text, stage, ...(agent ? { agent_id: agent } : {}) });
  if (ctx.out.json) ctx.out.data(res);
  else print(ctx.out, text, stage, res);
  return EXIT.OK;
}
