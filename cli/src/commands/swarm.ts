// `hive swarm run|watch|list|show`: several agents working one task together. `run` starts a run
// and prints its steps as they settle, polling the run every 500 ms (Node 20 has no global
// WebSocket), then the final status, reason and output. Ctrl-C cancels the run through the API.
// The run lives on the server: when the connection drops, `watch` re-attaches to it.
import {
  type HiveClient,
  HiveNetworkError,
  isRunEnded,
  STRATEGY_INFO,
  type StartRunBody,
  type Strategy,
  SWARM_STRATEGIES,
  type SwarmRun,
  type SwarmRunDetail,
  type SwarmStep,
} from "@hive/shared/api-client";
import {
  CliError,
  type Command,
  type CommandContext,
  EXIT,
  type OptionValues,
  type Subcommand,
  subcommands,
} from "../command";
import { authedClient } from "../credentials";
import { argument, integerOption, stringOptions, textOption } from "../options";
import { printFacts, printList, printRecord } from "../output/list";
import type { Output } from "../output/output";
import { shortTime } from "../output/time";
import { findAgent } from "./agents";

const POLL_MS = 500;
const INTERRUPTED = 130;
/** Polls that may fail in a row (about 15 s with the backoff) before the connection counts as lost. */
const POLL_FAILURES = 6;

const isStrategy = (s: string): s is Strategy => (SWARM_STRATEGIES as readonly string[]).includes(s);

async function agentId(client: HiveClient, ref: string): Promise<string> {
  return (await findAgent(client, ref)).id;
}

/** The request `hive swarm run` sends, from its flags; agents may be given by id or name. */
async function startBody(client: HiveClient, values: OptionValues): Promise<StartRunBody> {
  const strategy = textOption(values.strategy) ?? "pipeline";
  if (!isStrategy(strategy))
    throw new CliError(`--strategy must be one of ${SWARM_STRATEGIES.join(", ")} (got '${strategy}')`, EXIT.USAGE);
  const task = textOption(values.task);
  if (!task) throw new CliError('--task is required, e.g. --task "Summarise the release notes"', EXIT.USAGE);
  const refs = (textOption(values.agents) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (refs.length === 0)
    throw new CliError("--agents is required: a comma-separated list of agent ids or names", EXIT.USAGE);
  // Every flag is checked before the first request (agent lookups).
  const budget: { max_tokens?: number; deadline_ms?: number; max_steps?: number } = {};
  const tokens = integerOption(values, "budget-tokens", { min: 100 });
  if (tokens !== undefined) budget.max_tokens = tokens;
  const deadline = integerOption(values, "deadline-seconds", { min: 1 });
  if (deadline !== undefined) budget.deadline_ms = deadline * 1000;
  const steps = integerOption(values, "max-steps", { min: 1 });
  if (steps !== undefined) budget.max_steps = steps;
  const quorum = integerOption(values, "quorum", { min: 1 });
  const rounds = integerOption(values, "rounds", { min: 1 });
  const agent_ids: string[] = [];
  for (const ref of refs) agent_ids.push(await agentId(client, ref));
  const common = { task, agent_ids, budget };
  const optional = async (name: string) => {
    const ref = textOption(values[name]);
    return ref ? agentId(client, ref) : undefined;
  };
  switch (strategy) {
    case "pipeline":
      return { strategy, ...common };
    case "parallel": {
      const aggregator_id = await optional("aggregator");
      if (!aggregator_id) throw new CliError("--aggregator <agent> is required with --strategy parallel", EXIT.USAGE);
      return { strategy, ...common, aggregator_id, ...(quorum !== undefined ? { quorum } : {}) };
    }
    case "router": {
      const router_id = await optional("router");
      if (!router_id) throw new CliError("--router <agent> is required with --strategy router", EXIT.USAGE);
      return { strategy, ...common, router_id };
    }
    case "debate": {
      const judge_id = await optional("judge");
      const decision = textOption(values.decision);
      if (decision !== undefined && decision !== "vote" && decision !== "judge")
        throw new CliError(`--decision must be vote or judge (got '${decision}')`, EXIT.USAGE);
      return {
        strategy,
        ...common,
        ...(judge_id ? { judge_id } : {}),
        ...(rounds !== undefined ? { rounds } : {}),
        ...(decision ? { decision } : {}),
        ...(quorum !== undefined ? { quorum } : {}),
      };
    }
  }
}

const agentName = (run: SwarmRunDetail, id: string | null) =>
  id ? (run.agents.find((a) => a.id === id)?.name ?? id) : "-";
const settled = (s: SwarmStep) => s.status !== "pending" && s.status !== "running";

function statusText(out: Output, status: string): string {
  if (status === "succeeded") return out.style("green", status);
  if (status === "failed" || status === "invalid" || status === "timed_out") return out.style("red", status);
  if (status === "cancelled") return out.style("yellow", status);
  return status;
}

function indent(text: string, max = 400): string {
  const trimmed = text.trim();
  const shown = trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
  return shown.replace(/^/gm, "    ");
}

/** Prints steps the first time they are seen running and when they settle, once each. */
class StepPrinter {
  private readonly started = new Set<number>();
  private readonly ended = new Set<number>();

  constructor(private readonly out: Output) {}

  print(run: SwarmRunDetail): void {
    for (const step of [...run.steps].sort((a, b) => a.seq - b.seq)) {
      const label = `#${step.seq} ${step.key} ${step.role} ${agentName(run, step.agent_id)}`;
      if (!settled(step)) {
        if (step.status === "running" && !this.started.has(step.seq)) {
          this.started.add(step.seq);
          this.out.line(`… ${label} running`);
        }
        continue;
      }
      if (this.ended.has(step.seq)) continue;
      this.ended.add(step.seq);
      this.started.add(step.seq);
      const facts = [
        step.latency_ms !== null ? `${step.latency_ms} ms` : null,
        `${step.tokens_in}+${step.tokens_out} tokens`,
        step.attempts > 1 ? `${step.attempts} attempts` : null,
        step.choice ? `chose ${agentName(run, step.choice)}` : null,
        step.degraded ? "degraded" : null,
      ].filter(Boolean);
      this.out.line(
        `${step.status === "succeeded" ? "✓" : "✗"} ${label} ${statusText(this.out, step.status)} (${facts.join(", ")})`,
      );
      if (step.error) this.out.line(indent(`error: ${step.error}`));
      if (step.output) this.out.line(indent(step.output));
    }
  }
}

function budgetLine(run: SwarmRunDetail): string {
  const b = run.config.budget;
  const steps = b?.max_steps !== undefined ? `/${b.max_steps}` : "";
  const tokens = b?.max_tokens !== undefined ? `/${b.max_tokens}` : "";
  return `${run.steps_used}${steps} steps, ${run.tokens_used}${tokens} tokens`;
}

function printEnd(out: Output, run: SwarmRunDetail): void {
  out.line();
  out.line(`Run ${run.id} ${statusText(out, run.status)}: ${run.reason ?? "no reason given"} (${budgetLine(run)})`);
  if (run.output) {
    out.line("Output:");
    out.line(run.output);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function run(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const body = await startBody(client, ctx.values);
  const started = await client.swarm.start(body);
  if (!ctx.out.json) {
    ctx.out.line(
      `Started run ${started.id}: ${started.strategy}, ${started.agents.map((a) => `${a.name} v${a.version}`).join(", ")}`,
    );
  }
  return follow(ctx, client, started, "cancel");
}

async function watch(ctx: CommandContext): Promise<number> {
  const id = argument(ctx, "swarm watch <run id>");
  const client = authedClient(ctx);
  const current = await client.swarm.get(id);
  if (!ctx.out.json)
    ctx.out.line(`Watching run ${current.id} (${current.status}); Ctrl-C stops watching, the run goes on.`);
  return follow(ctx, client, current, "detach");
}

/**
 * Prints a run's steps until it ends. Ctrl-C cancels the run (`run`) or only stops watching
 * (`watch`). A dropped connection is retried a few times, then reported in one line saying how
 * to re-attach (exit 2): the run does not depend on anyone watching it.
 */
async function follow(
  ctx: CommandContext,
  client: HiveClient,
  first: SwarmRunDetail,
  onCtrlC: "cancel" | "detach",
): Promise<number> {
  let current = first;
  const printer = new StepPrinter(ctx.out);
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted || onCtrlC === "detach") process.exit(INTERRUPTED);
    interrupted = true;
    ctx.out.error("[cancelling the run…]");
    client.swarm
      .cancel(current.id)
      .catch((err: unknown) =>
        ctx.out.error(`hive: could not cancel: ${err instanceof Error ? err.message : String(err)}`),
      );
  };
  process.on("SIGINT", onInterrupt);
  try {
    for (let failures = 0; ; ) {
      if (!ctx.out.json) printer.print(current);
      if (isRunEnded(current.status)) break;
      await sleep(POLL_MS * 2 ** Math.min(failures, 3));
      try {
        current = await client.swarm.get(current.id);
        failures = 0;
      } catch (err) {
        if (!(err instanceof HiveNetworkError) || ++failures >= POLL_FAILURES) {
          if (err instanceof HiveNetworkError) {
            throw new CliError(
              `connection lost; the run continues on the server: hive swarm watch ${current.id} to re-attach`,
              EXIT.UNREACHABLE,
              "CONNECTION_LOST",
            );
          }
          throw err;
        }
      }
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
  if (ctx.out.json) ctx.out.data(current);
  else printEnd(ctx.out, current);
  if (interrupted) return INTERRUPTED;
  return current.status === "succeeded" ? EXIT.OK : EXIT.FAILED;
}

async function list(ctx: CommandContext): Promise<number> {
  const limit = integerOption(ctx.values, "limit", { min: 1 }) ?? 20;
  const page = await authedClient(ctx).swarm.list({ limit });
  const task = (t: string) => (t.length > 50 ? `${t.slice(0, 49)}…` : t).replace(/\s+/g, " ");
  const table = {
    empty: 'No swarm runs. Start one with: hive swarm run --agents a,b --task "..."',
    headers: ["ID", "STRATEGY", "STATUS", "STEPS", "TOKENS", "CREATED", "TASK"],
    row: (r: SwarmRun) => [
      ...[r.id, r.strategy, statusText(ctx.out, r.status), String(r.steps_used), String(r.tokens_used)],
      ...[shortTime(r.created_at), task(r.task)],
    ],
  };
  return printList(ctx, page.data, table, page);
}

async function show(ctx: CommandContext): Promise<number> {
  const detail = await authedClient(ctx).swarm.get(argument(ctx, "swarm show <run id>"));
  return printRecord(ctx, detail, () => describe(ctx.out, detail));
}

/** The run's facts and task, then its steps and how it ended. */
function describe(out: Output, detail: SwarmRunDetail): void {
  const facts: [string, string][] = [
    ["id", detail.id],
    ["strategy", detail.strategy],
    ["status", statusText(out, detail.status)],
    ["agents", detail.agents.map((a) => `${a.name} (${a.id} v${a.version})`).join(", ")],
    ["budget", budgetLine(detail)],
    ["created", shortTime(detail.created_at)],
    ["ended", shortTime(detail.ended_at)],
  ];
  printFacts(out, facts);
  out.line();
  out.line("Task:");
  out.line(indent(detail.task, 2000));
  out.line();
  new StepPrinter(out).print(detail);
  printEnd(out, detail);
}

const SUBCOMMANDS: Record<string, Subcommand> = { run, watch, list, show };

export const swarm: Command = {
  name: "swarm",
  summary: "Run several agents on one task together, and list or inspect runs",
  usage:
    'run --strategy <s> --agents a,b,c --task "..." [--budget-tokens n] [--deadline-seconds n] [--max-steps n] | watch <run id> | list [--limit n] | show <run id>',
  options: stringOptions(
    ...["strategy", "agents", "task", "budget-tokens", "deadline-seconds", "max-steps"],
    ...["aggregator", "router", "judge", "rounds", "decision", "quorum", "limit"],
  ),
  help: [
    "Strategies (--strategy, default pipeline):",
    ...SWARM_STRATEGIES.map((s) => `  ${s.padEnd(10)}${STRATEGY_INFO[s]}`),
    "",
    "Agents are given by id or name. parallel needs --aggregator <agent>, router needs --router <agent>;",
    "debate takes --rounds n, --decision vote|judge and --judge <agent>; parallel and debate take --quorum n.",
    "run prints each step as it settles and ends with the run's status, reason and output;",
    "it exits 0 when the run succeeded, 1 otherwise, 130 after Ctrl-C (which cancels the run), and 2 when the",
    "connection is lost (the run goes on: 'hive swarm watch <run id>' re-attaches; Ctrl-C there only stops watching).",
  ].join("\n"),
  run: subcommands("swarm", SUBCOMMANDS, "list"),
};
