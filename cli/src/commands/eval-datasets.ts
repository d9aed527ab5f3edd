// `hive eval datasets`, `hive eval import|export` and `hive eval dataset create|import|export|show`:
// evaluation datasets from the terminal. Datasets are named like agents (id or name); an import
// is one new version (appended, or replacing every case with --replace) and creates the dataset
// when no live one has the name; export writes the JSONL exactly as the API sends it, so
// `hive eval export NAME > file.jsonl` round-trips.
import { readFile } from "node:fs/promises";
import { type EvalCase, type EvalDataset, HiveApiError, type HiveClient } from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT, type OptionSpec, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { allPages, byIdOrName, everyItem } from "../lookup";
import { argument, flagOptions, stringOptions } from "../options";
import { printFacts, printList } from "../output/list";
import { terminalSafe } from "../output/terminal-safe";
import { msTime } from "../output/time";

export const DATASET_OPTIONS: OptionSpec = {
  ...stringOptions("name", "description", "version"),
  ...flagOptions("replace"),
};

/** A dataset by id (`eds_…`) or name (exact, else case-insensitive); two of one name is a usage error. */
export const findDataset = (client: HiveClient, ref: string): Promise<EvalDataset> =>
  byIdOrName("dataset", "eds_", client.evalDatasets, ref);

function versionOf(ctx: CommandContext): number | undefined {
  const raw = ctx.values.version;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CliError("--version takes a whole number from 1", EXIT.USAGE);
  return n;
}

async function list(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const datasets = await everyItem(client.evalDatasets);
  return printList(ctx, datasets, {
    empty: "No datasets. Import one with: hive eval import FILE.jsonl --name <name>",
    headers: ["ID", "NAME", "VERSION", "CASES", "UPDATED"],
    row: (d) => [d.id, d.name, `v${d.version}`, String(d.case_count), msTime(d.updated_at)],
  });
}

async function create(ctx: CommandContext): Promise<number> {
  const name = ctx.values.name;
  if (typeof name !== "string") throw new CliError("usage: hive eval dataset create --name <name>", EXIT.USAGE);
  const description = typeof ctx.values.description === "string" ? ctx.values.description : undefined;
  const dataset = await authedClient(ctx).evalDatasets.create({ name, ...(description ? { description } : {}) });
  if (ctx.out.json) ctx.out.data(dataset);
  else ctx.out.line(`Created dataset ${dataset.name} (${dataset.id}), version ${dataset.version}.`);
  return EXIT.OK;
}

/** The API's 400 for a bad file names each line; say them all, then fail. */
function badLines(ctx: CommandContext, file: string, err: HiveApiError): never {
  const lines = Array.isArray(err.details.lines)
    ? (err.details.lines as { line: number; path: string; message: string }[])
    : [];
  if (ctx.out.json) ctx.out.data({ error: { code: err.code, message: err.message, lines } });
  else for (const l of lines) ctx.out.error(`${file}:${l.line}: ${l.path ? `${l.path}: ` : ""}${l.message}`);
  throw new CliError(err.message, EXIT.FAILED, err.code);
}

async function importFile(ctx: CommandContext, usage: string): Promise<number> {
  const file = argument(ctx, usage);
  const name = ctx.values.name;
  if (typeof name !== "string") throw new CliError(`usage: hive ${usage}`, EXIT.USAGE);
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${err.code ?? err.message}`, EXIT.USAGE);
  });
  const client = authedClient(ctx);
  const existing = await client.evalDatasets.byName(name);
  const dataset = existing ?? (await client.evalDatasets.create({ name }));
  const mode = ctx.values.replace === true ? "replace" : "append";
  try {
    const result = await client.evalDatasets.import(dataset.id, text, mode);
    if (ctx.out.json) ctx.out.data(result);
    else {
      const removed = result.removed ? `, ${result.removed} removed` : "";
      ctx.out.line(
        `Imported ${result.added} cases into ${result.dataset.name} (${result.dataset.id})${removed}: version ${result.dataset.version}, ${result.dataset.case_count} cases.`,
      );
    }
    return EXIT.OK;
  } catch (err) {
    // A dataset made for this import and left empty by a bad file is not kept.
    if (!existing) await client.evalDatasets.delete(dataset.id).catch(() => undefined);
    if (err instanceof HiveApiError && Array.isArray(err.details.lines)) badLines(ctx, file, err);
    throw err;
  }
}

async function exportFile(ctx: CommandContext, usage: string): Promise<number> {
  const client = authedClient(ctx);
  const dataset = await findDataset(client, argument(ctx, usage));
  const text = await client.evalDatasets.export(dataset.id, versionOf(ctx));
  // The file itself, byte for byte, when redirected; made safe for a terminal when shown on one.
  process.stdout.write(process.stdout.isTTY ? terminalSafe(text) : text);
  return EXIT.OK;
}

const inputOf = (c: EvalCase) =>
  "message" in c.input
    ? c.input.message
    : `${c.input.messages.length} messages: ${c.input.messages.at(-1)?.content ?? ""}`;

async function show(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const dataset = await findDataset(client, argument(ctx, "eval dataset show <id or name> [--version N]"));
  const version = versionOf(ctx);
  const cases = await allPages((cursor) => client.evalDatasets.cases(dataset.id, { limit: 100, cursor, version }));
  if (ctx.out.json) {
    ctx.out.data({ ...dataset, cases });
    return EXIT.OK;
  }
  printFacts(ctx.out, [
    ["id", dataset.id],
    ["name", dataset.name],
    ["version", version === undefined ? `v${dataset.version}` : `v${version} (current v${dataset.version})`],
    ["cases", String(cases.length)],
  ]);
  ctx.out.line();
  return printList(ctx, cases, {
    empty: "No cases in this version.",
    headers: ["KEY", "INPUT", "EXPECTS", "TAGS"],
    row: (c) => [
      c.case_key,
      inputOf(c).replace(/\s+/g, " ").slice(0, 60),
      [
        c.expected_output !== undefined ? "output" : "",
        c.must_include?.length ? `${c.must_include.length} must` : "",
        c.must_not_include?.length ? `${c.must_not_include.length} must-not` : "",
        c.expected_sources?.length ? `${c.expected_sources.length} sources` : "",
        c.expected_tool_calls?.length ? `${c.expected_tool_calls.length} tools` : "",
        c.expect_refusal ? "refusal" : "",
      ]
        .filter(Boolean)
        .join(", ") || "-",
      c.tags?.join(",") || "-",
    ],
  });
}

// Under `hive eval dataset`, each handler sees the positionals after "dataset".
const DATASET: Record<string, Subcommand> = {
  create,
  import: (ctx) => importFile(ctx, "eval dataset import FILE.jsonl --name <name> [--replace]"),
  export: (ctx) => exportFile(ctx, "eval dataset export <id or name> [--version N]"),
  show,
};

/** The dataset subcommands of `hive eval`, by their first word. */
export const DATASET_COMMANDS: Record<string, Subcommand> = {
  datasets: list,
  dataset: (ctx) => subcommands("eval dataset", DATASET)({ ...ctx, positionals: ctx.positionals.slice(1) }),
  import: (ctx) => importFile(ctx, "eval import FILE.jsonl --name <name> [--replace]"),
  export: (ctx) => exportFile(ctx, "eval export <id or name> [--version N]"),
};
