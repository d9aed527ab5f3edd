// `hive eval …`: evaluation from the terminal. One command whose first word picks the part:
// datasets and their JSONL (eval-datasets.ts).
import type { Command } from "../command";
import { subcommands } from "../command";
import { DATASET_COMMANDS, DATASET_OPTIONS } from "./eval-datasets";

export const evalCommand: Command = {
  name: "eval",
  summary: "Evaluation datasets: list, import and export JSONL, inspect versions",
  usage:
    "datasets | import FILE.jsonl --name <name> [--replace] | export <id or name> [--version N] | dataset create --name <name> [--description <text>] | dataset import|export|show ...",
  options: { ...DATASET_OPTIONS },
  help: [
    "A dataset is versioned: every change to its cases (an import included) is one new version, and",
    "every past version can still be shown (--version N) and exported.",
    "import: one case per line (see docs/evals.md); the dataset is created when no dataset has the name;",
    "--replace makes the file's cases the only ones. A file with a bad line is refused whole, each bad line named.",
    "export: writes the JSONL to stdout, e.g. hive eval export smoke > smoke.jsonl",
  ].join("\n"),
  run: subcommands("eval", { ...DATASET_COMMANDS }, "datasets"),
};
