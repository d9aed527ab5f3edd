// `hive traces list|show`: the traces the platform kept, from the terminal. list filters like the
// dashboard's Traces page (route, status, errors only, agent, since); show prints one trace's facts
// and its spans as a text waterfall (traces-waterfall.ts). Reading traces takes workspace admin or
// read-only rights, or a key with the audit:read scope.
import { TRACE_STATUS_PATTERN, type TraceDetail, type TraceSummary } from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { argument, flagOptions, integerOption, stringOptions, textOption } from "../options";
import { printFacts, printList, printRecord } from "../output/list";
import type { Output } from "../output/output";
import { shortTime } from "../output/time";
import { parseWhen } from "../when";
import { findAgent } from "./agents";
import { millis, printWaterfall } from "./traces-waterfall";

const flags = (t: TraceSummary) =>
  [t.error && "error", t.blocked && "blocked", t.degraded && "degraded"].filter(Boolean).join(",") || "-";

async function list(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const v = ctx.values;
  const since = textOption(v.since);
  const agent = textOption(v.agent);
  const status = textOption(v.status);
  if (status && !TRACE_STATUS_PATTERN.test(status))
    throw new CliError(`--status must be an HTTP status like 404 or a class like 5xx (got '${status}')`, EXIT.USAGE);
  const limit = integerOption(v, "limit", { min: 1, max: 100 }) ?? 20;
  const page = await client.traces.list({
    route: textOption(v.route),
    status,
    errors: v.errors === true,
    agent_id: agent ? (agent.startsWith("agt_") ? agent : (await findAgent(client, agent)).id) : undefined,
    conversation_id: textOption(v.conversation),
    run_id: textOption(v.run),
    from: since ? parseWhen("since", since, -1) : undefined,
    limit,
  });
  const table = {
    empty: "No traces match. Traces are kept for errors, slow requests and a share of the rest.",
    headers: ["STARTED", "TRACE", "NAME", "STATUS", "DURATION", "SPANS", "FLAGS"],
    row: (t: TraceSummary) => [
      ...[shortTime(t.started_at), t.trace_id, t.name, t.status === null ? "-" : String(t.status)],
      ...[millis(t.duration_ms), String(t.span_count), flags(t)],
    ],
  };
  return printList(ctx, page.data, table, page);
}

async function show(ctx: CommandContext): Promise<number> {
  const trace = await authedClient(ctx).traces.get(argument(ctx, "traces show <trace id>"));
  return printRecord(ctx, trace, () => describe(ctx.out, trace));
}

/** The trace's facts, then its spans as a waterfall. */
function describe(out: Output, trace: TraceDetail): void {
  const facts: [string, string][] = [
    ["trace", trace.trace_id],
    ["name", trace.name],
    ["status", trace.status === null ? "-" : String(trace.status)],
    ["duration", millis(trace.duration_ms)],
    ["started", shortTime(trace.started_at)],
    ["flags", flags(trace)],
    ["kept", trace.kept_because],
  ];
  for (const [key, value] of [
    ["agent", trace.agent_id],
    ["conversation", trace.conversation_id],
    ["run", trace.run_id],
  ] as const)
    if (value) facts.push([key, value]);
  printFacts(out, facts);
  out.line();
  if (trace.spans.length === 0) out.line("No spans were kept for this trace.");
  else printWaterfall(out, trace);
}

const SUBCOMMANDS: Record<string, Subcommand> = { list, show };

export const traces: Command = {
  name: "traces",
  summary: "List kept request traces and show one as a waterfall",
  usage:
    "list [--route R] [--status 5xx] [--errors] [--since 1h] [--agent X] [--conversation id] [--run id] [--limit n] | show <trace id>",
  options: {
    ...stringOptions("route", "status", "since", "agent", "conversation", "run", "limit"),
    ...flagOptions("errors"),
  },
  help: [
    "--status takes an exact status (404) or a class (4xx); --since a duration back (30m, 12h, 7d) or a date;",
    "--agent an agent id or name. show prints the trace's facts and one line per span: indented by nesting,",
    "its start and duration, and a bar on the trace's time axis; failed spans are marked ERROR.",
    "Needs workspace admin or read-only rights, or an API key with the audit:read scope.",
  ].join("\n"),
  run: subcommands("traces", SUBCOMMANDS, "list"),
};
