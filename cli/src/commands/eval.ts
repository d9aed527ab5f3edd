// `hive eval <subcommand>`: evaluation of agents over datasets of cases. Datasets and their JSONL
// live in eval-datasets.ts; runs (run, runs, show, compare) in eval-runs.ts.
import { type Command, subcommands } from "../command";
import { DATASET_COMMANDS, DATASET_OPTIONS } from "./eval-datasets";
import { EVAL_RUN_COMMANDS, EVAL_RUN_HELP, EVAL_RUN_OPTIONS, EVAL_RUN_USAGE } from "./eval-runs";

const DATASET_USAGE =
  "datasets | import FILE.jsonl --name <name> [--replace] | export <id or name> [--version N] | dataset create --name <name> [--description <text>] | dataset import|export|show ...";

const DATASET_HELP = [
  "A dataset is versioned: every change to its cases (an import included) is one new version, and",
  "every past version can still be shown (--version N) and exported.",
  "import: one case per line (see docs/evals.md); the dataset is created when no dataset has the name;",
  "--replace makes the file's cases the only ones. A file with a bad line is refused whole, each bad line named.",
  "export: writes the JSONL to stdout, e.g. hive eval export smoke > smoke.jsonl",
];

export const evalCommand: Command = {
  name: "eval",
  summary: "Evaluate agents over versioned datasets: import/export cases, start and follow runs, compare (a CI gate)",
  usage: `${DATASET_USAGE} | ${EVAL_RUN_USAGE}`,
  options: { ...DATASET_OPTIONS, ...EVAL_RUN_OPTIONS },
  help: [...DATASET_HELP, EVAL_RUN_HELP].join("\n"),
  run: subcommands("eval", { ...DATASET_COMMANDS, ...EVAL_RUN_COMMANDS }, "datasets"),
};
