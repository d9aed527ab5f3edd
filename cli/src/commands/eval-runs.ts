// `hive eval run|runs|show|compare`: runs of an agent or a swarm configuration over a dataset, usable as a CI gate. `run`
// resolves names to ids, starts the run, follows its progress on the SSE stream (polling when the
// stream is unavailable or ends early), prints the per-scorer and per-tag summary and, with
// --baseline, the comparison; --fail-on-regression exits 1 when a scorer's mean falls by more than
// the tolerance. Ctrl-C cancels the run through the API and exits 130.
import {
  EVAL_SCORERS,
  type EvalResult,
  type EvalRun,
  type EvalRunCreate,
  type EvalScorerConfig,
  HiveApiError,
  type HiveClient,
  HiveNetworkError,
  isEvalRunEnded,
  isEvalScorer,
} from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT, type OptionSpec, type OptionValues, type Subcommand } from "../command";
import { authedClient } from "../credentials";
import { allPages } from "../lookup";
import { argument, flagOptions, integerOption, listOptions, numberOption, stringOptions, textOption } from "../options";
import { printFacts, printList, printRecord } from "../output/list";
import type { Output } from "../output/output";
import { msTime } from "../output/time";
import { findAgent } from "./agents";
import { readJsonObject } from "./agents-body";
import { findDataset } from "./eval-datasets";
import { printCompare, printResults, printSummary, scoresText, statusText, targetText } from "./eval-report";

const INTERRUPTED = 130;
const POLL_MS = 1000;
const DEFAULT_TOLERANCE = 0.05;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `--scorer name[:threshold]`, repeatable; `--k N` is recall_at_k's k. */
export function parseScorers(values: OptionValues): EvalScorerConfig[] | undefined {
  const raw = values.scorer;
  const specs = (Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : []).map(String);
  const k = integerOption(values, "k", { min: 1, max: 50 });
  if (k !== undefined && !specs.some((s) => s.split(":")[0] === "recall_at_k"))
    throw new CliError("--k sets recall_at_k's k: give --scorer recall_at_k too", EXIT.USAGE);
  if (specs.length === 0) return undefined;
  return specs.map((spec) => {
    const [name = "", threshold, ...rest] = spec.trim().split(":");
    if (!isEvalScorer(name) || rest.length > 0)
      throw new CliError(
        `--scorer must be name[:threshold] with a name of ${EVAL_SCORERS.join(", ")} (got '${spec}')`,
        EXIT.USAGE,
      );
    const options = name === "recall_at_k" && k !== undefined ? { options: { k } } : {};
    if (threshold === undefined) return { name, ...options };
    return { name, threshold: numberOption({ scorer: threshold }, "scorer", { min: 0, max: 1 }), ...options };
  });
}

const tolerance = (values: OptionValues) => numberOption(values, "tolerance", { min: 0, max: 1 }) ?? DEFAULT_TOLERANCE;

/** Every flag checked before the first request, then names resolved to ids. */
async function runBody(client: HiveClient, values: OptionValues): Promise<EvalRunCreate> {
  const datasetRef = textOption(values.dataset);
  const agentRef = textOption(values.agent);
  const swarmFile = textOption(values["swarm-config"]);
  if (!datasetRef || (!agentRef && !swarmFile))
    throw new CliError("--dataset NAME and either --agent NAME or --swarm-config FILE.json are required", EXIT.USAGE);
  if (agentRef && swarmFile) throw new CliError("--agent and --swarm-config are exclusive: give one", EXIT.USAGE);
  const swarm = swarmFile
    ? readJsonObject(swarmFile, "swarm-config", "the swarm run's fields but the task (strategy, agent_ids, ...)")
    : undefined;
  const version = integerOption(values, "version", { min: 1 });
  const concurrency = integerOption(values, "concurrency", { min: 1, max: 8 });
  const budgetTokens = integerOption(values, "budget-tokens", { min: 1 });
  const budgetSeconds = integerOption(values, "budget-seconds", { min: 1 });
  const scorers = parseScorers(values);
  tolerance(values);
  if (values["fail-on-regression"] === true && !textOption(values.baseline))
    throw new CliError("--fail-on-regression needs --baseline RUN_ID", EXIT.USAGE);
  if (swarm && version !== undefined)
    throw new CliError("--version pins an agent: leave it out with --swarm-config", EXIT.USAGE);
  const dataset = await findDataset(client, datasetRef);
  const label = textOption(values.label);
  return {
    dataset_id: dataset.id,
    target: swarm ? { kind: "swarm", config: swarm } : await agentTarget(client, agentRef as string, version),
    ...(scorers ? { scorers } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(budgetTokens !== undefined ? { budget_tokens: budgetTokens } : {}),
    ...(budgetSeconds !== undefined ? { budget_ms: budgetSeconds * 1000 } : {}),
    ...(label ? { label } : {}),
  };
}

async function agentTarget(
  client: HiveClient,
  ref: string,
  version: number | undefined,
): Promise<EvalRunCreate["target"]> {
  const agent = await findAgent(client, ref);
  return { kind: "agent", agent_id: agent.id, ...(version !== undefined ? { agent_version: version } : {}) };
}

/** Prints one line per finished case, `[done/total] case status scores`, once each. */
class ProgressPrinter {
  private readonly seen = new Set<string>();
  private lastDone = -1;
  constructor(private readonly out: Output) {}

  result(r: EvalResult, total: number): void {
    if (this.out.json || this.seen.has(r.case_id) || (r.status !== "done" && r.status !== "error")) return;
    this.seen.add(r.case_id);
    this.lastDone = Math.max(this.lastDone, this.seen.size);
    this.out.line(
      `[${this.seen.size}/${total}] ${r.case_key} ${r.status === "error" ? `error: ${r.error}` : scoresText(r)}`,
    );
  }

  run(run: EvalRun): void {
    if (this.out.json || run.cases_done <= this.lastDone || run.cases_done <= this.seen.size) return;
    this.lastDone = run.cases_done;
    this.out.line(`[${run.cases_done}/${run.cases_total}] cases done`);
  }
}

/**
 * Follows a run until it ends or `signal` aborts: the SSE stream first; when it cannot be opened,
 * breaks or ends without `done`, polls the run instead. Answers the run as last seen.
 */
async function follow(client: HiveClient, first: EvalRun, printer: ProgressPrinter, signal: AbortSignal) {
  let run = first;
  try {
    const events = await client.evals.events(run.id, { signal });
    for await (const event of events) {
      if (event.type === "result") printer.result(event.result, run.cases_total);
      else {
        run = event.run;
        printer.run(run);
        if (event.type === "done") return run;
      }
    }
  } catch (err) {
    if (signal.aborted) return run;
    // A Worker without the stream, or a dropped connection: polling still works.
    if (
      !(err instanceof HiveNetworkError) &&
      !(err instanceof HiveApiError && err.status !== 401 && err.status !== 403)
    )
      throw err;
  }
  for (let failures = 0; !signal.aborted && !isEvalRunEnded(run.status); ) {
    await sleep(POLL_MS * 2 ** Math.min(failures, 3));
    if (signal.aborted) break;
    try {
      run = await client.evals.getRun(run.id);
      failures = 0;
      printer.run(run);
    } catch (err) {
      if (!(err instanceof HiveNetworkError) || ++failures >= 6) throw err;
    }
  }
  return run;
}

async function run(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const body = await runBody(client, ctx.values);
  const baseline = textOption(ctx.values.baseline);
  const started = await client.evals.startRun(body);
  if (!ctx.out.json)
    ctx.out.line(
      `Started run ${started.id}: ${targetText(started)} over ${started.cases_total} cases (dataset v${started.dataset_version})`,
    );
  const stop = new AbortController();
  let cancelling: Promise<unknown> | null = null;
  const onInterrupt = () => {
    if (cancelling) process.exit(INTERRUPTED);
    ctx.out.error("[cancelling the run…]");
    cancelling = client.evals
      .cancelRun(started.id)
      .catch((err: unknown) =>
        ctx.out.error(`hive: could not cancel: ${err instanceof Error ? err.message : String(err)}`),
      );
    stop.abort();
  };
  process.on("SIGINT", onInterrupt);
  let ended: EvalRun;
  try {
    ended = await follow(client, started, new ProgressPrinter(ctx.out), stop.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
  if (cancelling) {
    await cancelling;
    const after = await client.evals.getRun(started.id).catch(() => ended);
    if (ctx.out.json) ctx.out.data({ run: after });
    else
      ctx.out.line(
        `Run ${after.id} ${statusText(ctx.out, after.status)} (${after.cases_done}/${after.cases_total} cases)`,
      );
    return INTERRUPTED;
  }
  // The stream's last word may precede the summary's write; the run as stored has it.
  const final = ended.summary ? ended : await client.evals.getRun(ended.id);
  const cmp = baseline ? await client.evals.compare(baseline, final.id, tolerance(ctx.values)) : null;
  if (ctx.out.json) ctx.out.data({ run: final, compare: cmp });
  else {
    ctx.out.line();
    ctx.out.line(
      `Run ${final.id} ${statusText(ctx.out, final.status)}${final.reason ? `: ${final.reason}` : ""} (${final.cases_done}/${final.cases_total} cases, ${final.tokens_used} tokens)`,
    );
    printSummary(ctx.out, final);
    if (cmp) {
      ctx.out.line();
      printCompare(ctx.out, cmp);
    }
  }
  if (final.status !== "succeeded") return EXIT.FAILED;
  const regressed = cmp?.summary.some((s) => s.regressed) ?? false;
  return regressed && ctx.values["fail-on-regression"] === true ? EXIT.FAILED : EXIT.OK;
}

async function runs(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const ref = textOption(ctx.values.dataset);
  const limit = integerOption(ctx.values, "limit", { min: 1, max: 100 }) ?? 20;
  const dataset = ref ? await findDataset(client, ref) : undefined;
  const page = await client.evals.listRuns({ limit, ...(dataset ? { dataset_id: dataset.id } : {}) });
  return printList(
    ctx,
    page.data,
    {
      empty: "No evaluation runs. Start one with: hive eval run --dataset NAME --agent NAME",
      headers: ["ID", "DATASET", "TARGET", "STATUS", "CASES", "CREATED", "LABEL"],
      row: (r) => [
        ...[r.id, `${r.dataset_id} v${r.dataset_version}`, targetText(r), statusText(ctx.out, r.status)],
        ...[`${r.cases_done}/${r.cases_total}`, msTime(r.created_at), r.label ?? ""],
      ],
    },
    page,
  );
}

async function show(ctx: CommandContext): Promise<number> {
  const id = argument(ctx, "eval show RUN_ID [--failed]");
  const client = authedClient(ctx);
  const failed = ctx.values.failed === true;
  const [detail, results] = await Promise.all([
    client.evals.getRun(id),
    allPages((cursor) => client.evals.results(id, { limit: 100, cursor, ...(failed ? { failed } : {}) })),
  ]);
  return printRecord(ctx, { run: detail, results }, () => {
    printFacts(ctx.out, [
      ["id", detail.id],
      ["status", `${statusText(ctx.out, detail.status)}${detail.reason ? ` (${detail.reason})` : ""}`],
      ["dataset", `${detail.dataset_id} v${detail.dataset_version}`],
      ["target", targetText(detail)],
      ["cases", `${detail.cases_done}/${detail.cases_total}`],
      ["usage", `${detail.tokens_used} tokens, $${detail.cost_usd.toFixed(4)}`],
    ]);
    ctx.out.line();
    printSummary(ctx.out, detail);
    ctx.out.line();
    printResults(ctx.out, results);
  });
}

async function compare(ctx: CommandContext): Promise<number> {
  const [, base, cand] = ctx.positionals;
  if (!base || !cand) throw new CliError("usage: hive eval compare BASELINE_RUN_ID CANDIDATE_RUN_ID", EXIT.USAGE);
  const cmp = await authedClient(ctx).evals.compare(base, cand, tolerance(ctx.values));
  if (ctx.out.json) ctx.out.data(cmp);
  else printCompare(ctx.out, cmp);
  return ctx.values["fail-on-regression"] === true && cmp.summary.some((s) => s.regressed) ? EXIT.FAILED : EXIT.OK;
}

export const EVAL_RUN_COMMANDS: Readonly<Record<string, Subcommand>> = { run, runs, show, compare };

export const EVAL_RUN_OPTIONS: OptionSpec = {
  ...stringOptions(
    ...["dataset", "agent", "swarm-config", "version", "baseline", "tolerance", "concurrency"],
    ...["budget-tokens", "budget-seconds", "label", "k", "limit"],
  ),
  ...listOptions("scorer"),
  ...flagOptions("fail-on-regression", "failed"),
};

export const EVAL_RUN_USAGE =
  "run --dataset NAME (--agent NAME [--version N] | --swarm-config FILE.json) [--baseline RUN_ID] [--fail-on-regression] [--tolerance 0.05] [--concurrency N] [--scorer name[:threshold]]... [--k N] | runs [--dataset NAME] | show RUN_ID [--failed] | compare BASE CAND";

export const EVAL_RUN_HELP = [
  "run: starts a run of the agent (its current version unless --version) over the dataset's current version,",
  "or of a swarm with --swarm-config FILE.json (what POST /api/swarm/runs takes, without the task: each case's",
  "input is the task; scorers that read retrieval or tool calls are skipped for a swarm),",
  "prints each case as it finishes, then mean, pass rate and n per scorer and per tag. --scorer picks scorers",
  `(repeatable; default: every model-free scorer a case asks for; --k N sets recall_at_k's k): ${EVAL_SCORERS.join(", ")}.`,
  "--budget-tokens and --budget-seconds bound the run; --label names it.",
  "With --baseline RUN_ID it also prints the comparison (regressed scorers first); a scorer regresses when its",
  "mean falls by more than --tolerance (default 0.05). Exit codes: 0 the run succeeded (and, with",
  "--fail-on-regression, nothing regressed); 1 the run did not succeed or a scorer regressed; 64 bad flags;",
  "130 after Ctrl-C, which cancels the run. compare takes --tolerance and --fail-on-regression too.",
].join("\n");
