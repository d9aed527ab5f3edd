// `hive usage [--by agent|model|day|user] [--since 7d] [--until <when>]`: what the workspace's
// model calls cost, grouped, with a totals row and the monthly budget when one is set. Without
// --since the window starts at the beginning of the month (UTC), as the API's does.
import { USAGE_GROUPS, type UsageAmounts, type UsageGroupBy, type UsageReport } from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT } from "../command";
import { authedClient } from "../credentials";
import { stringOptions } from "../options";
import { renderTable } from "../output/table";
import { parseWhen } from "../when";

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(2)}`;
const count = (n: number) => n.toLocaleString("en-US");
const cells = (a: UsageAmounts) => [count(a.calls), count(a.input_tokens), count(a.output_tokens), usd(a.cost_usd)];

function budgetLine(b: NonNullable<UsageReport["budget"]>): string {
  const share = b.monthly_usd > 0 ? ` (${Math.round((b.spent_usd / b.monthly_usd) * 100)}%)` : "";
  const state = b.exceeded ? " EXCEEDED: model calls are refused" : b.warned ? " warning raised" : "";
  return `Budget: ${usd(b.spent_usd)} of ${usd(b.monthly_usd)} this month${share}, warning at ${Math.round(b.warn_ratio * 100)}%;${state || " ok"}`;
}

async function run(ctx: CommandContext): Promise<number> {
  const by = typeof ctx.values.by === "string" ? ctx.values.by : "agent";
  if (!(USAGE_GROUPS as readonly string[]).includes(by))
    throw new CliError(`--by must be one of ${USAGE_GROUPS.join(", ")}`, EXIT.USAGE);
  const since = typeof ctx.values.since === "string" ? parseWhen("since", ctx.values.since, -1) : undefined;
  const until = typeof ctx.values.until === "string" ? parseWhen("until", ctx.values.until, -1) : undefined;
  const report = await authedClient(ctx).usage.report({
    group_by: by as UsageGroupBy,
    ...(since ? { from: since } : {}),
    ...(until ? { to: until } : {}),
  });
  if (ctx.out.json) {
    ctx.out.data(report);
    return EXIT.OK;
  }
  ctx.out.line(`Usage from ${report.from} to ${report.to}, by ${report.group_by}`);
  if (report.groups.length === 0) ctx.out.line("No model calls in this window.");
  else {
    const rows = report.groups.map((g) => [
      g.label === g.key || !g.key ? g.label : `${g.label} (${g.key})`,
      ...cells(g),
      g.priced === false ? "unpriced" : "",
    ]);
    rows.push(["TOTAL", ...cells(report.totals), ""]);
    ctx.out.line(renderTable([by.toUpperCase(), "CALLS", "INPUT", "OUTPUT", "COST", ""], rows));
  }
  if (report.budget) ctx.out.line(budgetLine(report.budget));
  return EXIT.OK;
}

export const usage: Command = {
  name: "usage",
  summary: "What the workspace's model calls cost, by agent, model, day or user",
  usage: "[--by agent|model|day|user] [--since <7d|date>] [--until <date>]",
  options: stringOptions("by", "since", "until"),
  help: "--by user is for workspace admins. Without --since: since the start of this month (UTC).",
  run,
};
